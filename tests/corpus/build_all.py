"""Build every corpus workbook into a folder.

    python -m tests.corpus.build_all OUT_DIR      (from the repository root)

Each workbook is named after its script: OUT_DIR/<slug>.xlsx.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

SLUGS = [
    "national_2018_gwr",
    "national_2019_gwr",
    "national_2021_gwr",
    "yuecheng_13th_plan",
    "huiyang_key_projects",
    "zhonglou_major_projects",
    "jiangmen_key_projects",
    "lufeng_key_projects",
]

_PACKAGE = __package__ or "tests.corpus"


def corpus_modules():
    """The corpus scripts, in SLUGS order."""
    return [importlib.import_module(f"{_PACKAGE}.{slug}") for slug in SLUGS]


def build_all(folder) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [module.build(folder / f"{slug}.xlsx") for slug, module in zip(SLUGS, corpus_modules())]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("用法：python -m tests.corpus.build_all 输出文件夹", file=sys.stderr)
        return 2
    for path in build_all(argv[0]):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
