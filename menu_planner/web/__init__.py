"""Server-rendered pages for people (Spanish): nutritionists generate and sign menu
cycles, center administrators get their weekly shopping lists, financial units review
petty cash and settle it. Built on the service's use cases and its sign-in.

`install_web(app)` mounts everything on the service's FastAPI app: call it before the
API routers are included, so that `/` is the web start page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

STATIC_PATH = "/static"


def install_web(app: FastAPI) -> None:
    """Add the pages, their static files and the HTML error pages to `app`."""
    # Imported here: the pages import the API's dependencies, whose package imports
    # this one to build the app.
    from fastapi.staticfiles import StaticFiles

    from menu_planner.web.errors import install_error_pages
    from menu_planner.web.render import HERE
    from menu_planner.web.routes import pages_router

    install_error_pages(app)
    app.mount(STATIC_PATH, StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(pages_router())


__all__ = ["install_web"]
