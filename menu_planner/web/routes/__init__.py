"""Routers of the web pages (Spanish addresses, server-rendered)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from menu_planner.web.routes import (
    accounts,
    auth,
    centers,
    cycles,
    enrollment,
    exchanges,
    finance,
    generate,
    settlements,
    variants,
)


async def mark_page(request: Request) -> None:
    """Errors of these routes are shown as pages, not as JSON."""
    request.state.page = True


def pages_router() -> APIRouter:
    """Every page, with the page marker; none appears in the API's OpenAPI schema."""
    router = APIRouter(dependencies=[Depends(mark_page)], include_in_schema=False)
    # generate before cycles: /ciclos/generar must not be read as a cycle id.
    for module in (auth, generate, cycles, centers, enrollment, finance, settlements,
                   exchanges, variants, accounts):
        router.include_router(module.router)
    return router
