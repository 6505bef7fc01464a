"""The stable diagnostic codes.

A code never changes meaning once released: scripts and editors' notes refer to them.
E = error (blocks publication), W = warning (shown; fails only under --strict).
Messages are templates filled with ``str.format``; they are what editors read.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- files, encoding, front matter -------------------------------------------------
    "E001": "无法读取文件：{detail}",
    "E002": "文件不是 UTF-8 编码（看起来是 {encoding}）。请用记事本或 WPS“另存为”UTF-8 编码，或运行：iconv -f {iconv} -t UTF-8 原文件 > 新文件",
    "E003": "案例文件夹中缺少 index.md：每个案例文件夹须有一个 index.md",
    "E004": "文件不是文本文件（可能是图片或 Word 文档被改名为 .md/.yml）：请换成 UTF-8 编码的文本文件",
    "E010": "缺少开头的 front matter：文件第一行应为 ---，其后是案例信息，再以 --- 结束",
    "E011": "front matter 没有结束：找不到与第 {start} 行对应的结束行 ---",
    "E012": "front matter 的 YAML 语法错误：{detail}",
    "E013": "front matter 中有制表符（Tab）：YAML 只允许用空格缩进，请把 Tab 换成空格",
    "E014": "键“{key}”后面用了全角冒号“：”，应为半角冒号加空格“: ”",
    "E015": "front matter 应是“键: 值”的列表，现在是{kind}",
    "E016": "键“{key}”重复出现（第一次在第 {first} 行），后一个值会覆盖前一个",
    "E020": "缺少必填字段“{key}”（{label}）",
    "E021": "字段“{key}”（{label}）的类型不对：应为{expected}，现在是{actual}",
    "W022": "未知字段“{key}”，将被忽略{hint}",
    # --- values ---------------------------------------------------------------------------
    "E101": "类别“{value}”不在本次征集的类别中（可选：{allowed}）{hint}",
    "E102": "主题“{value}”不在本次征集的主题中{hint}",
    "E103": "年份“{value}”不合理：应为四位整数年份，如 2024",
    "E104": "执笔人共 {count} 人，本次征集规定最多 {limit} 人",
    "E105": "{what}共 {count} 字，超过上限 {limit} 字",
    "E106": "{what}共 {count} 字，少于下限 {limit} 字",
    "E107": "状态“{value}”无效：应为 approved（已入选）、draft（草稿）或 withdrawn（已撤回）",
    "E108": "slug“{value}”无效：只能使用小写英文字母、数字和连字符，如 banzu-weixuanjiang",
    "E109": "{what}“{value}”为空",
    "W110": "案例放在 {folder} 年份文件夹中，但 year 写的是 {year}",
    "W111": "contact 中有未知字段“{key}”，可用：{allowed}{hint}",
    "W112": "unit_info 中有未知字段“{key}”，可用：{allowed}{hint}",
    "E113": "order 应为正整数，现在是“{value}”",
    "E114": "案例名称共 {count} 字，超过上限 {limit} 字：书中标题为二号字，每行约 20 字，请精简（副标题可写入概要）",
    # --- captions and photos ----------------------------------------------------------------
    "E201": "图片说明格式不符：应为“编号.时间，主体+事件”，如“1.2023年11月，奉贤区举办……活动”；{detail}",
    "E202": "图片说明编号应为 {expected}，现在是 {actual}（按出现顺序从 1 起连续编号）",
    "E203": "图片文件“{file}”不存在",
    "E204": "图片路径“{file}”指向案例文件夹之外：图片必须放在案例文件夹内",
    "E205": "图片“{file}”无法识别为 {formats} 图片：{detail}",
    "E206": "图片“{file}”文件不完整（已截断或损坏）：{detail}",
    "E207": "图片“{file}”像素过多（{size}），超过上限 {limit} 万像素，可能是恶意图片",
    "W208": "图片“{file}”只有 {width}×{height} 像素，印刷时会模糊（长边建议至少 {min} 像素）",
    "E209": "共有 {count} 张图片，本次征集要求 {range}",
    "E210": "正文引用的图片“{file}”没有列在 photos 中，缺少图片说明",
    "E211": "图片“{file}”缺少说明：请填写 time、subject、event 三项，或填写完整的 caption",
    "E212": "图片说明的时间“{value}”无效：应为“YYYY年M月”或“YYYY年M月D日”",
    "W213": "photos 中的图片“{file}”列出了两次",
    "E214": "图片说明共 {count} 字，超过上限 {limit} 字：说明印在图片下方，请精简为“编号.时间，主体+事件”，详细内容写入正文",
    # --- structure ------------------------------------------------------------------------------
    "E301": "缺少一级标题“{section}”：本次征集要求依次包含 {sections}",
    "E302": "一级标题“{section}”位置不对：应依次为 {sections}",
    "E303": "标题编号不连续：此处应为“{expected}”，现在是“{actual}”",
    "E304": "标题“{heading}”的级别不对：“{marker}”应使用 {hashes} 级标题",
    "E305": "标题层级跳级：“{actual}”前面缺少上一级标题“{parent}”",
    "E306": "列表或引用嵌套太深（{depth}），上限 {limit} 层：网站和书稿无法处理这样深的嵌套，请减少行首的缩进或“>”",
    "E307": "正文的半角符号太多：从此行起的一段共 {length} 字，含 {symbols} 个方括号“[”、反引号、尖括号、星号、下划线等符号，全文的排版处理量约为上限的 {times} 倍，网站和书稿要花很长时间才能生成。请删除多余的符号（方括号可改用全角“【】”），或把长段落分成几段",
    # --- collection -------------------------------------------------------------------------------
    "E401": "案例名称“{title}”与 {other} 重复",
    "E402": "网址名（slug）“{slug}”与 {other} 重复",
    "E403": "{year} 年“{unit}”共有 {count} 个案例，每个申报单位最多 {limit} 个",
    "E404": "{year} 年推荐单位“{recommender}”共推荐 {count} 个案例，最多 {limit} 个",
    "E405": "cases 文件夹不存在：{detail}",
    # --- privacy -----------------------------------------------------------------------------------
    "E501": "公开案例的{where}中含有手机号码“{value}”，会被公开发布：请删除，联系方式只填在 contact 中",
    "E502": "公开案例的{where}中含有固定电话“{value}”，会被公开发布：请删除，联系方式只填在 contact 中",
    "E503": "公开案例的{where}中含有电子邮箱“{value}”，会被公开发布：请删除，联系方式只填在 contact 中",
    "E504": "公开案例的{where}中含有身份证号“{value}”，会被公开发布：请删除",
    "E505": "公开案例的{where}中含有本案例联系人的{what}“{value}”，会被公开发布：请删除，联系方式只填在 contact 中",
    "E506": "公开案例的{where}中含有 {other} 联系人的{what}“{value}”，会被公开发布：请删除",
    # --- settings ---------------------------------------------------------------------------------------
    "E601": "设置文件有误：{detail}",
    "E602": "未知的征集规则“{value}”（可选：{allowed}）",
    "E603": "设置项“{key}”的类型不对：应为{expected}，现在是{actual}",
    "W604": "未知的设置项“{key}”，将被忽略{hint}",
    "E605": "设置项“{key}”的值“{value}”无效（可选：{allowed}）{hint}",
    "E606": "设置项“{key}”应为是或否，现在是{actual}：表示“是”可写 {yes}；表示“否”可写 {no}",
    # --- editorial pages and the book's reference document -----------------------------------------
    "E620": "样式文档无法读取（{detail}）：可删除后运行 python -m casebook.outputs.book.styles 重新生成，或在 Word 中打开后另存为 .docx",
    "E621": "网站设置文件 mkdocs.yml 有误：{detail}",
    "W607": "网站标志 site.logo 的文件“{file}”{problem}，网站将使用本工具自带的标志",
    "W622": "字符“{char}”（{codepoint}）在本机没有可用的字体，PDF 中将无法显示：请安装含此字的字体（如 Debian 的 fonts-hanazono），或改用常用字",
    # --- WeChat articles (python build.py wechat) ---------------------------------------------------
    "W640": "{what}共 {count} 字，超过微信公众号标题上限 {limit} 字：{hint}",
    "W641": "案例概要无法在 {limit} 字内的句末截断为公众号摘要（第一句共 {count} 字），摘要已截断并加省略号：请把概要的第一句缩短到 {limit} 字以内，或发布时在公众号后台改写摘要",
    "W642": "公众号文章正文共 {count} 字，超过上限 {limit} 字：请精简正文，或分为上下两篇发布",
    "W643": "公众号文章 article.html 共 {size}，超过上限 1 MB（{limit} 字节）：请精简正文或减少表格等排版",
    "W644": "作者“{value}”共 {count} 字，超过微信公众号作者上限 {limit} 字：发布时请只写一位执笔人或单位简称",
    "W645": "公众号封面图“{file}”不是本案例 photos 中的图片，已改用第一张图片：请写 photos 中某张图片的文件名，如 1.jpg",
    # --- import of Word documents (python build.py import) ----------------------------------------
    "E701": "不是 Word 文件（{detail}）：请提供 .docx、.doc 或 .wps 格式的申报材料",
    "E702": "文件设置了打开密码（已加密），无法读取：请在 Word 或 WPS 中取消密码后另存为 .docx，再导入",
    "E703": "文件已损坏，无法读取（{detail}）：请让申报单位重新发送，或在 Word 中打开后另存为 .docx",
    "E704": "文档中没有任何内容（{detail}）",
    "E705": "{kind} 文件需要用 LibreOffice 转换，但本机没有安装 LibreOffice（soffice）：请安装 LibreOffice，或在 Word/WPS 中另存为 .docx 后再导入",
    "E706": "LibreOffice 无法转换此文件（{detail}）：请在 Word 或 WPS 中打开后另存为 .docx，再导入",
    "E707": "第 {number} 张图片是 {kind} 格式，浏览器无法显示，且无法转换为 PNG（{detail}）：请在 Word 中把这张图片另存为 JPG 或 PNG 后重新插入",
    "E708": "案例文件夹 {folder} 已存在，未做任何改动：确需覆盖请加 --force",
    "E709": "找不到文件或文件夹：{detail}",
    "E710": "文件夹中没有 Word 文件（.docx、.doc、.wps）",
    "E711": "无法确定案例年份：文档中没有找到年份，请用 --year 指定，如 --year 2024",
    "E712": "类别“{value}”不在本次征集的类别中（可选：{allowed}）",
    "E713": "无法写入案例文件夹 {folder}：{detail}",
    "W714": "第 {number} 张图片链接到文档以外的文件（{detail}），没有包含在文档中：请向申报单位索要原图，存为案例文件夹中的 {file}",
    "W715": "第 {number} 张图片无法读取（{detail}）：请向申报单位索要原图，存为案例文件夹中的 {file}",
    "W716": "文档中有 {count} 个图表或 SmartArt 图形，无法作为图片导入：请在 Word 中把它们另存为图片后插入",
}


def severity(code: str) -> str:
    return "warning" if code.startswith("W") else "error"
