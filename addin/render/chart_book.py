"""The chart's embedded workbook (word/embeddings/*.xlsx), written without xlsxwriter.

"编辑数据" in Word/WPS opens this workbook: column A the indicator names, B the 已完成 rates,
C the 未完成 ones, the cells the chart's formulas (Sheet1!$B$2...) name. Its shape never
changes, so all but three members are constants, and those three (sheet, shared strings,
core properties) are short text: written here they are the bytes xlsxwriter writes for the
same data (tests/render/test_render_chart_series.py compares the two), without importing it
(≈ 56 ms of every `planreport refresh`) or running its generic writer (≈ 2 ms a chart).
Data outside what is handled here (a text Excel stores escaped, a number it cannot store,
a very long text) returns None, and the caller uses xlsxwriter.

The constant members are xlsxwriter 3.3's output for this workbook (xlsxwriter is BSD-2-Clause).
"""
from __future__ import annotations

import datetime as _dt
import io
import math
import re
import zipfile
from functools import lru_cache
from typing import Optional, Sequence

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the date xlsxwriter gives every member
RATE_XF = 1  # the one cell format (NUMBER_FORMAT), when some rate is written
MAX_TEXT = 32767 // 2  # longer texts go to xlsxwriter, which measures them in UTF-16 units

# xlsxwriter's escaping rules for shared strings: texts that need them go to xlsxwriter.
_NEEDS_XLSXWRITER = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f]|^\s|\s$")

# The theme's script fonts as Office 2007 lists them: (script, heading face[, body face when it differs]).
_SCRIPT_FONTS = (
    ("Jpan", "ＭＳ Ｐゴシック"), ("Hang", "맑은 고딕"), ("Hans", "宋体"), ("Hant", "新細明體"),
    ("Arab", "Times New Roman", "Arial"), ("Hebr", "Times New Roman", "Arial"), ("Thai", "Tahoma"),
    ("Ethi", "Nyala"), ("Beng", "Vrinda"), ("Gujr", "Shruti"), ("Khmr", "MoolBoran", "DaunPenh"),
    ("Knda", "Tunga"), ("Guru", "Raavi"), ("Cans", "Euphemia"), ("Cher", "Plantagenet Cherokee"),
    ("Yiii", "Microsoft Yi Baiti"), ("Tibt", "Microsoft Himalaya"), ("Thaa", "MV Boli"), ("Deva", "Mangal"),
    ("Telu", "Gautami"), ("Taml", "Latha"), ("Syrc", "Estrangelo Edessa"), ("Orya", "Kalinga"),
    ("Mlym", "Kartika"), ("Laoo", "DokChampa"), ("Sinh", "Iskoola Pota"), ("Mong", "Mongolian Baiti"),
    ("Viet", "Times New Roman", "Arial"), ("Uigh", "Microsoft Uighur"),
)


def _font_scheme() -> str:
    """The theme's majorFont (headings, Cambria) and minorFont (body, Calibri): one list of scripts."""
    def fonts(tag: str, latin: str, body: bool) -> str:
        scripts = "".join(f'<a:font script="{script}" typeface="{names[-1] if body else names[0]}"/>'
                          for script, *names in _SCRIPT_FONTS)
        return f'<a:{tag}><a:latin typeface="{latin}"/><a:ea typeface=""/><a:cs typeface=""/>{scripts}</a:{tag}>'

    return ('<a:fontScheme name="Office">' + fonts("majorFont", "Cambria", False)
            + fonts("minorFont", "Calibri", True) + "</a:fontScheme>")


