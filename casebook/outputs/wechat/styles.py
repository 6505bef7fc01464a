"""The inline styles of a WeChat article: the editor strips <style>, classes and ids, so every element
carries its own ``style``. One table, keyed by role; the accent colour comes from settings.yml
(``wechat.accent``, validated as #rrggbb before it gets here)."""

from __future__ import annotations

TEXT = "#333333"
MUTED = "#888888"
FONT = "-apple-system,BlinkMacSystemFont,Helvetica Neue,PingFang SC,Hiragino Sans GB,Microsoft YaHei,sans-serif"


def table(accent: str) -> dict[str, str]:
    """role → style attribute value."""
    return {
        "root": f"margin:0;padding:0;font-family:{FONT};font-size:16px;color:{TEXT};line-height:1.75;"
        "letter-spacing:0.5px;word-wrap:break-word;text-align:justify",
        "title": "margin:0 0 12px;font-size:22px;font-weight:bold;line-height:1.4;color:#222222;text-align:center",
        "byline": f"margin:0;font-size:14px;line-height:1.8;color:{MUTED};text-align:center",
        "lead": f"margin:20px 0 24px;padding:12px 16px;background-color:#f7f7f7;border-left:4px solid {accent}",
        "lead_label": f"margin:0 0 6px;font-size:15px;font-weight:bold;color:{accent}",
        "lead_p": "margin:0;font-size:15px;line-height:1.75;color:#555555;text-indent:2em;text-align:justify",
        "h1": f"margin:32px 0 16px;font-size:18px;font-weight:bold;line-height:1.5;color:{accent}",
        "h2": "margin:24px 0 12px;font-size:17px;font-weight:bold;line-height:1.5;color:#222222",
        "h3": f"margin:20px 0 10px;font-size:16px;font-weight:normal;line-height:1.5;color:{TEXT}",
        "p": "margin:0 0 16px;font-size:16px;line-height:1.75;text-indent:2em;text-align:justify",
        "p_plain": "margin:0 0 8px;font-size:16px;line-height:1.75",
        "figure": "margin:20px 0;text-align:center",
        "img": "display:block;width:100%;max-width:100%;height:auto;margin:0 auto",
        "caption": f"margin:8px 0 0;font-size:13px;line-height:1.6;color:{MUTED};text-align:center",
        "source": f"margin:32px 0 0;font-size:14px;line-height:1.6;color:{MUTED}",
        "strong": "font-weight:bold",
        "em": "font-style:italic",
        "underline": "text-decoration:underline",
        "strike": "text-decoration:line-through",
        "mark": "background-color:#fff3b0",
        "code": "font-family:Menlo,Consolas,monospace;font-size:14px;background-color:#f5f5f5;padding:0 2px",
        "pre": "margin:0 0 16px;padding:12px;font-family:Menlo,Consolas,monospace;font-size:14px;line-height:1.6;"
        "background-color:#f5f5f5;white-space:pre-wrap;word-break:break-all",
        "blockquote": "margin:0 0 16px;padding:8px 16px;border-left:3px solid #dddddd;color:#666666;"
        "background-color:#fafafa",
        "ul": "margin:0 0 16px;padding-left:2em;list-style-type:disc",
        "ol": "margin:0 0 16px;padding-left:2em;list-style-type:decimal",
        "li": "margin:0 0 6px;line-height:1.75",
        "table": "width:100%;margin:0 0 16px;border-collapse:collapse;font-size:14px;line-height:1.6",
        "th": "padding:6px 8px;border:1px solid #dddddd;background-color:#f5f5f5;font-weight:bold;text-align:center",
        "td": "padding:6px 8px;border:1px solid #dddddd",
        "hr": "margin:24px 0;border:0;border-top:1px solid #e5e5e5",
        "sup": "font-size:12px;vertical-align:super",
        "sub": "font-size:12px;vertical-align:sub",
        "section": "margin:0 0 16px",
    }
