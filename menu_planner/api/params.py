"""Query and path parameters shared by the routers (bounded, so no value reaches the
database that it cannot hold)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2_147_483_647

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int, Query(ge=1, le=1000)]
Text = Annotated[str | None, Query(max_length=80)]
RevisionQuery = Annotated[int | None, Query(
    ge=1, le=MAX_ID, description="La revisión que usted leyó; si el registro cambió desde "
    "entonces, 409 `revision_desactualizada` y no se borra nada.")]
Month = Annotated[str, Query(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$", examples=["2027-02"],
                             description="Mes AAAA-MM")]
