"""Words and forms people read: Spanish dates, Guatemalan numbers and money, and the
Spanish names of the codes the data and the code use (program, status, subgroup, food
and exchange groups, the columns of the CSV files made for people).

Pure (standard library only), so the core, the exporters and the pages share it. The
JSON files and the CLI's CSV keep the contract's codes; only what a person reads goes
through here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")

# Program names when the data set's programs.csv is not at hand (it names them too).
PROGRAM_NAMES_ES = {"cadi": "Hogares Comunitarios y CADI",
                    "mad": "Mis Años Dorados (centros de atención diurna)"}
CYCLE_STATUS_ES = {"draft": "Borrador", "approved": "Aprobado", "superseded": "Reemplazado"}
JOB_STATUS_ES = {"queued": "En cola", "running": "Calculando", "succeeded": "Terminado",
                 "failed": "Sin resultado"}
# The optimizer's `status` and `objective` (optimizer/request.py PlanResult).
SOLVER_STATUS_ES = {
    "optimal": "óptimo (demostrado)",
    "gap_reached": "dentro de la brecha pedida (demostrado)",
    "time_limit": "detenido por el tiempo límite (no demostrado óptimo)",
    "feasible": "ciclo válido; la búsqueda no logró demostrar la brecha pedida",
    "infeasible": "sin solución: ningún ciclo cumple todo",
    "no_solution": "sin ciclo encontrado en el tiempo disponible",
    "unverified": "el ciclo armado no pasó su propia revisión (error del optimizador)",
}
OBJECTIVE_ES = {"cost": "menor costo", "variety": "variedad y aceptación"}
SUBGROUP_NAMES_ES = {"bajo_peso": "bajo peso para la talla o la edad",
                     "hipertension": "hipertensión", "diabetes": "diabetes"}
# Meal slots when no slots.csv names them.
SLOT_NAMES_ES = {
    "desayuno": "Desayuno", "refaccion": "Refacción",
    "refaccion_matutina": "Refacción matutina", "refaccion_manana": "Refacción de la mañana",
    "refaccion_vespertina": "Refacción vespertina", "refaccion_tarde": "Refacción de la tarde",
    "almuerzo": "Almuerzo", "cena": "Cena",
}
# Dish components inside a sentence (data/menus/components.csv names them for headings).
COMPONENT_NAMES_ES = {
    "bebida": "bebida", "plato_principal": "plato principal",
    "acompanamiento": "acompañamiento", "cereal": "tortilla, pan o tamalito",
    "fruta": "fruta", "refaccion": "refacción",
}
FOOD_GROUP_SHORT_ES = {
    "cereales": "cereales", "leguminosas": "leguminosas", "verduras": "verduras",
    "frutas": "frutas", "lacteos": "lácteos", "lacteos_huevos": "lácteos y huevos",
    "carnes": "carnes", "proteina": "proteína", "azucares": "azúcares",
    "grasas": "grasas", "otros": "otros",
}
EXCHANGE_GROUP_NAMES_ES = {
    "azucares_grasas": "azúcares y grasas",
    "cereales_arroz_y_pastas": "cereales: arroz y pastas",
    "cereales_bebidas_listas": "cereales: bebidas listas",
    "cereales_harinas_y_granos": "cereales: harinas y granos",
    "cereales_mezclas_fortificadas": "cereales: mezclas fortificadas",
    "cereales_panes_y_tortillas": "cereales: panes y tortillas",
    "cereales_tuberculos_y_platano": "cereales: tubérculos y plátano",
}


# -- numbers and money ---------------------------------------------------------------------
def number(value: float | None, digits: int = 1, blank: str = "—") -> str:
    """1,204.5 with `digits` decimals (trailing .0 kept for a steady column)."""
    if value is None:
        return blank
    return f"{value:,.{digits}f}"


def integer(value: float | None, blank: str = "—") -> str:
    """16,414 (whole number with thousands separators)."""
    return blank if value is None else f"{round(value):,}"


def money(value: float | None, blank: str = "—", signed: bool = False) -> str:
    """Q1,234.50 (the way Guatemala writes quetzales); `signed` adds + to a positive
    difference."""
    if value is None:
        return blank
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    return f"{sign}Q{abs(value):,.2f}"


# -- dates -----------------------------------------------------------------------------------
def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def day_date(value: date | datetime | None) -> str:
    """'21 de diciembre de 2026'."""
    if value is None:
        return "—"
    d = _day(value)
    return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"


def long_date(value: date | datetime | None) -> str:
    """'lunes 21 de diciembre de 2026'."""
    if value is None:
        return "—"
    return f"{WEEKDAYS_ES[_day(value).weekday()]} {day_date(value)}"


def numeric_date(value: date | datetime | None) -> str:
    """'21/12/2026' (for a table cell or a CSV column)."""
    return "" if value is None else f"{_day(value):%d/%m/%Y}"


def iso_to_long_date(text: str) -> str:
    """A stored 'AAAA-MM-DD' written out ('lunes 7 de diciembre de 2026'); other text
    unchanged."""
    try:
        return long_date(date.fromisoformat(text))
    except ValueError:
        return text


def weekday_name(weekday: int) -> str:
    """1 -> 'lunes' ... 7 -> 'domingo' (ISO weekday numbers, as cycles count them)."""
    return WEEKDAYS_ES[weekday - 1] if 1 <= weekday <= 7 else f"día {weekday}"


def month_name(month: str) -> str:
    """'2027-02' -> 'febrero de 2027'."""
    try:
        year, m = month.split("-")
        return f"{MONTHS_ES[int(m) - 1]} de {int(year)}"
    except (ValueError, IndexError):
        return month


# -- codes in words ------------------------------------------------------------------------
def program_name(code: str, names: Mapping[str, str] | None = None) -> str:
    """The program's name from `names` (programs.csv) or the shipped ones."""
    return (names or {}).get(code) or PROGRAM_NAMES_ES.get(code) or code.replace("_", " ")


