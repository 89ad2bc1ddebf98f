"""The landing page at `/`. Kept alone so the web UI can replace this router."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["inicio"])

PAGE = """<!doctype html>
<html lang="es">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Planificador de menús y compras</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;
line-height:1.5;color:#1d2a33}h1{font-size:1.6rem}a{color:#0b5fa5}</style></head>
<body>
<h1>Planificador de menús y compras</h1>
<p>Servicio para las nutricionistas, los centros y las unidades financieras de los
programas de alimentación: ciclos de menú de 6 semanas firmados, listas de compras
semanales por centro y caja chica mensual.</p>
<ul>
<li><a href="/docs">Documentación interactiva de la API</a></li>
<li><a href="/redoc">Referencia de la API</a></li>
<li><a href="/health">Estado del servicio</a></li>
</ul>
</body></html>
"""


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home() -> HTMLResponse:
    """Página de inicio."""
    return HTMLResponse(PAGE)
