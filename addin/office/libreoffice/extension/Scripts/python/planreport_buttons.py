# -*- coding: utf-8 -*-
"""The 计划执行报告 buttons of LibreOffice Calc (the PlanReport extension).

Runs inside LibreOffice's own Python. That Python cannot be relied on to import
PlanReport's dependencies (Debian's is the system python3 without pandas/lxml from
pip; UOS/Kylin and the LibreOffice.org builds bring their own Python of another
version), so the work is done by PlanReport's own interpreter in a subprocess:

1. the open document, unsaved edits included, is stored as an .xlsx copy in a private
   temporary folder (storeToURL: the document keeps its own location and modified flag);
2. ``<python> -m addin libreoffice run report|check COPY --name DOCUMENT`` checks the copy,
   writes 核算结果 into it by the file write-back's own rule and settings (planreport.toml
   beside the workbook: a sheet of the user's named 核算结果 is refused, or with
   results_sheet_fallback left alone beside 核算结果（PlanReport）), then the Word/HTML reports
   into 报告/ beside the workbook, and prints one JSON object; every message names DOCUMENT;
3. the sheet the write-back marked as PlanReport's (the OWNER_MARK name) is imported from the
   copy into the open document, replacing only PlanReport's own sheet of that name, and a
   Chinese message gives the counts (and says so when this machine has no Chinese font).

The file on disk is never written: the user saves when they want to.

Kept to Python 3.8 syntax and the standard library (LibreOffice builds bring old Pythons).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

import uno
from com.sun.star.beans import PropertyValue

RESULTS_SHEET = "核算结果"
RESULTS_SHEET_ALT = "核算结果（PlanReport）"  # where results_sheet_fallback puts it (a test keeps them equal)
# Workbook-level named range that marks 核算结果 as PlanReport's own: the file write-back's
# defined name (OWN_NAME), which LibreOffice reads from and saves into .xlsx.
OWNER_MARK = "PlanReport_Results"
# PlanReport's own sheet as addin/workbook/writeback/results_sheet.py writes it (a test keeps them equal).
RESULTS_HEADER = ("工作表", "序号", "指标", "目标", "完成情况", "核算完成率", "填报完成率", "差异", "状态")
RESULTS_FOOTNOTE = "本表由 PlanReport 生成，每次核算会整表覆盖，请勿在此表中手工填写。"
REPORT_FOLDER = "报告"
CONFIG_NAME = "planreport.toml"
XLSX_FILTER = "Calc MS Excel 2007 XML"
TITLE = "计划执行报告"
CONF_PATH = os.path.join("~", ".planreport", "planreport.conf")
CONF_KEY = "INTERPRETER_LINUX"
TIMEOUT_KEY = "LIBREOFFICE_TIMEOUT"
# Environment switches (documented in docs/libreoffice.md):
#   PLANREPORT_PYTHON          the Python that has PlanReport installed
#   PLANREPORT_LO_TIMEOUT      seconds before the core is stopped (default 300; also the
#                              LIBREOFFICE_TIMEOUT entry of planreport.conf)
#   PLANREPORT_LO_MESSAGES     a file: messages are appended there as JSON lines instead of
#                              shown in a box (headless use and the tests; a box would block)
DEFAULT_TIMEOUT = 300.0
# Variables of LibreOffice's own Python that would make another interpreter load the wrong modules.
CHILD_ENV_DROP = ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONEXECUTABLE")
MAX_ERRORS_SHOWN = 5


class Refusal(Exception):
    """A one-line Chinese message for the user; not a failure of the extension."""


# ---------------------------------------------------------------- buttons

def generate_report(*_args):
    """生成报告: check the open document, import 核算结果, write Word/HTML into 报告/."""
    _button(lambda: _run_core("report"))


def check_data(*_args):
    """核对数据: the same check and 核算结果, no reports written."""
    _button(lambda: _run_core("check"))


def open_report_folder(*_args):
    """打开报告文件夹: the 报告 folder beside the workbook, in the desktop's file manager."""
    _button(_open_folder)


def diagnose(*_args):
    """诊断: what the buttons need and whether it is there."""
    _button(_diagnose)


g_exportedScripts = (generate_report, check_data, open_report_folder, diagnose)


def _button(action):
    """Every button ends in exactly one message: the result, or one Chinese line."""
    try:
        ok, text = True, action()
    except Refusal as exc:
        ok, text = False, str(exc)
    except Exception as exc:  # an unforeseen failure is still one line; details go to the log
        _log_traceback()
        ok, text = False, "计划执行报告出错：%s（详情见 %s）" % (_one_line(exc), _log_path())
    _show(text, ok)


