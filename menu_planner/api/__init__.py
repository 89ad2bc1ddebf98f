"""The web API (FastAPI): app factory, dependencies, routers and schemas."""

from menu_planner.api.app import create_app

__all__ = ["create_app"]
