"""Say what a file is when it is neither a zip package nor an OLE2 compound file."""
from __future__ import annotations

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS = "请在 Excel 中打开后“另存为” .xlsx 工作簿再试"


def describe_foreign(head: bytes, name: str) -> str:
    """The Chinese clause explaining a file that no workbook reader should open."""
    if name.startswith("~$"):
        return "这是 Excel 打开工作簿时留下的临时锁文件，不是工作簿；请选择不带 ~$ 前缀的原文件"
    text = _decode(head)
    if text is not None:
        probe = text.lstrip("\ufeff \t\r\n").lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in probe:
            return f"这是 Excel 2003 XML 表格，不是 .xlsx 工作簿；{SAVE_AS}"
        if probe.startswith("<") and any(t in probe for t in ("<html", "<!doctype html", "<table", "<meta", "<body")):
            return f"这是网页（HTML）文件，只是扩展名像工作簿；{SAVE_AS}"
        if probe.startswith("{\\rtf"):
            return f"这是 RTF 文本文件，不是工作簿；{SAVE_AS}"
        if probe.startswith("%pdf"):
            return "这是 PDF 文件，不是工作簿；请向报送单位索取 Excel 原表"
        return f"这是文本（CSV）文件，不是 Excel 工作簿；{SAVE_AS}"
    if head.startswith(b"%PDF"):
        return "这是 PDF 文件，不是工作簿；请向报送单位索取 Excel 原表"
    return "不是 Excel 工作簿，文件内容无法识别（可能已损坏）；请重新获取原文件"


def _decode(head: bytes) -> str | None:
    """Text if the bytes read as UTF-8/UTF-16/GB18030 without control characters."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for enc in candidates:
        try:
            # A prefix may end inside a multi-byte character: drop up to 3 bytes.
            text = _decode_prefix(head, enc)
        except UnicodeDecodeError:
            continue
        if not any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text):
            return text
    return None


def _decode_prefix(head: bytes, enc: str) -> str:
    for cut in range(4):
        try:
            return head[: len(head) - cut].decode(enc)
        except UnicodeDecodeError:
            if cut == 3 or len(head) - cut <= 1:
                raise
    raise UnicodeDecodeError(enc, head, 0, 1, "undecodable")
