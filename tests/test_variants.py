"""Special-case variants of a cycle: stricter targets met with as few changes as possible,
and the extra food a center buys for the people of a subgroup. Fixture cycles and
centers: tests/fixtures/exchanges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from menu_planner.centers import load_centers
from menu_planner.domain import Center, DataError, Dataset, MenuCycle, cycle_from_dict
from menu_planner.nutrition import day_totals
from menu_planner.procurement import PurchaseSettings, weekly_purchase_lists
from menu_planner.reference_data import load_dataset
from menu_planner.variants.derive import derive_variant
from menu_planner.variants.purchases import (
    VariantUse,
    extra_grams,
    load_special_counts,
    purchases_with_variants,
    split_by_enrollment,
)
from menu_planner.variants.report import SWAP, variant_to_dict
from menu_planner.variants.special import (
    ADDED_SUGAR,
    DEFAULT_RULES,
    PORTIONS,
    load_special_rules,
    subgroup_targets,
)

FIX = Path(__file__).parent / "fixtures" / "exchanges"
DATA = FIX / "data"


def read(name: str) -> MenuCycle:
    return cycle_from_dict(json.loads((FIX / name).read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def ex() -> Dataset:
    return load_dataset(DATA)


@pytest.fixture(scope="module")
def centers(ex: Dataset) -> list[Center]:
    return load_centers(FIX / "centers.csv", ex)


def test_low_weight_targets_raise_energy_and_protein_and_the_portion_ceiling(
    ex: Dataset,
) -> None:
    """Base 4-6 y: energy 600-1400 kcal, protein >= 18 g, portions 0.8-1.2. Low weight:
    energy x 1.20 = 720-1680, protein x 1.25 = 22.5, portion ceiling x 1.25 = 1.5."""
    sp = subgroup_targets(ex, load_special_rules(ex, DATA), "cadi", "bajo_peso")
    got = {(t.age_group, t.nutrient): (t.min, t.max) for t in sp.changed}
    assert got[("4-6y", "energy_kcal")] == (720.0, 1680.0)
    assert got[("4-6y", "protein_g")] == (22.5, None)
    assert got[("1-3y", "energy_kcal")] == (480.0, 1080.0)
    assert sp.portion_ranges["4-6y"] == (0.8, 1.5)
    assert sp.portion_ranges["1-3y"] == (0.5, 1.0)
    sodium = [t for t in sp.of("4-6y") if t.nutrient == "sodium_mg"]
    assert sodium[0].max == 1200.0  # other base targets stay in force


def test_a_low_weight_variant_meets_its_targets_reusing_the_base_dishes(ex: Dataset) -> None:
    base = read("cycle_cadi.json")
    result = derive_variant(ex, base, "bajo_peso", data_dir=DATA)
    assert result.ok and result.reused_share >= 0.8
    assert [d.status for d in result.days] == ["optimal", "optimal"]
    for day in result.cycle.days:
        for g, (lo, hi, protein) in {"1-3y": (480, 1080, 15.0),
                                     "4-6y": (720, 1680, 22.5)}.items():
            t = day_totals(ex, day, g)
            assert lo - 1e-6 <= t["energy_kcal"] <= hi and t["protein_g"] >= protein - 1e-6
            assert t["cost_q"] <= base.daily_budget_q
            assert t["energy_kcal"] == pytest.approx(day.totals[g]["energy_kcal"], abs=1e-3)
        for m in day.meals:
            for it in m.items:
                assert 0.5 <= it.portions["1-3y"] <= 1.0 and 0.8 <= it.portions["4-6y"] <= 1.5
    costs = result.cost_summary()
    assert costs["4-6y"]["difference_q"] > 0
    assert costs["4-6y"]["variant_q"] == pytest.approx(
        sum(day_totals(ex, d, "4-6y")["cost_q"] for d in result.cycle.days) / 2, abs=1e-3)


def test_a_hypertension_variant_trims_the_salty_dish(ex: Dataset) -> None:
    """Day 2 has 877.26 mg of sodium; the ceiling is 1,500 x 0.55 = 825 mg. The beef soup
    holds 618.17 mg per portion (1.5 g salt x 387.58 + 60 g beef x 0.60 + 40 g güisquil
    x 0.02): one less step of 0.05 leaves 846.4 mg, two (portion 0.9) 815.4 mg. The
    smallest change: the soup at 0.9 portion, every dish kept."""
    result = derive_variant(ex, read("cycle_mad.json"), "hipertension", data_dir=DATA)
    assert result.ok and result.reused_share == 1.0 and result.swaps == 0
    day2 = result.days[1]
    assert [(c.kind, c.recipe_id, c.before, c.after) for c in day2.changes] == [
        ("portion", "caldo_res", 1.0, 0.9)]
    assert day_totals(ex, result.cycle.days[1], "60+")["sodium_mg"] == pytest.approx(
        877.26 - 0.1 * 618.17, abs=0.01)
    assert not result.days[0].changes and not result.days[2].changes


def test_a_diabetes_variant_serves_no_added_sugar(ex: Dataset) -> None:
    """Added sugar = grams of foods of the group azucares. The sugared drinks go: removed
    where the day keeps its energy without them (day 1: 627.0 - 124.8 = 502.2 kcal), swapped
    for the sugar-free atol elsewhere (day 2 would drop to 390.5 kcal)."""
    result = derive_variant(ex, read("cycle_mad.json"), "diabetes", data_dir=DATA)
    assert result.ok
    assert all(d.totals["60+"][ADDED_SUGAR] == 0 for d in result.cycle.days)
    day2 = {(c.kind, c.recipe_id, c.new_recipe_id) for c in result.days[1].changes}
    assert (SWAP, "arroz_con_leche", "atol_incaparina_sin_azucar") in day2
    assert result.days[0].reused == 4 and result.days[0].base_items == 5
    assert result.reused_share == pytest.approx(11 / 14)


def test_the_variant_file_is_a_cycle_with_a_variant_section(ex: Dataset) -> None:
    result = derive_variant(ex, read("cycle_mad.json"), "hipertension", data_dir=DATA)
    doc = json.loads(json.dumps(variant_to_dict(result, ex)))
    again = cycle_from_dict(doc)
    assert again.days == result.cycle.days
    v = doc["variant"]
    assert v["subgroup"] == "hipertension" and v["reused_share"] == 1.0
    assert v["special_targets"] == [{"age_group": "60+", "nutrient": "sodium_mg",
                                     "min": None, "max": 825.0, "basis": "day"}]
    assert "porción 1 → 0.9" in v["days"][1]["changes"][0]["message_es"]


def test_an_unknown_subgroup_is_reported(ex: Dataset) -> None:
    with pytest.raises(DataError, match="hipertension, diabetes"):
        derive_variant(ex, read("cycle_mad.json"), "celiaquia", data_dir=DATA)


def test_the_shipped_special_targets_match_the_defaults() -> None:
    shipped = load_dataset(None)
    rows = load_special_rules(shipped)
    key = [(r.program, r.subgroup, r.age_group, r.nutrient, r.min, r.max, r.min_factor,
            r.max_factor) for r in rows]
    assert key == [(r.program, r.subgroup, r.age_group, r.nutrient, r.min, r.max,
                    r.min_factor, r.max_factor) for r in DEFAULT_RULES]
    assert any(r.nutrient == PORTIONS for r in rows)


def test_bad_special_target_rows_are_reported(tmp_path: Path, ex: Dataset) -> None:
    (tmp_path / "menus").mkdir()
    (tmp_path / "menus" / "special_targets.csv").write_text(
        "program,subgroup,age_group,nutrient,min,max,basis\n"
        "cadi,bajo_peso,7-9y,energy_kcal,900,,day\n"
        "cadi,bajo_peso,*,vitamina_d,1,,day\n"
        "mad,diabetes,*,added_sugar_g,,,day\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_special_rules(ex, tmp_path)
    assert {(p.line, p.column) for p in err.value.problems} == {
        (2, "age_group"), (3, "nutrient"), (4, "min")}


def test_people_of_a_subgroup_are_read_from_the_centers_file(centers: list[Center]) -> None:
    """C-1 declares 3 children with low weight (4 of 1-3 y and 10 of 4-6 y enrolled):
    3 x 4/14 = 0.86 and 3 x 10/14 = 2.14 -> 0 and 2, the remaining one to the larger
    remainder (1-3 y). C-2 declares 2 of 4-6 y exactly."""
    counts = load_special_counts(FIX / "centers.csv", centers, "bajo_peso", ["1-3y", "4-6y"])
    assert counts == {"C-1": {"1-3y": 1, "4-6y": 2}, "C-2": {"4-6y": 2}}
    assert split_by_enrollment(7, centers[0], ["1-3y", "4-6y"]) == {"1-3y": 2, "4-6y": 5}


def test_more_special_people_than_enrolled_is_an_error(tmp_path: Path, ex: Dataset) -> None:
    path = tmp_path / "centers.csv"
    path.write_text((FIX / "centers.csv").read_text(encoding="utf-8").replace(
        "C-2,Hogar Comunitario Dos,cadi,HC,Guatemala,Mixco,0,2,3,,0.5,,2",
        "C-2,Hogar Comunitario Dos,cadi,HC,Guatemala,Mixco,0,2,3,,0.5,,4"), encoding="utf-8")
    with pytest.raises(DataError, match="declara 4 personas"):
        load_special_counts(path, load_centers(path, ex), "bajo_peso", ["1-3y", "4-6y"])


def test_extra_grams_are_the_variant_minus_the_base_times_the_people(
    ex: Dataset, centers: list[Center]
) -> None:
    """M-1: 5 people with hypertension. Day 2 serves them 0.9 instead of 1 portion of the
    beef soup (60 g beef, 40 g güisquil, 1.5 g salt): -0.1 x 5 = -0.5 portion."""
    base = read("cycle_mad.json")
    variant = derive_variant(ex, base, "hipertension", data_dir=DATA).cycle
    counts = load_special_counts(FIX / "centers.csv", centers, "hipertension", ["60+"])
    assert counts == {"M-1": {"60+": 5}}
    assert extra_grams(ex, base, variant, counts, 1) == {
        "M-1": {"res": -30.0, "guisquil": -20.0, "sal": -0.75}}


def test_purchase_lists_with_a_variant_add_the_extra_grams(
    ex: Dataset, centers: list[Center]
) -> None:
    """Beef for M-1 (20 people, day 2): base 60 g x 20 / 0.9 edible = 1333.33 g; with 5 on
    the variant: (15 x 60 + 5 x 54) / 0.9 = 1300.00 g = base - 30 / 0.9."""
    base = read("cycle_mad.json")
    variant = derive_variant(ex, base, "hipertension", data_dir=DATA).cycle
    counts = load_special_counts(FIX / "centers.csv", centers, "hipertension", ["60+"])
    mad = [c for c in centers if c.program == "mad"]
    settings = PurchaseSettings()
    everyone = {"M-1": 1.0}
    plain = weekly_purchase_lists(ex, base, mad, 1, settings=settings, attendance=everyone)
    both = purchases_with_variants(ex, base, mad, [VariantUse("hipertension", variant, counts)],
                                   1, settings=settings, attendance=everyone)
    extra = extra_grams(ex, base, variant, counts, 1)["M-1"]
    for f, food in enumerate(both.foods):
        i = plain.food_ids.index(food.food_id)
        expected = plain.needed_grams[0, i] + extra.get(food.food_id, 0.0) / food.edible_fraction
        assert both.needed_grams[0, f] == pytest.approx(expected, abs=0.01)
    beef = both.food_ids.index("res")
    assert both.needed_grams[0, beef] == pytest.approx(1300.0, abs=0.01)
    assert plain.needed_grams[0, plain.food_ids.index("res")] == pytest.approx(1333.33)
    assert both.budget_q.tolist() == plain.budget_q.tolist()
