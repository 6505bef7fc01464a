"""The printed anthology (DOCX, PDF) and the organisers' lists (申报目录, 推荐汇总表)."""