CONSTANT: dict[str, Optional[str]] = {  # member order as xlsxwriter's packager writes them
    '[Content_Types].xml': (
        DECLARATION
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '</Types>'
    ),
    '_rels/.rels': (
        DECLARATION
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
        '</Relationships>'
    ),
    'xl/_rels/workbook.xml.rels': (
        DECLARATION
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '</Relationships>'
    ),
    'xl/worksheets/sheet1.xml': None,  # written per chart below
    'xl/workbook.xml': (
        DECLARATION
        + '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<fileVersion appName="xl" lastEdited="4" lowestEdited="4" rupBuild="4505"/>'
        '<workbookPr defaultThemeVersion="124226"/><bookViews>'
        '<workbookView xWindow="240" yWindow="15" windowWidth="16095" windowHeight="9660"/></bookViews>'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
        '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'
    ),
    'xl/sharedStrings.xml': None,  # written per chart below
    'xl/styles.xml': None,  # written per chart below
    'xl/theme/theme1.xml': (
        DECLARATION
        + '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">'
        '<a:themeElements><a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/>'
        '</a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/>'
        '</a:dk2><a:lt2><a:srgbClr val="EEECE1"/></a:lt2><a:accent1><a:srgbClr val="4F81BD"/></a:accent1>'
        '<a:accent2><a:srgbClr val="C0504D"/></a:accent2><a:accent3><a:srgbClr val="9BBB59"/></a:accent3>'
        '<a:accent4><a:srgbClr val="8064A2"/></a:accent4><a:accent5><a:srgbClr val="4BACC6"/></a:accent5>'
        '<a:accent6><a:srgbClr val="F79646"/></a:accent6><a:hlink><a:srgbClr val="0000FF"/></a:hlink>'
        '<a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme>'
        + _font_scheme()
        + '<a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
        '<a:gradFill rotWithShape="1"><a:gsLst><a:gs pos="0"><a:schemeClr val="phClr"><a:tint val="50000"/>'
        '<a:satMod val="300000"/></a:schemeClr></a:gs><a:gs pos="35000"><a:schemeClr val="phClr">'
        '<a:tint val="37000"/><a:satMod val="300000"/></a:schemeClr></a:gs><a:gs pos="100000">'
        '<a:schemeClr val="phClr"><a:tint val="15000"/><a:satMod val="350000"/></a:schemeClr></a:gs>'
        '</a:gsLst><a:lin ang="16200000" scaled="1"/></a:gradFill><a:gradFill rotWithShape="1"><a:gsLst>'
        '<a:gs pos="0"><a:schemeClr val="phClr"><a:shade val="51000"/><a:satMod val="130000"/></a:schemeClr>'
        '</a:gs><a:gs pos="80000"><a:schemeClr val="phClr"><a:shade val="93000"/><a:satMod val="130000"/>'
        '</a:schemeClr></a:gs><a:gs pos="100000"><a:schemeClr val="phClr"><a:shade val="94000"/>'
        '<a:satMod val="135000"/></a:schemeClr></a:gs></a:gsLst><a:lin ang="16200000" scaled="0"/>'
        '</a:gradFill></a:fillStyleLst><a:lnStyleLst><a:ln w="9525" cap="flat" cmpd="sng" algn="ctr">'
        '<a:solidFill><a:schemeClr val="phClr"><a:shade val="95000"/><a:satMod val="105000"/></a:schemeClr>'
        '</a:solidFill><a:prstDash val="solid"/></a:ln><a:ln w="25400" cap="flat" cmpd="sng" algn="ctr">'
        '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/></a:ln>'
        '<a:ln w="38100" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/>'
        '</a:solidFill><a:prstDash val="solid"/></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle>'
        '<a:effectLst><a:outerShdw blurRad="40000" dist="20000" dir="5400000" rotWithShape="0">'
        '<a:srgbClr val="000000"><a:alpha val="38000"/></a:srgbClr></a:outerShdw></a:effectLst>'
        '</a:effectStyle><a:effectStyle><a:effectLst>'
        '<a:outerShdw blurRad="40000" dist="23000" dir="5400000" rotWithShape="0"><a:srgbClr val="000000">'
        '<a:alpha val="35000"/></a:srgbClr></a:outerShdw></a:effectLst></a:effectStyle><a:effectStyle>'
        '<a:effectLst><a:outerShdw blurRad="40000" dist="23000" dir="5400000" rotWithShape="0">'
        '<a:srgbClr val="000000"><a:alpha val="35000"/></a:srgbClr></a:outerShdw></a:effectLst><a:scene3d>'
        '<a:camera prst="orthographicFront"><a:rot lat="0" lon="0" rev="0"/></a:camera>'
        '<a:lightRig rig="threePt" dir="t"><a:rot lat="0" lon="0" rev="1200000"/></a:lightRig></a:scene3d>'
        '<a:sp3d><a:bevelT w="63500" h="25400"/></a:sp3d></a:effectStyle></a:effectStyleLst>'
        '<a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:gradFill rotWithShape="1">'
        '<a:gsLst><a:gs pos="0"><a:schemeClr val="phClr"><a:tint val="40000"/><a:satMod val="350000"/>'
        '</a:schemeClr></a:gs><a:gs pos="40000"><a:schemeClr val="phClr"><a:tint val="45000"/>'
        '<a:shade val="99000"/><a:satMod val="350000"/></a:schemeClr></a:gs><a:gs pos="100000">'
        '<a:schemeClr val="phClr"><a:shade val="20000"/><a:satMod val="255000"/></a:schemeClr></a:gs>'
        '</a:gsLst><a:path path="circle"><a:fillToRect l="50000" t="-80000" r="50000" b="180000"/></a:path>'
        '</a:gradFill><a:gradFill rotWithShape="1"><a:gsLst><a:gs pos="0"><a:schemeClr val="phClr">'
        '<a:tint val="80000"/><a:satMod val="300000"/></a:schemeClr></a:gs><a:gs pos="100000">'
        '<a:schemeClr val="phClr"><a:shade val="30000"/><a:satMod val="200000"/></a:schemeClr></a:gs>'
        '</a:gsLst><a:path path="circle"><a:fillToRect l="50000" t="50000" r="50000" b="50000"/></a:path>'
        '</a:gradFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/>'
        '<a:extraClrSchemeLst/></a:theme>'
    ),
    'docProps/core.xml': None,  # written per chart below
    'docProps/app.xml': (
        DECLARATION
        + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>'
        '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr>'
        '</vt:variant><vt:variant><vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts>'
        '<vt:vector size="1" baseType="lpstr"><vt:lpstr>Sheet1</vt:lpstr></vt:vector></TitlesOfParts>'
        '<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
        '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion></Properties>'
    ),
}
RATE_XF_XML = '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
STYLES = (
    DECLARATION
    + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{numfmts}<fonts count="1">'
    '<font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/>'
    '<bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="{count}">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>{rate_xf}</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/>'
    '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
    '</styleSheet>'
)
SHEET = (
    DECLARATION
    + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<dimension ref="{ref}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><cols>'
    '<col min="1" max="1" width="28.7109375" customWidth="1"/>'
    '<col min="2" max="3" width="10.7109375" customWidth="1"/></cols><sheetData>{rows}</sheetData>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
)
SHARED_STRINGS = (
    DECLARATION
    + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{count}" uniqueCount="{unique}">{strings}</sst>'
)
CORE = (
    DECLARATION
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified></cp:coreProperties>'
)