# ---------------------------------------------------------------- the work

def _document():
    doc = XSCRIPTCONTEXT.getDocument()  # noqa: F821  (provided by the script framework)
    if doc is None or not doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        raise Refusal("当前文档不是 Calc 工作簿：请在含有附件指标表的工作簿中使用“计划执行报告”。")
    return doc


def _workbook_path(doc):
    """Path of the document's file, or None for a document never saved."""
    url = doc.getURL()
    if not url or not url.startswith("file:"):
        return None
    return uno.fileUrlToSystemPath(url)


def _run_core(mode):
    doc = _document()
    path = _workbook_path(doc)
    if mode == "report" and path is None:
        raise Refusal("请先保存工作簿：报告写在工作簿旁的“%s”文件夹中。" % REPORT_FOLDER)
    launcher, _source = _find_launcher()
    stem = os.path.splitext(os.path.basename(path))[0] if path else (doc.getTitle() or "工作簿")
    work = tempfile.mkdtemp(prefix="planreport-lo-")
    try:
        copy = os.path.join(work, _safe_name(stem) + ".xlsx")
        doc.storeToURL(uno.systemPathToFileUrl(copy), _props(FilterName=XLSX_FILTER, Overwrite=True))
        # --name: PlanReport's messages name the user's document; the private copy means nothing to them.
        command = list(launcher) + ["libreoffice", "run", mode, copy, "--name", path or stem]
        if path:
            if mode == "report":
                command += ["--out", os.path.join(os.path.dirname(path), REPORT_FOLDER)]
            config = os.path.join(os.path.dirname(path), CONFIG_NAME)
            if os.path.isfile(config):
                command += ["--config", config]
        outcome = _call(command)
        sheet = _import_results(doc, copy)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _outcome_text(mode, outcome, sheet)


def _call(command):
    timeout = _timeout()
    try:
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=_child_env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Refusal("核算超过 %g 秒仍未完成，已停止（可用环境变量 PLANREPORT_LO_TIMEOUT 或设置文件中的 %s 放宽）。"
                      % (timeout, TIMEOUT_KEY))
    except OSError as exc:
        raise Refusal("无法启动 PlanReport（%s）：%s。请运行“诊断”。" % (command[0], _one_line(exc)))
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode in (0, 1):
        try:
            return json.loads(stdout)
        except ValueError:
            pass
    raise Refusal(_failure_line(command, proc.returncode, stderr))


def _failure_line(command, code, stderr):
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    if last.startswith("planreport:"):
        return last[len("planreport:"):].strip()  # PlanReport's own one-line message, already Chinese
    if "No module named" in last or "invalid choice" in last:
        return ("%s 中的 PlanReport 缺少 LibreOffice 扩展所需的功能或未安装：请用这个 Python 运行 "
                "pip install -U planreport，再运行 planreport libreoffice install。" % command[0])
    return "PlanReport 运行失败（退出码 %s）：%s" % (code, last or "没有输出")


def _outcome_text(mode, outcome, sheet):
    lines = [outcome.get("summary", "")]
    errors = [f for f in outcome.get("findings", []) if f.get("severity") == "error"]
    for f in errors[:MAX_ERRORS_SHOWN]:
        lines.append("  错误 %s：%s" % (f.get("cell") or "", f.get("message", "")))
    if len(errors) > MAX_ERRORS_SHOWN:
        lines.append("  …另有 %d 条错误，见“%s”工作表" % (len(errors) - MAX_ERRORS_SHOWN, RESULTS_SHEET))
    lines.append("已更新“%s”工作表（工作簿未保存，需要时请自行保存）。" % sheet)
    if mode == "report":
        for out in outcome.get("outputs", []):
            lines.append("已生成：" + out)
    lines += outcome.get("warnings", [])  # e.g. no Chinese font: the PDF and the web page here would be boxes
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- 核算结果 in the open document

def _results_sheet_state(doc, name=RESULTS_SHEET):
    """"absent", "own" or "foreign", by the file write-back's rule: PlanReport's header row, and
    the OWNER_MARK name pointing at the sheet (or, in a workbook without the mark, written
    before it existed, PlanReport's footnote in column A)."""
    sheets = doc.getSheets()
    if not sheets.hasByName(name):
        return "absent"
    sheet = sheets.getByName(name)
    header = sheet.getCellRangeByPosition(0, 0, len(RESULTS_HEADER) - 1, 0).getDataArray()[0]
    if tuple(str(v).strip() for v in header) != RESULTS_HEADER:
        return "foreign"
    if doc.NamedRanges.hasByName(OWNER_MARK):
        return "own" if _marked_sheet(doc) == name else "foreign"
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    last_row = cursor.getRangeAddress().EndRow
    column_a = sheet.getCellRangeByPosition(0, 0, 0, last_row).getDataArray()
    return "own" if any(row[0] == RESULTS_FOOTNOTE for row in column_a) else "foreign"


