"""OutageBuffer: records on their way to the store, kept safe while the database is away.

Records wait in memory (up to max_records); beyond that, and whatever is left when a crawl
ends, they are spilled to JSONL files in a folder (by default <data dir>/store-spill/). Spilled
files are written back (replayed) by whoever next reaches the database: this crawl once it
answers again, or the next crawl at its start. A failed write backs off exponentially.

The buffer holds no connection and counts no stats: the pipeline decides when to write, where
(a worker thread) and what to count. The memory half (add, take, put_back, bound) belongs to
the thread that handles items; replay() may run in another thread, since spill files are
claimed by renaming them.
"""
from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

logger = logging.getLogger(__name__)

STALE_CLAIM_SECONDS = 300  # a claimed file older than this belongs to a process that died


@dataclass
class Replay:
    """What replay() wrote: records read back, the write's results, and any error that stopped it."""

    records: int = 0
    results: list[Any] = field(default_factory=list)
    error: Exception | None = None


class OutageBuffer:
    """Pending records in memory, spill files on disk, and the retry schedule between them."""

    def __init__(self, folder: Path, max_records: int, max_delay: float = 30.0) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_records = max(1, int(max_records))
        self.max_delay = max_delay
        self.records: list[dict] = []
        self.failures = 0  # failed writes since the last success
        self.next_try = 0.0  # time.monotonic() before which no write is tried
        self._spills = 0

    # ---- memory --------------------------------------------------------------------------
    def add(self, record: dict) -> None:
        self.records.append(record)

    def __len__(self) -> int:
        return len(self.records)

    def take(self) -> list[dict]:
        """Return and remove every record in memory (oldest first)."""
        taken, self.records = self.records, []
        return taken

    def put_back(self, records: list[dict]) -> None:
        """Return records a write could not store to the front, in their order."""
        if records:
            self.records[:0] = records

    def bound(self, crawl_id: int | None) -> int:
        """Return how many of the oldest records were spilled to keep memory within max_records."""
        excess = len(self.records) - self.max_records
        if excess <= 0:
            return 0
        self.spill(self.records[:excess], crawl_id)
        del self.records[:excess]
        return excess

    def spill_all(self, crawl_id: int | None) -> int:
        """Return how many records were spilled: all of those in memory (a crawl's end)."""
        count = len(self.records)
        if count:
            self.spill(self.records, crawl_id)
            self.records = []
        return count

    def spill(self, records: list[dict], crawl_id: int | None) -> Path:
        """Return the JSONL file the records were written to (complete, fsynced, renamed into place)."""
        self._spills += 1
        path = self.folder / f"store-{os.getpid()}-{int(time.time() * 1000)}-{self._spills}.jsonl"
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps({"crawl_id": crawl_id, "item": record}, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        tmp.rename(path)  # complete files only: a reader never sees half a spill
        logger.warning("store: database unavailable; %d records saved to %s", len(records), path)
        return path

    # ---- retry schedule ------------------------------------------------------------------
    def ready(self) -> bool:
        """True when a write may be tried now (no failure, or its back-off has passed)."""
        return time.monotonic() >= self.next_try

    def failed(self) -> float:
        """Return the seconds until the next try after one more failed write."""
        self.failures += 1
        delay = min(self.max_delay, 0.5 * 2 ** min(self.failures, 10))
        self.next_try = time.monotonic() + delay
        return delay

    def succeeded(self) -> int:
        """Return how many writes had failed before this success (and forget them)."""
        failures, self.failures, self.next_try = self.failures, 0, 0.0
        return failures

    # ---- replay --------------------------------------------------------------------------
    def spilled_files(self) -> list[Path]:
        """Return the spill files waiting, stale claims of dead processes included."""
        now = time.time()
        found = sorted(self.folder.glob("store-*.jsonl"))
        for path in sorted(self.folder.glob("store-*.claimed")):
            try:
                if now - path.stat().st_mtime > STALE_CLAIM_SECONDS:
                    found.append(path)
            except FileNotFoundError:
                continue
        return found

    def replay(self, write: Callable[[list[dict], int | None], Any], batch_size: int) -> Replay:
        """Return what was written back from spill files, one write(items, crawl_id) per chunk.

        A file is claimed (renamed) before it is read, so two processes never replay one file;
        a file whose writing fails is put back whole (upserts are idempotent) and replay stops.
        """
        done = Replay()
        for path in self.spilled_files():
            claimed = path.with_suffix(".claimed")
            try:
                path.rename(claimed) if path != claimed else os.utime(claimed)
            except FileNotFoundError:
                continue  # another process took it
            try:
                lines = [json.loads(line) for line in claimed.read_text("utf-8").splitlines() if line.strip()]
                results = []
                for i in range(0, len(lines), max(1, batch_size)):
                    chunk = lines[i: i + batch_size]
                    for crawl_id in dict.fromkeys(entry.get("crawl_id") for entry in chunk):
                        items = [e["item"] for e in chunk if e.get("crawl_id") == crawl_id]
                        results.append(write(items, crawl_id))
            except Exception as exc:  # noqa: BLE001 - the caller counts it and tries later
                claimed.rename(path.with_suffix(".jsonl"))
                done.error = exc
                return done
            claimed.unlink()
            done.records += len(lines)
            done.results += results
            logger.info("store: %d spilled records from %s written", len(lines), path.name)
        return done
