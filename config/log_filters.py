"""Logging filters: an outage of a service the site can live without is logged, not logged 100 times a second."""

from __future__ import annotations

import logging
import time


class OncePerInterval(logging.Filter):
    """Let one record per logger through every ``seconds``; the rest are dropped until then."""

    def __init__(self, seconds: float = 60.0) -> None:
        super().__init__()
        self.seconds = seconds
        self._last: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        last = self._last.get(record.name)
        if last is not None and now - last < self.seconds:
            return False
        self._last[record.name] = now
        return True
