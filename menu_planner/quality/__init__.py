"""The menu-quality standard a nutritionist checks before signing a cycle."""
