"""One worker thread for a crawl component's blocking work (database writes), off the reactor."""
from __future__ import annotations

from typing import Any, Callable

from twisted.internet import threads
from twisted.internet.defer import Deferred
from twisted.python.threadpool import ThreadPool


class OneThread:
    """A single thread, started on first use: what is given to it runs in the order given.

    Should the crawl end without its component's close, the reactor's shutdown stops it, so the
    thread never keeps the process alive.
    """

    def __init__(self, name: str) -> None:
        self._pool = ThreadPool(minthreads=1, maxthreads=1, name=name)

    @property
    def started(self) -> bool:
        return bool(self._pool.started)

    def run(self, fn: Callable[..., Any], *args: Any) -> Deferred:
        """Return a Deferred of fn(*args) run in the thread."""
        from twisted.internet import reactor

        if not self._pool.started:
            self._pool.start()
            reactor.addSystemEventTrigger("during", "shutdown", self.stop)
        return threads.deferToThreadPool(reactor, self._pool, fn, *args)

    def stop(self) -> None:
        if self._pool.started and not self._pool.joined:
            self._pool.stop()
