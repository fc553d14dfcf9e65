"""The refresh scheduler: due times, jitter, backoff, and passes over a real store (both backends)."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from api.crawls import CrawlService
from api.nodes import NodeStatus
from jobos.scheduler import (
    EPOCH, Scheduler, SchedulePolicy, due_companies, next_refresh_at, next_slot, phase, run_outcome,
)
from jobos.store import open_store
from jobos.store.common import utcnow
from tests.pg import pg_cluster, pg_url, store_backend  # noqa: F401 - fixtures
from tests.test_crawl_monitor import ScriptedCluster

DAY = 86400
T0 = datetime(2026, 3, 2, 9, 30, 12, 345000, tzinfo=timezone.utc)
POLICY = SchedulePolicy(interval=DAY, backoff_base=3600, backoff_max=7 * DAY, batch=20)


def _company(cid: int, **kw):
    return {"id": cid, "name": f"Company {cid}", "normalized_name": f"company {cid}", "created_at": T0,
            "last_crawl_at": None, "scheduled_at": None, "refresh_interval": None, "refresh_failures": 0,
            "backoff_until": None, "scheduled_run_id": None, **kw}


# ---- pure logic ------------------------------------------------------------------------------

@pytest.mark.parametrize("interval", [300, 3600, DAY, 7 * DAY])
def test_next_slot_is_the_companys_phase_at_or_after_the_time(interval):
    for cid in (1, 2, 77, 10_000):
        slot = next_slot(T0, cid, interval)
        assert T0 <= slot < T0 + timedelta(seconds=interval)
        assert (int((slot - EPOCH).total_seconds()) - phase(cid, interval)) % interval == 0
        assert next_slot(slot, cid, interval) == slot  # a slot is its own next slot
        assert next_slot(slot + timedelta(microseconds=1), cid, interval) == slot + timedelta(seconds=interval)


def test_a_fleet_crawled_at_once_is_spread_over_the_interval_deterministically():
    fleet = [_company(i, last_crawl_at=T0) for i in range(1, 1001)]
    times = [next_refresh_at(c, POLICY) for c in fleet]
    assert times == [next_refresh_at(c, POLICY) for c in fleet]  # the same in every process
    # Never sooner than half an interval, never later than one and a half.
    assert all(T0 + timedelta(hours=12) <= t < T0 + timedelta(hours=36) for t in times)
    per_minute = Counter(t.replace(second=0, microsecond=0) for t in times)
    per_hour = Counter(t.replace(minute=0, second=0, microsecond=0) for t in times)
    # 1,000 companies over 1,440 minutes: without jitter they would all share one minute.
    assert max(per_minute.values()) <= 6 and len(per_minute) > 500
    assert len(per_hour) >= 24 and max(per_hour.values()) < 100


def test_after_the_first_refresh_a_company_keeps_its_phase_one_interval_apart():
    company = _company(42, last_crawl_at=T0)
    first = next_refresh_at(company, POLICY)
    company["last_crawl_at"] = first + timedelta(minutes=3)  # the crawl took a few minutes
    second = next_refresh_at(company, POLICY)
    assert second - first == timedelta(days=1)
    # A scheduler start counts as much as a crawl (a run whose crawl stored nothing is not redone).
    company["scheduled_at"] = second + timedelta(seconds=5)
    assert next_refresh_at(company, POLICY) == second + timedelta(days=1)


def test_own_interval_overrides_the_default():
    weekly = _company(7, last_crawl_at=T0, refresh_interval=7 * DAY)
    when = next_refresh_at(weekly, POLICY)
    assert T0 + timedelta(days=3, hours=12) <= when < T0 + timedelta(days=10, hours=12)
    assert POLICY.interval_of(weekly) == 7 * DAY and POLICY.interval_of(_company(8)) == DAY


def test_never_crawled_companies_are_due_in_their_first_slot_after_being_added():
    fleet = [_company(i) for i in range(1, 201)]
    times = [next_refresh_at(c, POLICY) for c in fleet]
    assert all(T0 <= t < T0 + timedelta(days=1) for t in times)
    assert len({t.replace(second=0, microsecond=0) for t in times}) > 150


def test_due_skips_active_and_awaited_companies_and_puts_the_most_overdue_first():
    now = T0 + timedelta(days=3)
    old = _company(1, last_crawl_at=T0 - timedelta(days=5))
    older = _company(2, last_crawl_at=T0 - timedelta(days=9))
    fresh = _company(3, last_crawl_at=now - timedelta(hours=1))
    running = _company(4, last_crawl_at=T0 - timedelta(days=9))
    awaited = _company(5, last_crawl_at=T0 - timedelta(days=9), scheduled_run_id=99)
    due = due_companies([old, older, fresh, running, awaited], POLICY, now, active={"company 4"})
    assert [c["id"] for c in due] == [2, 1]


def test_backoff_doubles_is_capped_and_is_never_shorter_than_a_long_interval():
    assert [POLICY.backoff(f).total_seconds() / 3600 for f in range(1, 6)] == [1, 2, 4, 8, 16]
    assert POLICY.backoff(20) == timedelta(days=7)
    assert POLICY.backoff(1000) == timedelta(days=7)  # no overflow
    assert POLICY.backoff(30, interval=30 * DAY) == timedelta(days=30)


def test_a_failing_company_waits_for_its_backoff_not_its_slot():
    now = T0 + timedelta(days=2)
    company = _company(9, last_crawl_at=T0, refresh_failures=2, backoff_until=now + timedelta(hours=2))
    assert next_refresh_at(company, POLICY) == now + timedelta(hours=2)
    assert due_companies([company], POLICY, now) == []
    assert due_companies([company], POLICY, now + timedelta(hours=2)) == [company]


def test_run_outcomes():
    now = T0
    assert run_outcome({"status": "finished"}, POLICY, now) is True
    assert run_outcome({"status": "partial"}, POLICY, now) is True
    assert run_outcome({"status": "running"}, POLICY, now) is None
    assert run_outcome({"status": "cancelled"}, POLICY, now) is False
    assert run_outcome(None, POLICY, now) is False
    # The crawl monitor may still retry a run that failed on a node a minute ago: not judged yet.
    young = {"status": "failed", "node": "http://n", "attempts": 1, "finished_at": now - timedelta(minutes=1)}
    assert run_outcome(young, POLICY, now) is None
    assert run_outcome({**young, "attempts": 2}, POLICY, now) is False
    assert run_outcome({**young, "node": None}, POLICY, now) is False
    assert run_outcome({**young, "finished_at": now - timedelta(hours=1)}, POLICY, now) is False


def test_bad_settings_are_refused_with_a_sentence(monkeypatch):
    monkeypatch.setenv("JOBOS_REFRESH_INTERVAL", "0")
    with pytest.raises(ValueError, match="JOBOS_REFRESH_INTERVAL must be a positive"):
        SchedulePolicy.from_env()
    monkeypatch.setenv("JOBOS_REFRESH_INTERVAL", "daily")
    with pytest.raises(ValueError, match="whole number"):
        SchedulePolicy.from_env()


# ---- passes over a real store ----------------------------------------------------------------

class RankedCluster(ScriptedCluster):
    """The monitor tests' scripted nodes, plus the ranking the scheduler asks first."""

    def __init__(self, up: bool = True, pending: int = 0) -> None:
        super().__init__()
        self.up = up
        self.pending = pending

    def ranked(self):
        if not self.up:
            return [], {"http://127.0.0.1:9": "unreachable (ConnectionError)"}
        return [NodeStatus(url=self.urls[0], ok=True, pending=self.pending + len(self.scheduled))], {}


