"""One leader across processes: a lease row in the store, renewed while alive, taken over when not.

Every API worker (and `jobos scheduler`) may run the same background duties; each duty has a
lease (a row of the `leases` table) and runs only in the process holding it. The holder renews it
every third of its time to live; a process that dies stops renewing, and another takes the lease
once it has expired. A holder that cannot renew (the database is unreachable) stops acting at
four fifths of the time to live, before anyone else may take over; hosts' clocks must agree to
within that margin (NTP).
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

logger = logging.getLogger(__name__)

SAFETY = 0.8  # share of the time to live a holder trusts its lease without renewing


def holder_name() -> str:
    """Return a name for this process's leases (host, pid and a random part: unique per object)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Lease:
    """The lease `name` in the store, held by this object while renewals succeed."""

    def __init__(self, store: Any, name: str, ttl: float = 30.0, holder: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if ttl <= 0:
            raise ValueError("a lease's time to live must be positive")
        self.store = store
        self.name = name
        self.ttl = float(ttl)
        self.holder = holder or holder_name()
        self.clock = clock
        self._valid_until = 0.0
        self._lock = threading.Lock()

    def renew(self) -> bool:
        """Take or renew the lease; return True when this holder has it now."""
        started = self.clock()
        outage = False
        try:
            ok = bool(self.store.acquire_lease(self.name, self.holder, timedelta(seconds=self.ttl)))
        except Exception as exc:  # noqa: BLE001 - a database outage must not kill the keeper
            logger.warning("lease %s: could not renew (%s: %s)", self.name, type(exc).__name__, exc)
            ok, outage = False, True
        with self._lock:
            was = self.clock() < self._valid_until
            if ok:
                self._valid_until = started + self.ttl * SAFETY
            elif not outage:
                self._valid_until = 0.0  # another process holds it
            # An outage keeps a still-valid lease until SAFETY of its time: the next try may work.
        if was and not ok and not outage:
            logger.warning("lease %s: lost to another process", self.name)
        if ok and not was:
            logger.info("lease %s: %s is the leader now", self.name, self.holder)
        return ok

    def held(self) -> bool:
        """Return True while this holder may act as the leader."""
        with self._lock:
            return self.clock() < self._valid_until

    def release(self) -> None:
        """Give the lease up now (another process may take it at once)."""
        with self._lock:
            was = self.clock() < self._valid_until
            self._valid_until = 0.0
        if was:
            try:
                self.store.release_lease(self.name, self.holder)
                logger.info("lease %s: released by %s", self.name, self.holder)
            except Exception as exc:  # noqa: BLE001 - it expires by itself
                logger.warning("lease %s: could not release (%s); it expires in %.0f s", self.name, exc, self.ttl)


    @contextmanager
    def kept(self) -> Iterator[bool]:
        """Take the lease, keep renewing it in a thread while inside, release it after.

        Yields whether it was taken; inside, `held()` turns False if it is lost.
        """
        stop = threading.Event()

        def keep() -> None:
            while not stop.wait(self.ttl / 3):
                self.renew()

        taken = self.renew()
        thread = threading.Thread(target=keep, name=f"jobos-lease-{self.name}", daemon=True)
        if taken:
            thread.start()
        try:
            yield taken
        finally:
            stop.set()
            if taken:
                thread.join(self.ttl)
                self.release()


def record_pass(store: Any, name: str, holder: str, started: datetime, result: Any) -> None:
    """Write what a duty's pass did onto its lease row (the status endpoint reads it)."""
    try:
        store.set_lease_info(name, holder, {
            "last_tick_at": started.isoformat(),
            "seconds": round((datetime.now(timezone.utc) - started).total_seconds(), 3),
            "result": result if isinstance(result, dict) else {"result": result},
        })
    except Exception as exc:  # noqa: BLE001 - the record is for people; the pass itself happened
        logger.warning("%s: could not record the pass (%s)", name, exc)


@dataclass
class Duty:
    """A background job: `run(keep_going)` every `interval` seconds, by the holder of lease `name`."""

    name: str
    interval: float
    run: Callable[[Callable[[], bool]], Any]


class BackgroundWorkers:
    """Runs duties, each only while this process holds its lease; stop() ends them cleanly."""

    def __init__(self, store: Any, duties: list[Duty], ttl: float = 30.0, holder: str | None = None,
                 poll: float = 1.0) -> None:
        self.store = store
        self.duties = duties
        holder = holder or holder_name()
        self.leases = {d.name: Lease(store, d.name, ttl=ttl, holder=holder) for d in duties}
        self.ttl = ttl
        self.poll = poll
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> BackgroundWorkers:
        if self._threads or not self.duties:
            return self
        self._threads.append(threading.Thread(target=self._keep_leases, name="jobos-leases", daemon=True))
        for duty in self.duties:
            self._threads.append(threading.Thread(target=self._run_duty, args=(duty,),
                                                  name=f"jobos-{duty.name}", daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def wait(self, timeout: float) -> bool:
        """Return True once stop() was called, waiting at most `timeout` seconds."""
        return self._stop.wait(timeout)

    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def stop(self, timeout: float = 30.0, release: bool = True) -> None:
        """Stop every duty (a pass in progress finishes its current step), then release the leases
        (release=False leaves them to expire, as a process that dies does)."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        if release:
            for lease in self.leases.values():
                lease.release()
        self._threads = []

    def _keep_leases(self) -> None:
        while not self._stop.is_set():
            for lease in self.leases.values():
                if not self._stop.is_set():
                    lease.renew()
            self._stop.wait(self.ttl / 3)

    def _run_duty(self, duty: Duty) -> None:
        lease = self.leases[duty.name]
        last: float | None = None

        def keep_going() -> bool:
            return not self._stop.is_set() and lease.held()

        while not self._stop.is_set():
            if lease.held() and (last is None or time.monotonic() - last >= duty.interval):
                last = time.monotonic()
                started = datetime.now(timezone.utc)
                try:
                    result = duty.run(keep_going)
                except Exception as exc:  # noqa: BLE001 - the duty must outlive one failed pass
                    logger.exception("%s: pass failed", duty.name)
                    result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
                record_pass(self.store, duty.name, lease.holder, started, result)
            self._stop.wait(min(self.poll, duty.interval))
