"""Reading what people type into forms: every problem at once, a Spanish message per
field, and the typed values kept so the form can be shown again as it was."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

REVISION_FIELD = "revision"
MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
GROUPED_RE = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")


class Form:
    """The values a person typed and the problems found, field by field."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.values: dict[str, str] = {k: v.strip() if isinstance(v, str) else ""
                                       for k, v in data.items()}
        self.errors: dict[str, str] = {}

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def revision(self) -> int | None:
        """The record revision the form was shown with (hidden field), if any."""
        raw = self.get(REVISION_FIELD)
        return int(raw) if raw.isdigit() and len(raw) <= 9 else None

    def stale(self, details: list[dict[str, Any]]) -> str:
        """After a refusal because someone else saved the record: the form keeps what
        this person typed but now carries the stored revision, so saving again is a
        deliberate choice to replace the other person's values. The sentence to add to
        the service's message."""
        current = next((d.get("current_revision") for d in details
                        if d.get("current_revision") is not None), None)
        if current is not None:
            self.values[REVISION_FIELD] = str(current)
        return (" Sus valores siguen en el formulario: si vuelve a guardar, reemplazarán "
                "los que guardó la otra persona (para verlos, abra esta página en otra "
                "pestaña).")

    def text(self, name: str, label: str, *, required: bool = True,
             max_length: int = 200) -> str:
        value = self.get(name)
        if required and not value:
            self.error(name, f"Escriba {label}.")
        elif len(value) > max_length:
            self.error(name, f"{label.capitalize()} es demasiado largo (máximo "
                             f"{max_length} caracteres).")
        return value

    def choice(self, name: str, label: str, choices: Mapping[str, str]) -> str:
        value = self.get(name)
        if value not in choices:
            self.error(name, f"Elija {label} de la lista.")
        return value

    def money(self, name: str, label: str, *, required: bool = True,
              minimum: Decimal = Decimal("0"), exclusive: bool = False,
              maximum: Decimal = Decimal("100000000")) -> Decimal | None:
        """An amount in quetzales: 245.50, Q245.50 or 1,245.50 (two decimals at most)."""
        amount = self._typed_number(name, label, required, "245.50")
        if amount is None:
            return None
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            self.error(name, f"{label.capitalize()} puede tener a lo más dos decimales.")
        elif amount < minimum or (exclusive and amount == minimum):
            word = "mayor que" if exclusive else "al menos"
            self.error(name, f"{label.capitalize()} debe ser {word} Q{minimum}.")
        elif amount > maximum:
            self.error(name, f"{label.capitalize()} es demasiado grande.")
        else:
            return amount
        return None

    def number(self, name: str, label: str, *, required: bool = False,
               positive: bool = False) -> float | None:
        """A plain number (1.5 or 1,5; not an amount in Q), at least 0 (above 0 when
        `positive`); None when blank or wrong (the error is on the form)."""
        value = self._typed_number(name, label, required, "1.5", allow_q=False)
        if value is None:
            return None
        if value < 0 or (positive and value == 0):
            self.error(name, f"{label[0].upper()}{label[1:]} debe ser mayor que "
                             f"{'0' if positive else 'o igual a 0'}.")
            return None
        return float(value)

    def _typed_number(self, name: str, label: str, required: bool, example: str,
                      allow_q: bool = True) -> Decimal | None:
        """The field as a Decimal; None when blank (an error if `required`) or not a
        number (without `allow_q`, a leading Q makes it not one)."""
        raw = self.get(name)
        if not raw:
            if required:
                self.error(name, f"Escriba {label}.")
            return None
        value = (parse_amount(raw) if allow_q or not raw.lower().startswith("q")
                 else None)
        if value is None:
            self.error(name, f"Escriba {label} como un número, por ejemplo {example}.")
        return value

    def integer(self, name: str, label: str, lo: int, hi: int, *,
                required: bool = True) -> int | None:
        raw = self.get(name)
        if not raw and not required:
            return None
        if not raw.isdigit() or not lo <= int(raw) <= hi:
            self.error(name, f"{label.capitalize()} debe ser un número entero de {lo} a "
                             f"{hi}.")
            return None
        return int(raw)

    def month(self, name: str, label: str = "el mes") -> str:
        raw = self.get(name)
        if not MONTH_RE.match(raw):
            self.error(name, f"Escriba {label} como AAAA-MM, por ejemplo 2027-02.")
        return raw

    def day(self, name: str, label: str, *, required: bool = True) -> date | None:
        raw = self.get(name)
        if not raw:
            if required:
                self.error(name, f"Escriba {label}.")
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.error(name, f"{label.capitalize()} debe ser una fecha AAAA-MM-DD, por "
                             "ejemplo 2027-02-05.")
            return None


def parse_amount(raw: str) -> Decimal | None:
    """A typed amount as a Decimal; None when it is not a number."""
    text = raw.replace("Q", "").replace("q", "").replace(" ", "").strip()
    if GROUPED_RE.match(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text and re.match(r"^\d+,\d{1,2}$", text):
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def apply_service_details(form: Form, details: list[dict[str, Any]],
                          fields: Mapping[str, str]) -> bool:
    """Put a service's per-field problems on the form's fields (`fields` maps the
    service's field names to the form's). True if any landed on a field."""
    landed = False
    for d in details:
        name = fields.get(str(d.get("field", "")))
        if name and d.get("message"):
            form.error(name, str(d["message"]))
            landed = True
    return landed