@pytest.fixture()
def store(store_backend):
    s = open_store(**store_backend)
    yield s
    s.close()


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _age(store, company_id: int, days: float) -> None:
    with store._write() as cur:
        cur.execute("UPDATE companies SET last_crawl_at = %s WHERE id = %s",
                    [store._ts_in(utcnow() - timedelta(days=days)), company_id])


def test_a_pass_starts_due_companies_once_judges_failures_backs_off_and_resets(store):
    stale = store.upsert_company("Acme Robotics", "acme.example", "greenhouse:acme",
                                 "https://boards.greenhouse.io/acme")
    store.upsert_company("Fresh Co", "fresh.example")
    _age(store, stale, 3)
    cluster = RankedCluster()
    clock = Clock(utcnow())
    scheduler = Scheduler(store, CrawlService(store, cluster), POLICY, clock=clock)

    first = scheduler.tick()
    assert (first["due"], first["started"]) == (1, 1), first
    (jobid, args), = cluster.scheduled
    assert args["company"] == "Acme Robotics" and args["careers_url"] == "https://boards.greenhouse.io/acme"
    run = store.list_crawl_runs()[0]
    assert run["requested_by"] == "scheduler" and run["args"]["company"] == "Acme Robotics"
    assert run["source"] == "scheduler"  # not an API run
    assert store.get_company(stale)["scheduled_run_id"] == run["id"]
    # While its run is active (and before its outcome is judged) it is not started again.
    assert scheduler.tick()["started"] == 0 and len(cluster.scheduled) == 1

    store.update_crawl_run(run["id"], status="failed", attempts=2, finished_at=clock.now,
                           error_summary="no board answered")
    judged = scheduler.tick()
    assert judged["failed"] == 1 and judged["started"] == 0, judged
    company = store.get_company(stale)
    assert company["refresh_failures"] == 1 and company["scheduled_run_id"] is None
    assert company["next_refresh_at"] == company["backoff_until"]
    backoff = datetime.fromisoformat(company["backoff_until"].replace("Z", "+00:00"))
    assert backoff - clock.now == timedelta(hours=1)

    clock.now = backoff + timedelta(seconds=1)  # the backoff is over: tried again
    again = scheduler.tick()
    assert again["started"] == 1 and len(cluster.scheduled) == 2
    run2 = store.list_crawl_runs()[0]
    store.update_crawl_run(run2["id"], status="failed", attempts=2, finished_at=clock.now)
    scheduler.tick()
    company = store.get_company(stale)
    assert company["refresh_failures"] == 2
    assert datetime.fromisoformat(company["backoff_until"].replace("Z", "+00:00")) - clock.now == timedelta(hours=2)

    clock.now += timedelta(hours=2, seconds=1)
    assert scheduler.tick()["started"] == 1
    run3 = store.list_crawl_runs()[0]
    store.update_crawl_run(run3["id"], status="finished", finished_at=clock.now)
    ok = scheduler.tick()
    assert ok["succeeded"] == 1 and ok["started"] == 0, ok
    company = store.get_company(stale)
    assert company["refresh_failures"] == 0 and company["backoff_until"] is None
    # Back on its normal schedule: half an interval at least after the start.
    nxt = datetime.fromisoformat(company["next_refresh_at"].replace("Z", "+00:00"))
    assert nxt >= clock.now + timedelta(hours=12) - timedelta(seconds=1)


