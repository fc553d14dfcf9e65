"""OutageBuffer on its own: memory bound, spill files, replay, back-off."""
from __future__ import annotations

import json
import os
import time

import pytest

from jobos.store.buffer import STALE_CLAIM_SECONDS, OutageBuffer


def rec(i: int) -> dict:
    return {"external_id": str(i), "title": f"Job {i}"}


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_memory_beyond_the_bound_spills_the_oldest_records(tmp_path):
    buf = OutageBuffer(tmp_path, max_records=3)
    for i in range(5):
        buf.add(rec(i))
    assert buf.bound(crawl_id=7) == 2
    assert [r["external_id"] for r in buf.records] == ["2", "3", "4"]
    (path,) = tmp_path.glob("store-*.jsonl")
    assert lines(path) == [{"crawl_id": 7, "item": rec(0)}, {"crawl_id": 7, "item": rec(1)}]
    assert buf.bound(crawl_id=7) == 0
    assert not list(tmp_path.glob("*.tmp"))


def test_records_put_back_go_first_in_their_order(tmp_path):
    buf = OutageBuffer(tmp_path, max_records=10)
    buf.add(rec(3))
    taken = [rec(1), rec(2)]
    buf.put_back(taken)
    assert [r["external_id"] for r in buf.take()] == ["1", "2", "3"]
    assert len(buf) == 0 and buf.spill_all(None) == 0
    assert not list(tmp_path.iterdir())


def test_replay_writes_each_file_in_chunks_per_crawl_and_removes_it(tmp_path):
    buf = OutageBuffer(tmp_path, max_records=10)
    buf.spill([rec(i) for i in range(5)], 1)
    buf.spill([rec(i) for i in range(5, 8)], None)
    calls = []
    done = buf.replay(lambda items, crawl_id: calls.append((crawl_id, [r["external_id"] for r in items])) or len(items), 2)
    assert done.error is None and done.records == 8
    assert sorted(calls, key=str) == sorted([(1, ["0", "1"]), (1, ["2", "3"]), (1, ["4"]),
                                             (None, ["5", "6"]), (None, ["7"])], key=str)
    assert done.results == [len(items) for _, items in calls]
    assert not list(tmp_path.iterdir())


def test_a_failing_replay_puts_the_file_back_whole_and_stops(tmp_path):
    buf = OutageBuffer(tmp_path, max_records=10)
    buf.spill([rec(i) for i in range(4)], 1)
    written = []

    def write(items, crawl_id):
        if written:
            raise ConnectionError("server went away")
        written.append(items)
        return len(items)

    done = buf.replay(write, 2)
    assert isinstance(done.error, ConnectionError) and done.records == 0 and done.results == []
    (path,) = tmp_path.iterdir()
    assert path.suffix == ".jsonl" and len(lines(path)) == 4  # all of it, replayed later
    written.clear()
    assert buf.replay(lambda items, crawl_id: len(items), 2).records == 4


def test_a_file_claimed_by_a_live_process_is_left_a_stale_claim_is_taken(tmp_path):
    buf = OutageBuffer(tmp_path, max_records=10)
    path = buf.spill([rec(1)], None)
    claimed = path.with_suffix(".claimed")
    path.rename(claimed)
    assert buf.replay(lambda items, crawl_id: 1, 10).records == 0 and claimed.exists()
    old = time.time() - STALE_CLAIM_SECONDS - 10
    os.utime(claimed, (old, old))
    assert buf.replay(lambda items, crawl_id: 1, 10).records == 1 and not claimed.exists()


def test_back_off_doubles_up_to_the_cap_and_a_success_resets_it(tmp_path):
    buf = OutageBuffer(tmp_path, max_records=10, max_delay=3.0)
    assert buf.ready()
    assert [buf.failed() for _ in range(4)] == [1.0, 2.0, 3.0, 3.0]
    assert not buf.ready()
    assert buf.succeeded() == 4
    assert buf.ready() and buf.failures == 0


@pytest.mark.parametrize("bad", [0, -5])
def test_a_bound_below_one_keeps_one_record(tmp_path, bad):
    buf = OutageBuffer(tmp_path, max_records=bad)
    buf.add(rec(1))
    buf.add(rec(2))
    assert buf.bound(None) == 1 and len(buf) == 1