def _marked_sheet(doc):
    """The sheet OWNER_MARK points at ("$'核算结果'.$A$1:$I$1"; LibreOffice follows renames)."""
    content = doc.NamedRanges.getByName(OWNER_MARK).getContent()
    sheet = content.split(".")[0].lstrip("$")
    return sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet


def _import_results(doc, copy):
    """Bring the sheet PlanReport wrote into the checked copy (核算结果, or 核算结果（PlanReport）
    with results_sheet_fallback) into the open document, at the old one's place. Returns its name."""
    desktop = XSCRIPTCONTEXT.getDesktop()  # noqa: F821
    source = desktop.loadComponentFromURL(uno.systemPathToFileUrl(copy), "_blank", 0,
                                          _props(Hidden=True, ReadOnly=True))
    try:
        target = _marked_sheet(source) if source is not None and source.NamedRanges.hasByName(OWNER_MARK) else None
        if target not in (RESULTS_SHEET, RESULTS_SHEET_ALT) or not source.getSheets().hasByName(target):
            raise Refusal("核算完成，但没有生成“%s”工作表。" % RESULTS_SHEET)
        # The write-back judged the copy; the document is the same workbook, but never replace a
        # sheet of the user's on that word alone.
        if _results_sheet_state(doc, target) == "foreign":
            raise Refusal("“%s”工作表不是 PlanReport 生成的，未覆盖：请把它改名后重试。" % target)
        sheets = doc.getSheets()
        names = sheets.getElementNames()
        old = target in names
        position = names.index(target) if old else len(names)
        # Import first, then drop the old sheet: a failed import leaves the old one in place.
        index = sheets.importSheet(source, target, position)
        if old:
            sheets.removeByName(target)
            index -= 1 if index > position else 0
            sheets.getByIndex(index).setName(target)
    finally:
        if source is not None:
            source.close(True)
    _mark(doc, target)
    return target


def _hidden_flag():
    """NamedRangeFlag.HIDDEN where this LibreOffice defines it; 0 where it does not (7.4 has no
    hidden named ranges: the mark then shows in 管理名称, as docs/libreoffice.md says)."""
    try:
        return uno.getConstantByName("com.sun.star.sheet.NamedRangeFlag.HIDDEN")
    except Exception:
        return 0


def _mark(doc, sheet):
    names = doc.NamedRanges
    if names.hasByName(OWNER_MARK):
        names.removeByName(OWNER_MARK)
    anchor = uno.createUnoStruct("com.sun.star.table.CellAddress")
    # The header row, as the file write-back marks it; saved into .xlsx as the same defined name.
    names.addNewByName(OWNER_MARK, "$'%s'.$A$1:$I$1" % sheet.replace("'", "''"), anchor, _hidden_flag())


# ---------------------------------------------------------------- where PlanReport is

def _find_launcher():
    """The command that runs PlanReport, and where it was found: PLANREPORT_PYTHON, then
    INTERPRETER_LINUX in ~/.planreport/planreport.conf, then `planreport` on PATH."""
    python = os.environ.get("PLANREPORT_PYTHON", "").strip()
    if python:
        if not _is_executable(python):
            raise Refusal("环境变量 PLANREPORT_PYTHON 指向的 %s 不存在或不可执行。" % python)
        return [python, "-m", "addin"], "环境变量 PLANREPORT_PYTHON"
    conf = os.path.expanduser(CONF_PATH)
    python = _read_conf(conf).get(CONF_KEY, "")
    if python:
        if not _is_executable(python):
            raise Refusal("%s 中的 %s=%s 不存在或不可执行：请重新运行 planreport libreoffice install。"
                          % (conf, CONF_KEY, python))
        return [python, "-m", "addin"], conf
    script = shutil.which("planreport", path=_child_env().get("PATH"))
    if script:
        return [script], "PATH 中的 planreport"
    raise Refusal("找不到 PlanReport：请在终端运行 planreport libreoffice install，"
                  "或设置环境变量 PLANREPORT_PYTHON 为装有 PlanReport 的 Python。")


def _read_conf(path):
    """"KEY","value" lines, the format of the Excel add-in's planreport.conf."""
    entries = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                key, sep, value = line.partition(",")
                if sep:
                    entries[key.strip().strip('"')] = value.strip().strip('"')
    except OSError:
        pass
    return entries


