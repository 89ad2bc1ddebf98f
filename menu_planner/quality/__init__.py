"""The menu-quality standard a nutritionist checks before signing a cycle."""

from __future__ import annotations

from pathlib import Path

from menu_planner.domain import DataError, Dataset, MenuCycle
from menu_planner.menu_names import read_slot_names
from menu_planner.quality.check import check_cycle
from menu_planner.quality.report import QualityReport
from menu_planner.quality.standard import (
    QualityStandard,
    load_quality_standard,
    standard_problems,
)


def checked_standard(dataset: Dataset, data_dir: Path | None) -> QualityStandard:
    """The standard of `data_dir` (the shipped one when None); DataError when the rules
    file is wrong or names what the data lacks."""
    standard = load_quality_standard(data_dir)
    problems = standard_problems(standard, dataset)
    if problems:
        raise DataError(problems)
    return standard


def quality_of(cycle: MenuCycle, dataset: Dataset, data_dir: Path | None,
               standard: QualityStandard | None = None) -> QualityReport:
    """The cycle checked against `standard` (else the checked standard of `data_dir`),
    with the slot names of `data_dir`."""
    if standard is None:
        standard = checked_standard(dataset, data_dir)
    return check_cycle(cycle, dataset, standard, read_slot_names(data_dir, cycle.program))
