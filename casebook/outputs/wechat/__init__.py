"""WeChat official-account articles and 学习强国 submissions: one paste-ready package per public case.

stage (run) → for each case: article (sanitised body, inline styles) · photos (publish.assets) ·
covers · texts (digest, 发布信息, 学习强国, meta.json) · limits (Chinese warnings) → preview page →
publish.verify → folder swap.
"""
