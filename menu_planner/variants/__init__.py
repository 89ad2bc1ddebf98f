"""Special-case variants of a menu cycle (children with low weight, older adults with
hypertension or diabetes) and the extra food they need: a pure core (no web, database or
spreadsheet imports). See docs/exchanges.md."""
