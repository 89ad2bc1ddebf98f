"""menu_planner: menus and food procurement for institutional feeding programs."""

__version__ = "0.1.0"
