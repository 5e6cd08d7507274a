from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "kundulun-2025.xlsx"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_result():
    from addin.app.pipeline import check_workbook

    return check_workbook(SAMPLE)


@pytest.fixture(scope="session")
def sample_json(sample_result) -> dict:
    return sample_result.to_json()
