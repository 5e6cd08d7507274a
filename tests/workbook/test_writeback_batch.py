"""planreport batch over a folder of real workbooks, one of them broken."""
from __future__ import annotations

import json
import shutil
import zipfile

from addin.app.batch import find_workbooks, run_batch
from addin.cli import main
from addin.workbook.writeback import SHEET_NAME

COUNT = 12


def _folder(tmp_path, sample_path):
    folder = tmp_path / "各旗县区"
    folder.mkdir()
    for i in range(COUNT):
        shutil.copy2(sample_path, folder / f"单位{i:02d}.xlsx")
    # Broken: a truncated package, as a failed copy from a USB stick leaves it.
    (folder / "单位99-损坏.xlsx").write_bytes(sample_path.read_bytes()[:3000])
    # Excel has 单位00 open: its owner file is no workbook, and 单位00 is refused, not damaged.
    (folder / "~$单位00.xlsx").write_bytes(b"owner file")
    return folder


def test_batch_goes_on_past_a_broken_workbook(tmp_path, sample_path):
    folder = _folder(tmp_path, sample_path)
    inputs = find_workbooks(str(folder))
    assert len(inputs) == COUNT + 1
    out = tmp_path / "报告"
    log = tmp_path / "batch.log"
    summary = run_batch(inputs, out, jobs=2, formats=("html",), log=log)

    assert summary.exit_code == 2
    busy, broken = summary.failed
    assert busy.file == str(folder / "单位00.xlsx") and "工作簿正被 Excel 打开" in busy.message
    assert broken.file == str(folder / "单位99-损坏.xlsx") and "单位99-损坏.xlsx" in broken.message
    good = [r for r in summary.rows if r.ok]
    assert len(good) == COUNT - 1 and all(r.indicators == 48 and r.unmet == 2 and r.errors == 1 for r in good)
    for r in good:
        assert [p.endswith(".html") for p in r.outputs] == [True]
        with zipfile.ZipFile(r.file) as zf:
            assert zf.read("xl/workbook.xml").decode().count(f'name="{SHEET_NAME}"') == 1  # the sheet, not the mark naming it
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<a href="') == COUNT - 1 and "单位99-损坏.xlsx" in index and "失败" in index
    assert len(log.read_text(encoding="utf-8").splitlines()) == COUNT + 3  # start, one per file, end


def test_batch_command_json_and_exit_code(tmp_path, sample_path, capsys):
    folder = _folder(tmp_path, sample_path)
    code = main(["batch", str(folder / "单位0[1-3].xlsx"), "--out", str(tmp_path / "out"), "--jobs", "1",
                 "--json", "--no-writeback", "--formats", "html"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert code == 1 == report["exit_code"]  # every sample has the rate_mismatch error finding
    assert [w["ok"] for w in report["workbooks"]] == [True] * 3
    with zipfile.ZipFile(folder / "单位01.xlsx") as zf:
        assert SHEET_NAME not in zf.read("xl/workbook.xml").decode()
    assert captured.err == ""