def _styles(with_rate: bool, number_format: str) -> str:
    if not with_rate:
        return STYLES.format(numfmts="", count=1, rate_xf="")
    code = number_format.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    return STYLES.format(numfmts=f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{code}"/></numFmts>',
                         count=2, rate_xf=RATE_XF_XML)


def _text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _sheet_and_strings(header: Sequence[str], names: Sequence[str],
                       columns: Sequence[Sequence[Optional[float]]]) -> tuple[str, str, bool]:
    """sheet1.xml and sharedStrings.xml: the header row, then a name and its rate (if any) per row."""
    index: dict[str, int] = {}
    count = 0
    cells: list[list[str]] = []  # per row, its <c> elements
    used: list[list[int]] = []  # per row, the columns written (for the spans)

    def string(ref: str, s: str) -> str:
        nonlocal count
        count += 1
        return f'<c r="{ref}" t="s"><v>{index.setdefault(s, len(index))}</v></c>'

    cols = "ABC"
    cells.append([string(f"{cols[c]}1", h) for c, h in enumerate(header)])
    used.append(list(range(len(header))))
    with_rate = False
    for n, name in enumerate(names, 2):
        row, row_cols = [string(f"A{n}", name)], [0]
        for c, values in enumerate(columns, 1):
            value = values[n - 2]
            if value is not None:
                row.append(f'<c r="{cols[c]}{n}" s="{RATE_XF}"><v>{value:.16G}</v></c>')
                row_cols.append(c)
                with_rate = True
        cells.append(row)
        used.append(row_cols)
    spans = {}  # xlsxwriter's "spans": first:last column written in each block of 16 rows
    for block in range(0, len(used), 16):
        written = [c for row_cols in used[block:block + 16] for c in row_cols]
        spans[block // 16] = f"{min(written) + 1}:{max(written) + 1}"
    rows = "".join(f'<row r="{r + 1}" spans="{spans[r // 16]}">{"".join(row)}</row>' for r, row in enumerate(cells))
    last_col = cols[max(len(header), 1 + len(columns)) - 1]
    sheet = SHEET.format(ref=f"A1:{last_col}{len(cells)}", rows=rows)
    strings = "".join(f"<si><t>{_text(s)}</t></si>" for s in index)
    shared = SHARED_STRINGS.format(count=count, unique=len(index), strings=strings)
    return sheet, shared, with_rate


def _handled(names: Sequence[str], columns: Sequence[Sequence[Optional[float]]]) -> bool:
    for s in names:
        if s.__class__ is not str or len(s) > MAX_TEXT or s.startswith("<r>") or _NEEDS_XLSXWRITER.search(s):
            return False
    for values in columns:
        for v in values:
            if v is not None and not (v.__class__ in (int, float) and math.isfinite(v)):
                return False
    return True


def workbook(header: Sequence[str], names: Sequence[str], columns: Sequence[Sequence[Optional[float]]],
             number_format: str, created: _dt.datetime, author: str) -> Optional[bytes]:
    """The .xlsx bytes for this data, or None when xlsxwriter has to write it."""
    if len(header) != 3 or len(columns) != 2 or not _handled([*header, *names, author], columns):
        return None
    sheet, shared, with_rate = _sheet_and_strings(header, names, columns)
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    members = {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": shared,
               "xl/styles.xml": _styles(with_rate, number_format),
               "docProps/core.xml": CORE.format(author=_text(author), created=stamp)}
    from addin.workbook.writeback.ziprewrite import rewrite

    buf = io.BytesIO()
    # The constant members are copied compressed from the skeleton; the four above are written anew.
    rewrite(io.BytesIO(_skeleton()), buf, {name: text.encode("utf-8") for name, text in members.items()}, [])
    return buf.getvalue()


@lru_cache(maxsize=1)
def _skeleton() -> bytes:
    """The workbook as xlsxwriter zips it, the per-chart members left empty: compressed once per process."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, text in CONSTANT.items():
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, (text or "").encode("utf-8"))
    return buf.getvalue()
