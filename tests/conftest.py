from __future__ import annotations

from pathlib import Path

import pytest

from menu_planner.domain import Dataset
from menu_planner.reference_data import load_dataset

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"


@pytest.fixture(scope="session")
def tiny_dir() -> Path:
    return TINY


@pytest.fixture(scope="session")
def tiny() -> Dataset:
    return load_dataset(TINY)
