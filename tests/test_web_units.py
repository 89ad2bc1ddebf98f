"""Small pieces of the web pages: money and quantities as people read them, typed
amounts, failure sentences, diagnosis lines and the error-page switch."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from menu_planner.web.cycle_views import (
    diagnosis_lines,
    failure_sentence,
    parse_dish_key,
)
from menu_planner.web.forms import Form, parse_amount
from menu_planner.web.render import money, plural_es, quantity, short_date
from menu_planner.web.session import csrf_for, safe_next


def test_money_reads_like_a_guatemalan_price():
    assert money(1234.5) == "Q1,234.50"
    assert money(-12) == "-Q12.00"
    assert money(None) == "—"


def test_quantities_use_the_plural_of_the_unit():
    assert quantity(7, "libra") == "7 libras"
    assert quantity(1, "unidad") == "1 unidad"
    assert quantity(78, "unidad") == "78 unidades"
    assert quantity(3, "bolsa 450 g") == "3 bolsas 450 g"
    assert quantity(2, "cartón 30 unidades") == "2 cartones 30 unidades"
    assert quantity(0.5, "libra") == "0.50 libras"
    assert plural_es("docena") == "docenas"


def test_times_are_shown_in_guatemala():
    assert short_date(datetime(2027, 2, 3, 18, 5, tzinfo=UTC)) == "3 feb. 2027, 12:05"
    assert short_date(datetime(2027, 2, 3, 3, 0)) == "2 feb. 2027, 21:00"  # naive = UTC


def test_typed_amounts_accept_the_usual_ways_of_writing_them():
    assert parse_amount("245.50") == Decimal("245.50")
    assert parse_amount("Q 1,245.50") == Decimal("1245.50")
    assert parse_amount("245,5") == Decimal("245.5")
    assert parse_amount("doscientos") is None
    assert parse_amount("NaN") is None


def test_a_form_reports_every_field_and_keeps_the_values():
    form = Form({"monto": " 12.345 ", "mes": "2027-13", "nombre": ""})
    assert form.money("monto", "el monto") is None
    form.month("mes")
    form.text("nombre", "el nombre")
    assert form.values["monto"] == "12.345"
    assert form.errors == {
        "monto": "El monto puede tener a lo más dos decimales.",
        "mes": "Escriba el mes como AAAA-MM, por ejemplo 2027-02.",
        "nombre": "Escriba el nombre.",
    }


def test_failure_sentences_say_what_is_missing_and_by_how_much():
    f = {"week": 2, "weekday": 3, "nutrient": "iron_mg", "value": 4.1, "min": 5.0,
         "max": None, "shortfall": 0.9, "excess": 0.0}
    assert failure_sentence("1 a 3 años", f) == (
        "Semana 2, miércoles — 1 a 3 años: hierro (mg) 4.1, el mínimo es 5.0 (faltan 0.9).")
    weekly = {**f, "weekday": None, "nutrient": "sodium_mg", "value": 1300, "min": None,
              "max": 1200, "shortfall": 0, "excess": 100}
    assert failure_sentence("4 a 6 años", weekly) == (
        "Semana 2 (promedio) — 4 a 6 años: sodio (mg) 1,300.0, el máximo es 1,200.0 "
        "(sobran 100.0).")


def test_diagnosis_lines_keep_the_spanish_and_drop_technical_details():
    error = {"code": "sin_solucion", "message": "Ningún ciclo cumple.",
             "details": [{"message": "Falta hierro."},
                         {"diagnosis": {"lines_es": ["Falta hierro."],
                                        "problems_es": ["El almuerzo no tiene platos."],
                                        "least_budget_q": 34.1}}]}
    message, lines = diagnosis_lines(error)
    assert message == "Ningún ciclo cumple."
    assert lines == ["Falta hierro.", "El almuerzo no tiene platos.",
                     "Con un presupuesto de Q34.10 por persona al día sí se encontró un "
                     "ciclo."]
    crash = {"code": "error_interno", "message": "Falló.",
             "details": [{"error": "Traceback ..."}]}
    assert diagnosis_lines(crash) == ("Falló.", [])


def test_dish_keys_round_trip_and_reject_garbage():
    assert parse_dish_key("frijoles|2|3|almuerzo") == ("frijoles", 2, 3, "almuerzo")
    assert parse_dish_key("frijoles|x|3|almuerzo") is None
    assert parse_dish_key("frijoles") is None


def test_only_local_addresses_are_followed_after_sign_in():
    assert safe_next("/ciclos?semana=2") == "/ciclos?semana=2"
    for bad in ("https://malo.example", "//malo.example", "/\\malo", "", None):
        assert safe_next(bad) == "/"


def test_the_csrf_token_depends_on_the_session_and_the_secret():
    a = csrf_for("token-a", "s" * 32)
    assert a == csrf_for("token-a", "s" * 32)
    assert a != csrf_for("token-b", "s" * 32) and a != csrf_for("token-a", "t" * 32)