@pytest.mark.parametrize("source", ["cli", "api", "scrapyd"])
def test_a_run_that_ends_well_from_any_source_ends_the_backoff(store, source):
    cid = store.upsert_company("Acme Robotics", "acme.example")
    namesake = store.upsert_company("Other Robotics", "other.example")
    now = utcnow()
    for company, run_id in ((cid, 501), (namesake, 502)):
        store.mark_scheduled(company, run_id, now)
        store.record_refresh_outcome(company, run_id, False, now + timedelta(hours=4))
    assert store.get_company(cid)["refresh_failures"] == 1

    failed = store.create_crawl_run({"company": "ACME Robotics"}, "user:1", source)
    store.update_crawl_run(failed, status="running")
    store.update_crawl_run(failed, status="failed", finished_at=now)  # a failure ends nothing
    assert store.get_company(cid)["refresh_failures"] == 1
    ok = store.create_crawl_run({"company": "ACME Robotics", "country": "DE"}, "user:1", source)
    store.update_crawl_run(ok, status="partial", finished_at=now)
    company = store.get_company(cid)
    assert company["refresh_failures"] == 0 and company["backoff_until"] is None
    assert company["next_refresh_at"] != company["backoff_until"]
    # Another company's backoff is its own.
    other = store.get_company(namesake)
    assert other["refresh_failures"] == 1 and other["next_refresh_at"] == other["backoff_until"]


