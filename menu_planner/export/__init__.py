"""Writers of files people open: spreadsheets (the only place importing openpyxl), CSV, JSON.

Import a writer from its module, e.g. `from menu_planner.export.cycle_xlsx import
write_cycle_xlsx`; shared print and style helpers live in `xlsx_style`.
"""
