"""--recalc: let LibreOffice compute formulas that a writer saved without results.

``soffice --convert-to xlsx`` keeps cached values as they are unless told
otherwise: Calc's "recalculation on file load" setting for Excel files
(/org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode, 0 = always) decides.
We run soffice with a throwaway profile that has it set to "always", on a copy
in a private temporary folder, so the user's workbook (and its folder: soffice
writes a .~lock file beside what it opens) is never touched.
"""
from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator, Optional

from addin.common.errors import PlanReportError

ALWAYS_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
EXCEL_2007_FILTER = "xlsx:Calc MS Excel 2007 XML"


def find_soffice() -> Optional[str]:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).exists():
            return candidate
    return None


@contextlib.contextmanager
def recalculated(path, *, data: Optional[bytes] = None, timeout: float = 180) -> Iterator[Path]:
    """A recalculated .xlsx copy of ``path`` (or of ``data``, e.g. a decrypted package).

    The copy lives in a temporary folder removed when the ``with`` block ends.
    """
    path = Path(path)
    soffice = find_soffice()
    if soffice is None:
        raise PlanReportError(f"{path}: --recalc 需要 LibreOffice（soffice），但没有找到；"
                              "请安装 LibreOffice，或在 Excel 中打开并保存工作簿后重试")
    with tempfile.TemporaryDirectory(prefix="planreport-recalc-") as tmp:
        tmp_dir = Path(tmp)
        user = tmp_dir / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(ALWAYS_RECALC, encoding="utf-8")
        # An ASCII name: soffice on Windows mangles some non-ASCII paths on the command line.
        suffix = path.suffix.lower() if path.suffix.lower() in (".xlsx", ".xlsm", ".xls") else ".xlsx"
        copy = tmp_dir / f"input{suffix}"
        if data is not None:
            copy.write_bytes(data)
        else:
            shutil.copyfile(path, copy)
        out_dir = tmp_dir / "out"
        command = [soffice, f"-env:UserInstallation={(tmp_dir / 'profile').as_uri()}", "--headless",
                   "--norestore", "--nologo", "--convert-to", EXCEL_2007_FILTER, "--outdir", str(out_dir), str(copy)]
        try:
            run = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PlanReportError(f"{path}: LibreOffice 重新计算超过 {timeout:.0f} 秒仍未完成；"
                                  "请在 Excel 中打开并保存工作簿后重试") from None
        result = out_dir / "input.xlsx"
        if run.returncode != 0 or not result.exists():
            detail = (run.stderr or run.stdout).decode("utf-8", "replace").strip().splitlines()
            raise PlanReportError(f"{path}: LibreOffice 无法重新计算此工作簿（{detail[-1] if detail else run.returncode}）；"
                                  "请在 Excel 中打开并保存后重试")
        yield result
