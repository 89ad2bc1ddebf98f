"""Signed, expiring bearer tokens (JWT, HS256) that name the user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from menu_planner.config import Settings

ALGORITHM = "HS256"
ISSUER = "menu_planner"


def create_token(user_id: int, settings: Settings) -> tuple[str, int]:
    """A token for `user_id` and its lifetime in seconds."""
    lifetime = timedelta(minutes=settings.token_minutes)
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + lifetime, "iss": ISSUER}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), int(
        lifetime.total_seconds())


def user_id_of(token: str, settings: Settings) -> int | None:
    """The user id a valid, unexpired token names; None for anything else."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM],
                            issuer=ISSUER, options={"require": ["exp", "sub", "iss"]})
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError, TypeError):
        return None
