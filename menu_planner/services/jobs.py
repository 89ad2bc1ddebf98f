"""Background jobs: cycle generation runs in worker threads, never in the event loop.
Progress is written to the job's row, throttled, so any request can poll it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

ProgressFn = Callable[[float, str], None]


class JobRunner:
    """A small pool of worker threads (default one: solving uses the CPU fully, and a
    second solve at the same time only makes both slower)."""

    def __init__(self, workers: int = 1) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="menu-job")
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def submit(self, job_id: str, fn: Callable[..., None], *args: Any) -> None:
        """Run `fn(*args)` on a worker; exceptions are logged, never lost."""
        future = self._pool.submit(_logged, fn, *args)
        with self._lock:
            self._futures[job_id] = future
        future.add_done_callback(lambda _f: self._forget(job_id))

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._futures.pop(job_id, None)

    def pending(self) -> int:
        """How many submitted jobs have not finished."""
        with self._lock:
            return len(self._futures)

    def wait_idle(self, timeout: float = 600.0) -> bool:
        """Wait until no job is pending (tests and shutdown); False on timeout."""
        end = time.monotonic() + timeout
        while self.pending() and time.monotonic() < end:
            time.sleep(0.05)
        return self.pending() == 0

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)


def _logged(fn: Callable[..., None], *args: Any) -> None:
    try:
        fn(*args)
    except Exception:
        log.exception("trabajo en segundo plano falló")


class Throttle:
    """Calls `sink` at most every `interval` seconds, and always for the final 1.0."""

    def __init__(self, sink: ProgressFn, interval: float = 0.5) -> None:
        self._sink = sink
        self._interval = interval
        self._last = 0.0

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if fraction >= 1.0 or now - self._last >= self._interval:
            self._last = now
            self._sink(min(max(fraction, 0.0), 1.0), message)
