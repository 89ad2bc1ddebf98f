"""Throttling of sign-in (OWASP ASVS 2.2.1): failed attempts are counted per account and
per client address with the `limits` library, and an account or address over its limit
is refused (429 with the seconds to wait) before the password hash runs. At most
`login_hash_slots` hashes run at once: argon2 takes 64 MiB and a core for each try, so a
flood of guesses cannot starve the rest of the service."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from menu_planner.config import Settings
from menu_planner.services.errors import TooManyAttempts

ACCOUNT, CLIENT = "cuenta", "cliente"
BUSY_RETRY_SECONDS = 1
_MAX_REPORTED = 10_000


@dataclass(frozen=True)
class Block:
    """An account or address that is over its limit, and until when (epoch seconds)."""

    scope: str
    key: str
    until: float

    def error(self) -> TooManyAttempts:
        wait = max(1, math.ceil(self.until - time.time()))
        minutes = f"{math.ceil(wait / 60)} minuto(s)" if wait >= 60 else f"{wait} segundo(s)"
        whom = "esta cuenta" if self.scope == ACCOUNT else "esta dirección"
        return TooManyAttempts(f"Demasiados intentos fallidos de inicio de sesión desde "
                               f"{whom}; espere {minutes} y vuelva a intentarlo.", wait)


class LoginGuard:
    """Counts failed sign-ins and refuses those over the limits, before any hashing."""

    def __init__(self, settings: Settings) -> None:
        self._limiter = MovingWindowRateLimiter(
            storage_from_string(settings.login_limit_storage))
        self._limits: dict[str, RateLimitItem] = {
            ACCOUNT: parse(settings.login_limit_account),
            CLIENT: parse(settings.login_limit_client)}
        self._slots = threading.BoundedSemaphore(settings.login_hash_slots)
        self._reported: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _keys(username: str, client: str) -> dict[str, str]:
        return {ACCOUNT: username.strip().lower()[:80], CLIENT: client[:64]}

    def blocked(self, username: str, client: str) -> Block | None:
        """The first limit this attempt is over, if any (nothing is counted)."""
        for scope, key in self._keys(username, client).items():
            item = self._limits[scope]
            if not self._limiter.test(item, scope, key):
                stats = self._limiter.get_window_stats(item, scope, key)
                return Block(scope, key, stats.reset_time)
        return None

    def first_report(self, block: Block) -> bool:
        """Whether this block is new (so it is audited once per window, not per try)."""
        with self._lock:
            now = time.time()
            if len(self._reported) > _MAX_REPORTED:
                self._reported = {k: v for k, v in self._reported.items() if v > now}
            if self._reported.get((block.scope, block.key), 0.0) > now:
                return False
            self._reported[(block.scope, block.key)] = block.until
            return True

    def failed(self, username: str, client: str) -> None:
        """Count a failed attempt against the account and the address."""
        for scope, key in self._keys(username, client).items():
            self._limiter.hit(self._limits[scope], scope, key)

    @contextmanager
    def hashing_slot(self) -> Iterator[None]:
        """Hold one of the hash slots while a password is checked; TooManyAttempts at
        once (no waiting, which would hold a worker thread) when all are busy."""
        if not self._slots.acquire(blocking=False):
            raise TooManyAttempts("Hay muchos inicios de sesión en este momento; vuelva a "
                                  "intentarlo en un segundo.", BUSY_RETRY_SECONDS)
        try:
            yield
        finally:
            self._slots.release()