def _is_executable(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def _child_env():
    env = {k: v for k, v in os.environ.items() if k not in CHILD_ENV_DROP}
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUTF8"] = "1"
    return env


def _timeout():
    text = os.environ.get("PLANREPORT_LO_TIMEOUT") or _read_conf(os.path.expanduser(CONF_PATH)).get(TIMEOUT_KEY)
    try:
        return max(1.0, float(text)) if text else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


# ---------------------------------------------------------------- the other buttons

def _open_folder():
    doc = _document()
    path = _workbook_path(doc)
    if path is None:
        raise Refusal("工作簿还没有保存，也就还没有报告文件夹。")
    folder = os.path.join(os.path.dirname(path), REPORT_FOLDER)
    if not os.path.isdir(folder):
        raise Refusal("还没有报告：请先点“生成报告”（报告会写到 %s）。" % folder)
    if os.environ.get("PLANREPORT_LO_MESSAGES"):
        return "报告文件夹：" + folder  # headless: there is no file manager to show
    shell = _create("com.sun.star.system.SystemShellExecute")
    shell.execute(uno.systemPathToFileUrl(folder), "", 1)  # 1 = URIS_ONLY
    return None


def _diagnose():
    lines = ["LibreOffice：%s" % _office_version(), "LibreOffice 的 Python：%s" % sys.version.split()[0]]
    try:
        launcher, source = _find_launcher()
    except Refusal as exc:
        lines.append("✗ " + str(exc))
    else:
        lines.append("PlanReport 的启动方式：%s（来自%s）" % (" ".join(launcher), source))
        try:
            proc = subprocess.run(list(launcher) + ["--version"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, env=_child_env(), timeout=min(_timeout(), 60))
            said = proc.stdout.decode("utf-8", "replace").strip().splitlines()
            lines.append(("✓ " if proc.returncode == 0 else "✗ ") + (said[-1] if said else "没有输出"))
        except (OSError, subprocess.TimeoutExpired) as exc:
            lines.append("✗ 无法运行 PlanReport：%s" % _one_line(exc))
    doc = XSCRIPTCONTEXT.getDocument()  # noqa: F821
    if doc is not None and doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
        path = _workbook_path(doc)
        lines.append("当前工作簿：%s" % (path or "未保存"))
        lines.append("“%s”工作表：%s" % (RESULTS_SHEET, {"absent": "没有", "own": "PlanReport 生成",
                                                       "foreign": "用户自己的（不会被覆盖）"}[_results_sheet_state(doc)]))
    else:
        lines.append("当前文档不是 Calc 工作簿")
    return "\n".join(lines)


def _office_version():
    try:
        provider = _create("com.sun.star.configuration.ConfigurationProvider")
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess", _props(nodepath="/org.openoffice.Setup/Product"))
        return "%s %s" % (access.getByName("ooName"), access.getByName("ooSetupVersionAboutBox"))
    except Exception:
        return "未知"


# ---------------------------------------------------------------- messages

def _show(text, ok):
    if not text:
        return
    target = os.environ.get("PLANREPORT_LO_MESSAGES")
    if target:
        # Headless (and in the tests) a box would wait for a click that never comes.
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"title": TITLE, "ok": ok, "message": text}, ensure_ascii=False) + "\n")
        return
    try:
        frame = XSCRIPTCONTEXT.getDocument().getCurrentController().getFrame()  # noqa: F821
        window = frame.getContainerWindow()
        toolkit = window.getToolkit()
        box_type = uno.Enum("com.sun.star.awt.MessageBoxType", "INFOBOX" if ok else "ERRORBOX")
        box = toolkit.createMessageBox(window, box_type, 1, TITLE, text)  # 1 = BUTTONS_OK
        box.execute()
    except Exception:
        _log_line(text)  # no window to show it in: keep it where 诊断 and the user can find it


def _log_path():
    return os.path.join(os.path.expanduser("~"), ".planreport", "libreoffice.log")


def _log_line(text):
    try:
        os.makedirs(os.path.dirname(_log_path()), exist_ok=True)
        with open(_log_path(), "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError:
        pass


def _log_traceback():
    _log_line(traceback.format_exc())


def _one_line(exc):
    text = str(getattr(exc, "Message", "") or exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def _safe_name(stem):
    cleaned = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in stem).strip(" .")
    return cleaned[:120] or "工作簿"


def _props(**values):
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def _create(service):
    ctx = XSCRIPTCONTEXT.getComponentContext()  # noqa: F821
    return ctx.ServiceManager.createInstanceWithContext(service, ctx)
