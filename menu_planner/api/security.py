"""Signed, expiring bearer tokens (JWT, HS256) that name the user; each carries its own
id (`jti`) so that signing out can end that one token before it expires."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from menu_planner.config import Settings

ALGORITHM = "HS256"
ISSUER = "menu_planner"


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: whose it is, its id and when it expires."""

    user_id: int
    jti: str
    expires_at: datetime
    issued_at: datetime


def create_token(user_id: int, settings: Settings) -> tuple[str, int]:
    """A token for `user_id` and its lifetime in seconds."""
    lifetime = timedelta(minutes=settings.token_minutes)
    now = datetime.now(UTC)
    # iat with its fraction of a second (RFC 7519 NumericDate allows it), so a password
    # change ends the tokens issued before it even within the same second
    claims = {"sub": str(user_id), "iat": now.timestamp(), "exp": now + lifetime, "iss": ISSUER,
              "jti": uuid.uuid4().hex}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), int(
        lifetime.total_seconds())


def token_claims(token: str, settings: Settings) -> TokenClaims | None:
    """The claims of a valid, unexpired token; None for anything else (a token made
    before tokens had an id included)."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM],
                            issuer=ISSUER,
                            options={"require": ["exp", "iat", "sub", "iss", "jti"]})
        jti = claims["jti"]
        if not isinstance(jti, str) or not 0 < len(jti) <= 64:
            return None
        return TokenClaims(int(claims["sub"]), jti,
                           datetime.fromtimestamp(int(claims["exp"]), UTC),
                           datetime.fromtimestamp(float(claims["iat"]), UTC))
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError):
        return None
