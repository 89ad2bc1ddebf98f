"""Rounding what is needed up to what a market sells, and what is left over."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Slack (in purchase steps) so that float noise such as 2.0000000000000004 libras does not
# buy a whole extra step; at most a millionth of a gram per line is left uncovered.
_SLACK = 1e-9
GRAM_DECIMALS = 2  # grams are reported (and carried) to the hundredth of a gram


def round_grams(grams: FloatArray) -> FloatArray:
    """Grams rounded as reported, so that what is carried equals what is printed."""
    return np.round(grams, GRAM_DECIMALS)


def units_to_buy(
    needed_grams: FloatArray, carried_in_grams: FloatArray, unit_grams: FloatArray,
    step: FloatArray,
) -> FloatArray:
    """Purchase units to buy: the smallest multiple of `step` such that
    units x unit_grams + carried_in_grams >= needed_grams (0 when stock covers the need).

    Example: 2150.4 g needed, 120 g in stock, libra = 453.6 g sold by the half:
    (2150.4 - 120) / 453.6 = 4.476 libras -> 4.5 libras.
    """
    missing = np.maximum(needed_grams - carried_in_grams, 0.0)
    steps = np.ceil(missing / (unit_grams * step) - _SLACK)
    return np.round(np.maximum(steps, 0.0) * step, 6)


def left_over(
    needed_grams: FloatArray, carried_in_grams: FloatArray, units: FloatArray,
    unit_grams: FloatArray, keeps: npt.NDArray[np.bool_],
) -> FloatArray:
    """Grams left after the week for foods that keep (0 for perishables)."""
    rest = round_grams(units * unit_grams + carried_in_grams - needed_grams)
    return np.where(keeps, np.maximum(rest, 0.0), 0.0)
