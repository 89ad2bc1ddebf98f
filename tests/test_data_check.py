"""`menu-planner data check` and the loader: every kind of breakage is reported with
file, line and column, all at once, and the command exits non-zero."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from menu_planner.cli import app
from menu_planner.domain import DataError
from menu_planner.reference_data import load_dataset

runner = CliRunner()


def broken_copy(tiny_dir: Path, tmp_path: Path, rel: str, edit: Callable[[str], str]) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(tiny_dir, dest)
    target = dest / rel
    target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    return dest


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        load_dataset(data_dir)
    return [str(p) for p in err.value.problems]


def test_the_tiny_fixture_is_valid(tiny_dir: Path) -> None:
    result = runner.invoke(app, ["data", "check", "--data", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    assert "Datos válidos" in result.output
    assert "alimentos (foods.csv): 13" in result.output


BREAKAGES = [
    pytest.param(
        "menus/recipe_ingredients.csv",
        lambda s: s.replace("banano_fruta,banano,100", "banano_fruta,banana_x,100"),
        "menus/recipe_ingredients.csv, línea 24, columna 'food_id': alimento desconocido "
        "'banana_x'",
        id="unknown-food",
    ),
    pytest.param(
        "menus/recipe_ingredients.csv",
        lambda s: s.replace("tortillas,tortilla_maiz,60", "tortillas,tortilla_maiz,-60"),
        "menus/recipe_ingredients.csv, línea 23, columna 'grams': el valor -60 debe ser > 0",
        id="negative-value",
    ),
    pytest.param(
        "foods/foods.csv",
        lambda s: s.replace("Huevo de gallina,lacteos_huevos,0.88", "Huevo de gallina,"
                            "lacteos_huevos,1.5"),
        "foods/foods.csv, línea 5, columna 'edible_fraction': el valor 1.5 debe ser <= 1",
        id="edible-fraction-out-of-range",
    ),
    pytest.param(
        "foods/foods.csv",
        lambda s: s.replace("Banano,frutas,0.65,89,1.1,0.3,22.8,2.6,5,0.26",
                            "Banano,frutas,0.65,89,1.1,0.3,22.8,2.6,5,"),
        "foods/foods.csv, línea 9, columna 'iron_mg': celda vacía",
        id="blank-nutrient",
    ),
    pytest.param(
        "foods/prices.csv",
        lambda s: s.replace("naranja,Nacional,unidad,180,1.00,2022-01-15,fixture\n", ""),
        "foods/foods.csv, columna 'food_id': el alimento 'naranja' no tiene precio 'Nacional'",
        id="missing-price",
    ),
    pytest.param(
        "foods/prices.csv",
        lambda s: s.replace("arroz_blanco,Nacional,libra,453.6,5.00",
                            "arroz_blanco,Nacional,libra,453.6,5,00"),
        "foods/prices.csv, línea 4",
        id="malformed-number-extra-cell",
    ),
    pytest.param(
        "foods/prices.csv",
        lambda s: s.replace("arroz_blanco,Nacional,libra,453.6,5.00",
                            "arroz_blanco,Nacional,libra,453.6,Q5"),
        "foods/prices.csv, línea 4, columna 'price_q': 'Q5' no es un número",
        id="malformed-number",
    ),
    pytest.param(
        "menus/recipes.csv",
        lambda s: s + "tortillas,Tortillas otra vez,acompanamiento,almuerzo,cadi,,0.5\n",
        "menus/recipes.csv, línea 13, columna 'recipe_id': recipe_id repetido 'tortillas' "
        "(ya aparece en la línea 10)",
        id="duplicate-id",
    ),
    pytest.param(
        "menus/recipes.csv",
        lambda s: s.replace("naranja_fruta,Naranja en gajos,fruta,refaccion,",
                            "naranja_fruta,Naranja en gajos,fruta,cena,"),
        "menus/recipes.csv, línea 12, columna 'slots': ningún patrón de comida de cadi/mad "
        "tiene el componente 'fruta' en cena",
        id="recipe-with-no-slot",
    ),
    pytest.param(
        "menus/recipes.csv",
        lambda s: s.replace("naranja_fruta,Naranja en gajos,fruta,refaccion,",
                            "naranja_fruta,Naranja en gajos,fruta,,"),
        "menus/recipes.csv, línea 12, columna 'slots': celda vacía",
        id="recipe-with-blank-slot",
    ),
    pytest.param(
        "menus/targets.csv",
        lambda s: s.replace("cadi,4-6y,iron_mg,4,,week", "cadi,4-6y,hierro,4,,week"),
        "menus/targets.csv, línea 9, columna 'nutrient': 'hierro' no es un valor permitido",
        id="target-names-no-nutrient-column",
    ),
    pytest.param(
        "foods/prices.csv",
        lambda s: s.replace("pollo_pieza,Guatemala,", "pollo_pieza,Guatemal,"),
        "foods/prices.csv, línea 10, columna 'department': 'Guatemal' no es un valor permitido",
        id="unknown-department",
    ),
    pytest.param(
        "foods/prices.csv",
        lambda s: s.replace("2022-01-15,fixture\nsal", "15/01/2022,fixture\nsal"),
        "foods/prices.csv, línea 16, columna 'price_date': '15/01/2022' no es una fecha",
        id="malformed-date",
    ),
]


@pytest.mark.parametrize(("rel", "edit", "expected"), BREAKAGES)
def test_a_broken_copy_is_reported_at_its_line(
    tiny_dir: Path, tmp_path: Path, rel: str, edit: Callable[[str], str], expected: str
) -> None:
    data = broken_copy(tiny_dir, tmp_path, rel, edit)
    problems = problems_of(data)
    assert any(expected in p for p in problems), problems
    result = runner.invoke(app, ["data", "check", "--data", str(data)])
    assert result.exit_code == 1
    assert expected in result.output


def test_every_problem_is_reported_at_once(tiny_dir: Path, tmp_path: Path) -> None:
    data = broken_copy(tiny_dir, tmp_path, "foods/foods.csv",
                       lambda s: s.replace(",0.88,", ",0,").replace(",0.65,", ",x,"))
    (data / "menus/recipes.csv").write_text(
        (data / "menus/recipes.csv").read_text(encoding="utf-8").replace(
            "tortillas,Tortillas,acompanamiento,almuerzo,cadi;mad",
            "tortillas,Tortillas,acompanamiento,almuerzo,cadi;escuela"),
        encoding="utf-8")
    problems = problems_of(data)
    assert any("línea 5, columna 'edible_fraction': el valor 0 debe ser > 0" in p
               for p in problems)
    assert any("línea 9, columna 'edible_fraction': 'x' no es un número" in p for p in problems)
    assert any("programa desconocido 'escuela'" in p for p in problems)


def test_a_missing_file_and_a_missing_column_are_named(tiny_dir: Path, tmp_path: Path) -> None:
    data = broken_copy(tiny_dir, tmp_path, "menus/targets.csv",
                       lambda s: s.replace("basis", "base"))
    (data / "menus/programs.csv").unlink()
    problems = problems_of(data)
    assert "menus/programs.csv: falta el archivo" in problems
    assert "menus/targets.csv, línea 1, columna 'basis': falta la columna en el encabezado" \
        in problems


def test_unknown_nutrient_values_stay_unknown_and_are_summarized(tiny_dir: Path) -> None:
    ds = load_dataset(tiny_dir)
    assert ds.foods["tortilla_maiz"].nutrients["folate_ug_dfe"] is None
    result = runner.invoke(app, ["data", "check", "--data", str(tiny_dir)])
    assert "cereales: folate_ug_dfe 1" in result.output


def test_a_contract_only_directory_loads(tiny_dir: Path, tmp_path: Path) -> None:
    """Extra columns (tags, acceptability, requires_tag, market_section, keeps) are optional."""
    dest = tmp_path / "data"
    shutil.copytree(tiny_dir, dest)
    for rel, keep in (("menus/recipes.csv", 5), ("menus/age_groups.csv", 5),
                      ("foods/foods.csv", 17)):
        path = dest / rel
        lines = path.read_text(encoding="utf-8").splitlines()
        import csv
        rows = list(csv.reader(lines))
        with path.open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows(r[:keep] for r in rows)
    ds = load_dataset(dest)
    assert ds.recipes["tortillas"].tags == frozenset()
    assert ds.foods["arroz_blanco"].keeps is True  # cereals keep by default
    assert ds.foods["banano"].keeps is False