def test_a_company_with_an_active_crawl_is_never_scheduled(store):
    cid = store.upsert_company("Busy GmbH", "busy.example")
    _age(store, cid, 3)
    store.start_crawl_run({"company": "Busy GmbH", "country": "DE"}, "user:1", "api")  # someone's crawl
    cluster = RankedCluster()
    result = Scheduler(store, CrawlService(store, cluster), POLICY).tick()
    assert result["due"] == 0 and result["started"] == 0 and cluster.scheduled == []


def test_no_node_up_starts_nothing_and_leaves_no_failed_runs(store):
    cid = store.upsert_company("Acme Robotics", "acme.example")
    _age(store, cid, 3)
    result = Scheduler(store, CrawlService(store, RankedCluster(up=False)), POLICY).tick()
    assert result["due"] == 1 and result["started"] == 0 and "no scrapyd node" in result["error"]
    assert store.list_crawl_runs() == []
    assert store.get_company(cid)["refresh_failures"] == 0


def test_a_refresh_keeps_the_companys_last_country_and_the_batch_limit(store):
    ids = []
    for i in range(5):
        cid = store.upsert_company(f"Firm {i}", f"firm{i}.example")
        _age(store, cid, 3)
        ids.append(cid)
    store.update_crawl_run(store.create_crawl_run({"company": "Firm 0", "country": "NL"}), status="finished")
    cluster = RankedCluster()
    result = Scheduler(store, CrawlService(store, cluster),
                       SchedulePolicy(interval=DAY, batch=3)).tick()
    assert result["due"] == 5 and result["started"] == 3
    assert len({a["company"] for _, a in cluster.scheduled}) == 3
    # The rest are started by the next pass.
    assert Scheduler(store, CrawlService(store, cluster), SchedulePolicy(interval=DAY, batch=3)).tick()["started"] == 2
    assert {a["company"] for _, a in cluster.scheduled} == {f"Firm {i}" for i in range(5)}
    assert next(a for _, a in cluster.scheduled if a["company"] == "Firm 0")["country"] == "NL"


def test_set_refresh_interval_validates_and_shows_in_the_company(store):
    cid = store.upsert_company("Acme Robotics", "acme.example")
    company = store.set_refresh_interval(cid, 7 * DAY)
    assert company["refresh_interval"] == 7 * DAY and company["effective_refresh_interval"] == 7 * DAY
    last = datetime.fromisoformat(company["last_crawl_at"].replace("Z", "+00:00"))
    nxt = datetime.fromisoformat(company["next_refresh_at"].replace("Z", "+00:00"))
    assert timedelta(days=3, hours=12) <= nxt - last < timedelta(days=10, hours=12)
    with pytest.raises(ValueError, match="between"):
        store.set_refresh_interval(cid, 10)
    assert store.set_refresh_interval(cid, None)["refresh_interval"] is None
    assert store.set_refresh_interval(10_000_000, 3600) is None


# ---- the command ------------------------------------------------------------------------------

