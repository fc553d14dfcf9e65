"""One leader across processes: lease rows contended, renewed, expired and handed over (both backends)."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from jobos.leader import BackgroundWorkers, Duty, Lease
from jobos.store import open_store
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures


@pytest.fixture()
def stores(store_backend):
    """Several stores on one database: as many API workers or hosts."""
    opened = [open_store(**store_backend) for _ in range(4)]
    yield opened
    for s in opened:
        s.close()


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_of_holders_racing_for_a_lease_exactly_one_gets_it(stores):
    barrier = threading.Barrier(len(stores))
    won: list[str] = []

    def contend(i: int) -> None:
        barrier.wait()
        if stores[i].acquire_lease("scheduler", f"worker-{i}", timedelta(seconds=30)):
            won.append(f"worker-{i}")

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 1
    lease = stores[0].get_lease("scheduler")
    assert lease["holder"] == won[0] and lease["held"] is True
    # The holder renews; the others still cannot take it.
    assert stores[1].acquire_lease("scheduler", won[0], timedelta(seconds=30))
    others = [f"worker-{i}" for i in range(len(stores)) if f"worker-{i}" != won[0]]
    assert not any(stores[2].acquire_lease("scheduler", o, timedelta(seconds=30)) for o in others)
    # Another lease name is another duty: free.
    assert stores[3].acquire_lease("alerts", others[0], timedelta(seconds=30))


def test_an_expired_lease_is_taken_over_and_the_old_holder_cannot_renew(stores):
    a, b = stores[0], stores[1]
    assert a.acquire_lease("scheduler", "old", timedelta(milliseconds=300))
    assert not b.acquire_lease("scheduler", "new", timedelta(seconds=30))
    assert _wait_for(lambda: b.acquire_lease("scheduler", "new", timedelta(seconds=30)))
    assert not a.acquire_lease("scheduler", "old", timedelta(seconds=30))
    lease = b.get_lease("scheduler")
    assert lease["holder"] == "new"
    # Released by its holder, it is free at once; releasing someone else's does nothing.
    assert not a.release_lease("scheduler", "old")
    assert b.release_lease("scheduler", "new")
    assert a.acquire_lease("scheduler", "old", timedelta(seconds=30))


def test_lease_object_stops_trusting_itself_before_expiry_and_when_lost(stores):
    now = [1000.0]
    lease = Lease(stores[0], "scheduler", ttl=10, holder="me", clock=lambda: now[0])
    assert lease.renew() and lease.held()
    now[0] += 7.9
    assert lease.held()
    now[0] += 0.2  # past 80% of the time to live without a renewal: no longer acts
    assert not lease.held()
    # Taken by another after expiry: renew says so, and held() is False at once.
    with stores[1]._write() as cur:
        cur.execute("UPDATE leases SET holder = 'other' WHERE name = 'scheduler'")
    assert not lease.renew() and not lease.held()


def test_two_background_workers_run_a_duty_on_one_leader_and_hand_over_when_it_dies(stores):
    runs: dict[str, int] = {"a": 0, "b": 0}

    def duty(name: str) -> Duty:
        def run(keep_going) -> dict:
            assert keep_going()
            runs[name] += 1
            return {"who": name}
        return Duty("scheduler", 0.05, run)

    # A lease of 3 s renewed every second: only a stall of seconds (not a busy machine's
    # scheduling delay) would hand it over while the leader lives.
    a = BackgroundWorkers(stores[0], [duty("a")], ttl=3.0, holder="a", poll=0.05).start()
    b = BackgroundWorkers(stores[1], [duty("b")], ttl=3.0, holder="b", poll=0.05).start()
    try:
        assert _wait_for(lambda: runs["a"] + runs["b"] >= 20)
        leader, follower = ("a", "b") if runs["a"] else ("b", "a")
        assert runs[follower] == 0, runs  # only one ran, however many passes
        info = stores[2].get_lease("scheduler")
        assert info["holder"] == leader and info["info"]["result"] == {"who": leader}
        assert info["info"]["last_tick_at"]
        # The leader dies without releasing: once its lease expires, the other takes over.
        (a if leader == "a" else b).stop(release=False)
        before = runs[leader]
        assert _wait_for(lambda: runs[follower] >= 5)
        assert runs[leader] == before
        assert stores[2].get_lease("scheduler")["holder"] == follower
    finally:
        a.stop()
        b.stop()
    # Stopped cleanly: the lease is released, free for anyone.
    assert stores[3].acquire_lease("scheduler", "someone", timedelta(seconds=5))


def test_a_failing_duty_keeps_running_and_records_the_error(stores):
    calls = []

    def boom(keep_going):
        calls.append(1)
        raise RuntimeError("database went away")

    workers = BackgroundWorkers(stores[0], [Duty("alerts", 0.05, boom)], ttl=1.0, poll=0.05).start()
    try:
        assert _wait_for(lambda: len(calls) >= 3)
        assert "database went away" in stores[1].get_lease("alerts")["info"]["result"]["error"]
    finally:
        workers.stop()
    assert not workers.running()