def subgroup_name(code: str) -> str:
    """'bajo_peso' -> 'bajo peso para la talla o la edad'."""
    return SUBGROUP_NAMES_ES.get(code, code.replace("_", " "))


def slot_name(code: str) -> str:
    """A meal slot as people read it: 'refaccion_matutina' -> 'Refacción matutina' (an
    unknown one with spaces for underscores)."""
    return SLOT_NAMES_ES.get(code) or code.replace("_", " ").strip().capitalize()


def component_name(code: str) -> str:
    """A dish component inside a sentence: 'plato_principal' -> 'plato principal'."""
    return COMPONENT_NAMES_ES.get(code) or code.replace("_", " ").strip()


def exchange_group_name(code: str) -> str:
    """'cereales_harinas_y_granos' -> 'cereales: harinas y granos' (a group made by a
    nutritionist: its first word if it is a food group, then the rest in words)."""
    if code in EXCHANGE_GROUP_NAMES_ES:
        return EXCHANGE_GROUP_NAMES_ES[code]
    if code in FOOD_GROUP_SHORT_ES:
        return FOOD_GROUP_SHORT_ES[code]
    head, _, rest = code.partition("_")
    if head in FOOD_GROUP_SHORT_ES and rest:
        return f"{FOOD_GROUP_SHORT_ES[head]}: {rest.replace('_', ' ')}"
    return code.replace("_", " ")


def solver_status(code: str) -> str:
    return SOLVER_STATUS_ES.get(code, code.replace("_", " "))


def objective_name(code: str) -> str:
    return OBJECTIVE_ES.get(code, code.replace("_", " "))


# -- CSV files for people ------------------------------------------------------------------
PURCHASE_COLUMNS_ES = {
    "week": "Semana del ciclo", "center_id": "Código del centro", "center_name": "Centro",
    "program": "Programa", "department": "Departamento", "municipality": "Municipio",
    "attendance": "Asistencia esperada", "people_served": "Personas al día",
    "service_days": "Días de servicio", "food_id": "Código del alimento",
    "name_es": "Alimento", "food_group": "Grupo de alimentos",
    "market_section": "Sección del mercado", "purchase_unit": "Unidad de compra",
    "unit_grams": "Gramos por unidad", "needed_grams": "Gramos necesarios",
    "waste_factor": "Factor de desperdicio", "carried_in_grams": "Gramos de la semana anterior",
    "quantity": "Cantidad a comprar", "carried_out_grams": "Gramos que sobran",
    "unit_price_q": "Precio por unidad (Q)", "price_date": "Fecha del precio",
    "price_region": "Región del precio", "price_age_days": "Antigüedad del precio (días)",
    "cost_q": "Costo (Q)", "days_off": "Días sin servicio",
}
CAJA_COLUMNS_ES = {
    "month": "Mes", "center_id": "Código del centro", "name": "Centro",
    "program": "Programa", "center_type": "Tipo", "department": "Departamento",
    "municipality": "Municipio", "enrolled": "Inscritos", "service_days": "Días de servicio",
    "daily_quota_q": "Cuota diaria (Q)", "food_entitlement_q": "Alimentación (Q)",
    "planned_food_q": "Compras planificadas (Q)", "total_q": "Total (Q)",
    "assigned_q": "Asignado (Q)", "assigned_difference_q": "Asignado menos calculado (Q)",
    "previous_enrolled": "Inscritos del mes anterior",
    "allowances_pending": "Asignaciones pendientes", "flags": "Alertas",
}


def people_csv_rows(
    rows: Sequence[Sequence[object]], headers: Mapping[str, str],
    values: Mapping[str, Mapping[str, str]] | None = None,
    dates: Sequence[str] = (),
) -> list[list[str]]:
    """A CSV table (header row first, contract column names) made for people: Spanish
    headers from `headers`, coded values of column c replaced by `values[c]`, ISO dates of
    the `dates` columns written dd/mm/aaaa. Columns not in `headers` keep their name."""
    if not rows:
        return []
    names = [str(h) for h in rows[0]]
    out = [[headers.get(h, h) for h in names]]
    maps = values or {}
    for row in rows[1:]:
        cells = []
        for name, cell in zip(names, row, strict=True):
            text = "" if cell is None else str(cell)
            if name in maps:
                text = maps[name].get(text, text)
            elif name in dates and text:
                text = numeric_date(date.fromisoformat(text))
            cells.append(text)
        out.append(cells)
    return out
