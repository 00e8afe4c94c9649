"""The only place that reads the time. Tests move it; every expiry follows it."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Wall time plus an offset, or a frozen instant.

    ``advance`` moves the emulator forward (codes, sessions and tokens expire as they would),
    ``set`` jumps to an instant, ``freeze``/``unfreeze`` stop and restart its motion.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at: float | None = None

    def now(self) -> float:
        frozen = self._frozen_at
        return frozen if frozen is not None else time.time() + self._offset

    def now_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def advance(self, seconds: float) -> float:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds
        return self.now()

    def set(self, epoch_seconds: float) -> float:
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = epoch_seconds
            else:
                self._offset = epoch_seconds - time.time()
        return self.now()

    def freeze(self) -> float:
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = time.time() + self._offset
            return self._frozen_at

    def unfreeze(self) -> float:
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
                self._frozen_at = None
        return self.now()

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None
