"""PDF from the Word report through LibreOffice, so the PDF is what Word would print."""
from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Union

from addin.common.errors import PlanReportError
from addin.render.fonts import fontconfig_env

TIMEOUT_S = 180


def soffice() -> str:
    from addin.workbook.recalc import find_soffice  # PATH, then LibreOffice's default install folders, as --recalc looks

    found = find_soffice()
    if not found:
        raise PlanReportError("未找到 LibreOffice（soffice），请安装 libreoffice-writer 后重试")
    return found


def docx_to_pdf(docx_path: Union[str, Path], out_dir: Union[str, Path]) -> Path:
    docx_path, out_dir = Path(docx_path), Path(out_dir)
    exe = soffice()
    out_dir.mkdir(parents=True, exist_ok=True)
    # A private profile per run: concurrent conversions (or a user's open LibreOffice) would
    # otherwise share a locked profile and soffice exits without converting.
    with tempfile.TemporaryDirectory(prefix="planreport-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)]
        try:
            # fontconfig_env: the planreport[fonts] folder, when installed, is where soffice finds Chinese glyphs.
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, env=fontconfig_env())
        except subprocess.TimeoutExpired:
            raise PlanReportError(f"{docx_path.name}：LibreOffice 转换 PDF 超时（{TIMEOUT_S} 秒）") from None
    pdf = out_dir / (docx_path.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise PlanReportError(f"{docx_path.name}：LibreOffice 未能转换为 PDF（{detail[-1] if detail else done.returncode}）")
    return pdf
