"""Exchange lists (listas de intercambio) and food substitutions: a pure core (no web,
database or spreadsheet imports). See docs/exchanges.md."""
