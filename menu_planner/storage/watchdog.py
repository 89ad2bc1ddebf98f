"""A client-side deadline for database calls. PostgreSQL's own statement timeout cannot
fire when the server (or the network between) stops answering altogether; then the call
would wait forever. The watchdog cuts the socket of any call that outlives its deadline,
so the call fails at once, the connection is discarded and the next one starts fresh."""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine


class SocketWatchdog:
    """Shuts down the socket of calls past their deadline (one daemon thread)."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self._armed: dict[int, tuple[float, int]] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @contextmanager
    def guard(self, fd: int, limit_s: float | None = None) -> Iterator[None]:
        """Arm a deadline for the socket `fd` while the block runs (`limit_s`, default
        the watchdog's)."""
        key = next(self._ids)
        with self._lock:
            self._armed[key] = (time.monotonic() + (limit_s or self.limit_s), fd)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="db-watchdog")
                self._thread.start()
        try:
            yield
        finally:
            with self._lock:
                self._armed.pop(key, None)

    def _run(self) -> None:
        while True:
            time.sleep(min(0.25, self.limit_s / 4))
            now = time.monotonic()
            with self._lock:
                late = [k for k, (deadline, _) in self._armed.items() if deadline < now]
                fds = [self._armed.pop(k)[1] for k in late]
            for fd in fds:
                _cut(fd)


def _cut(fd: int) -> None:
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        return  # already closed
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


PING_LIMIT_S = 1.5  # "SELECT 1" before reusing a pooled connection; a live server answers


def guard_engine(engine: Engine, limit_s: float) -> SocketWatchdog:
    """Put every execute, commit, rollback and ping of `engine`'s dialect under a
    watchdog with `limit_s` seconds per call (the ping: at most PING_LIMIT_S), for
    socket-based drivers."""
    dog = SocketWatchdog(limit_s)
    dialect: Any = engine.dialect

    def wrap(name: str, conn_of: Callable[..., Any], limit: float | None = None) -> None:
        original = getattr(dialect, name)

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                fd = int(conn_of(*args).fileno())
            except Exception:  # no socket to watch (closed or not a socket driver)
                return original(*args, **kwargs)
            with dog.guard(fd, limit):
                return original(*args, **kwargs)

        setattr(dialect, name, guarded)

    for name in ("do_execute", "do_executemany", "do_execute_no_params"):
        wrap(name, lambda cursor, *_: cursor.connection)
    for name in ("do_commit", "do_rollback"):
        wrap(name, lambda conn, *_: conn)
    wrap("do_ping", lambda conn, *_: conn, min(limit_s, PING_LIMIT_S))
    return dog
