"""What the quality tests share: a copy of the tiny data with a quality standard of
their own."""

from __future__ import annotations

import shutil
from pathlib import Path

TINY = Path(__file__).parent / "fixtures" / "tiny"


def tiny_with_rules(dest: Path, rules: str) -> Path:
    """The tiny data copied to `dest`, with `rules` as its menus/quality_rules.csv."""
    shutil.copytree(TINY, dest)
    (dest / "menus" / "quality_rules.csv").write_text(rules, encoding="utf-8")
    return dest