def test_scheduler_once_command(tmp_path, monkeypatch, capsys):
    import json

    from jobos.cli import main
    from tests.pg import free_port

    monkeypatch.setenv("JOBOS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JOBOS_SCRAPYD_URLS", f"http://127.0.0.1:{free_port()}")  # nothing listens
    store = open_store(data_dir=str(tmp_path))
    cid = store.upsert_company("Acme Robotics", "acme.example")
    _age(store, cid, 3)
    # Another scheduler leads: this one does nothing and says so.
    assert store.acquire_lease("scheduler", "elsewhere:1:ab", timedelta(seconds=60))
    assert main(["scheduler", "--once"]) == 1
    assert "another scheduler leads (elsewhere:1:ab" in capsys.readouterr().err
    assert store.release_lease("scheduler", "elsewhere:1:ab")
    # Leading, with every node down: one due, nothing started, no failed run left behind.
    assert main(["scheduler", "--once"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["due"] == 1 and result["started"] == 0 and "no scrapyd node answers" in result["error"]
    assert store.list_crawl_runs() == []
    lease = store.get_lease("scheduler")
    assert lease["held"] is False and lease["info"]["result"]["due"] == 1  # recorded, then released
    store.close()
    monkeypatch.setenv("JOBOS_SCHEDULER_BACKOFF_MAX", "never")
    assert main(["scheduler", "--once"]) == 2
    assert "JOBOS_SCHEDULER_BACKOFF_MAX must be a whole number" in capsys.readouterr().err


def test_a_pass_reads_only_companies_that_may_be_due_or_await_a_judgement(store):
    now = utcnow()
    fresh = store.upsert_company("Fresh Co", "fresh.example")  # crawled now: not due for half a day
    old = store.upsert_company("Old Co", "old.example")
    _age(store, old, 2)
    awaited = store.upsert_company("Awaited Co", "awaited.example")
    store.mark_scheduled(awaited, 12345, now)
    failing = store.upsert_company("Failing Co", "failing.example")
    store.mark_scheduled(failing, 777, now)
    store.record_refresh_outcome(failing, 777, False, now + timedelta(hours=1))
    ids = {r["id"] for r in store.schedule_rows(now, DAY)}
    assert ids == {old, awaited, failing}
    assert {r["id"] for r in store.schedule_rows()} == {fresh, old, awaited, failing}
    # A company with a short interval of its own widens what is read.
    store.set_refresh_interval(fresh, 600)
    assert fresh not in {r["id"] for r in store.schedule_rows(now, DAY)}
    assert fresh in {r["id"] for r in store.schedule_rows(now + timedelta(minutes=6), DAY)}
    assert store.schedule_counts(now) == {"companies": 4, "backing_off": 1}


def test_nodes_with_full_queues_get_no_more_crawls(store):
    for i in range(4):
        _age(store, store.upsert_company(f"Firm {i}", f"firm{i}.example"), 3)
    full = RankedCluster(pending=50)
    result = Scheduler(store, CrawlService(store, full), SchedulePolicy(max_pending=50)).tick()
    assert result["due"] == 4 and result["started"] == 0 and "50 or more crawls queued" in result["error"]
    assert store.list_crawl_runs() == []
    # Room for two more: two start, the others stay due for a later pass.
    nearly = RankedCluster(pending=48)
    result = Scheduler(store, CrawlService(store, nearly), SchedulePolicy(max_pending=50)).tick()
    assert result["started"] == 2 and len(nearly.scheduled) == 2


class RefusingCluster(RankedCluster):
    """Nodes that answer daemonstatus but refuse every crawl (e.g. the project is not deployed)."""

    def schedule(self, spider, args, jobid):
        from api.nodes import NoNodeAvailable

        self.scheduled.append((jobid, dict(args)))
        raise NoNodeAvailable({self.urls[0]: "schedule.json: project 'jobos' not found"})


def test_when_every_node_refuses_the_scheduler_pauses_instead_of_failing_a_run_each_pass(store):
    cid = store.upsert_company("Acme Robotics", "acme.example")
    _age(store, cid, 3)
    clock = Clock(utcnow())
    cluster = RefusingCluster()
    scheduler = Scheduler(store, CrawlService(store, cluster), POLICY, clock=clock)
    first = scheduler.tick()
    assert first["started"] == 0 and "project 'jobos' not found" in first["error"]
    assert [r["status"] for r in store.list_crawl_runs()] == ["failed"]
    clock.now += timedelta(minutes=1)
    paused = scheduler.tick()
    assert "trying again after" in paused["error"] and len(cluster.scheduled) == 1
    assert len(store.list_crawl_runs()) == 1
    company = store.get_company(cid)
    assert company["refresh_failures"] == 0 and company["scheduled_run_id"] is None  # not the company's fault
    clock.now += timedelta(minutes=5)
    scheduler.tick()
    assert len(cluster.scheduled) == 2  # tried again after the pause
