"""Generated boards for bench/bench_boards.py on the small and mid-sized ATS stand-ins.

It answers nothing itself. On the first request to one of these hosts it installs generated
boards into the real stand-in handlers (the benchmark reads the formats the tests read): each
board repeats the first job of a hand-made board BENCH_JOBS times under new ids. Tokens:
'bench<NN>' where the ATS allows it; numbers, uids or guids ending in <NN> where it does not.
"""
from __future__ import annotations

import copy
import json
import re
import sys

PRIORITY = 0  # before the ATS handlers, which would answer 404 for unknown boards
HOSTS = {".pinpointhq.com", "api.gem.com", "api.rippling.com", ".breezy.hr", ".freshteam.com",
         "jsapi.recruiterbox.com", "cdn.jobylon.com", "www.comeet.com", "join.com",
         "recruiting.paylocity.com", "jobs.gusto.com", ".careers.hibob.com", "core.api.manatal.com",
         "www.careers-page.com", "api.polymer.co", "jobs.polymer.co", "careers.jobscore.com", ".applytojob.com", ".hirehive.com", ".zohorecruit.com", ".keka.com", "jobs.jobvite.com"}
BENCH_JOBS = 40
BOARDS = 100
TOKEN = re.compile(r"bench\d+", re.I)
# Any bench board's request names one of these: only then are the generated boards installed.
_BENCH_REQUEST = re.compile(r"bench\d|/companies/90000\d\d/|-0000000000\d\d|/BE\.0|/companies/880\d{3}/", re.I)
_installed = False


def _repeat(template: dict, key: str, prefix: str, n: int = BENCH_JOBS) -> list[dict]:
    old = str(template[key])
    text = json.dumps(template)
    jobs = []
    for i in range(n):
        new = f"{prefix}{i:04d}"
        job = json.loads(text.replace(old, new))
        job[key] = int(new) if isinstance(template[key], int) else new
        jobs.append(job)
    return jobs


def _patch_load(module, ats: str, template: str, make) -> None:
    """Make module.load_json answer generated boards for bench tokens (else the real files)."""
    load = module.load_json
    base_board = load(ats, template)

    def bench_load(ats_name, token):
        if ats_name == ats and token and (TOKEN.fullmatch(token) or str(token).startswith("90000")):
            return make(copy.deepcopy(base_board), token.lower())
        return load(ats_name, token)

    module.load_json = bench_load


def _install() -> None:
    mods = sys.modules
    clean = lambda b: {k: v for k, v in b.items() if k not in ("rate_limit_once", "truncate")}  # noqa: E731
    num = lambda token: int(re.sub(r"\D", "", token) or 0)  # noqa: E731
    if "standin_ats_pinpoint" in mods:
        _patch_load(mods["standin_ats_pinpoint"], "pinpoint", "harbourline",
                    lambda b, t: {**clean(b), "data": _repeat(b["data"][0], "id", f"77{num(t):02d}")})
    if "standin_ats_gem" in mods:
        _patch_load(mods["standin_ats_gem"], "gem", "lumenlabs",
                    lambda b, t: {**clean(b), "posts": _repeat(b["posts"][0], "id", f"66{num(t):02d}")})
    if "standin_ats_rippling" in mods:
        _patch_load(mods["standin_ats_rippling"], "rippling", "quarrytech",
                    lambda b, t: {**clean(b), "jobs": _repeat(b["jobs"][0], "uuid", f"55{num(t):02d}")})
    if "standin_ats_breezy" in mods:
        _patch_load(mods["standin_ats_breezy"], "breezy", "cobaltbay",
                    lambda b, t: {**clean(b), "positions": _repeat(b["positions"][0], "id", f"44{num(t):02d}")})
    if "standin_ats_freshteam" in mods:
        def fresh(b, t):
            feed = b["feed"]
            return {"feed": {**feed, "jobs": _repeat(feed["jobs"][0], "id", f"33{num(t):02d}")}}
        _patch_load(mods["standin_ats_freshteam"], "freshteam", "tandoorlabs", fresh)
    if "standin_ats_recruiterbox" in mods:
        _patch_load(mods["standin_ats_recruiterbox"], "recruiterbox", "lakeshorelabs",
                    lambda b, t: {**clean(b), "page_limit": 250,
                                  "objects": _repeat(b["objects"][0], "id", f"22{num(t):02d}")})
    if "standin_ats_jobylon" in mods:
        _patch_load(mods["standin_ats_jobylon"], "jobylon", "4242",
                    lambda b, t: {**clean(b), "jobs": _repeat(b["jobs"][0], "id", f"11{num(t):02d}")})
    if "standin_ats_comeet" in mods:
        _patch_load(mods["standin_ats_comeet"], "comeet", "galilsense",
                    lambda b, t: {**clean(b), "uid": f"BE.0{num(t):02d}",
                                  "positions": _repeat(b["positions"][0], "uid", f"C{num(t):02d}.")})
    join = mods.get("standin_ats_join")
    if join is not None:
        join_board = join.load_json("join", "nordwerk")
        by_id = join._by_id

        def make_join(n: int) -> dict:
            b = clean(copy.deepcopy(join_board))
            b["company"] = {"id": 880000 + n, "name": f"Bench {n:02d}", "domain": f"bench{n:02d}"}
            b["jobs"] = _repeat(join_board["jobs"][0], "id", f"88{n:02d}")
            return b

        _patch_load(join, "join", "nordwerk", lambda b, t: make_join(num(t)))
        join._by_id = lambda cid: ((f"bench{int(cid) - 880000:02d}", make_join(int(cid) - 880000))
                                   if cid.isdigit() and 880000 <= int(cid) < 880000 + BOARDS else by_id(cid))
    if "standin_ats_hibob" in mods:
        def bob(b, t):
            feed = b["feed"]
            return {"feed": {**feed, "jobAdDetails": _repeat(feed["jobAdDetails"][0], "id", f"77{num(t):02d}-")}}
        _patch_load(mods["standin_ats_hibob"], "hibob", "fromagerie", bob)
    if "standin_ats_manatal" in mods:
        _patch_load(mods["standin_ats_manatal"], "manatal", "tidewaysmarine",
                    lambda b, t: {**clean(b), "page_size": 10,
                                  "results": _repeat(b["results"][0], "hash", f"MN{num(t):02d}")})
    if "standin_ats_polymer" in mods:
        _patch_load(mods["standin_ats_polymer"], "polymer", "brightpath",
                    lambda b, t: {**{k: v for k, v in clean(b).items() if k != "malformed_detail"},
                                  "per_page_cap": 50, "jobs": _repeat(b["jobs"][0], "id", f"6{num(t):02d}")})
    if "standin_ats_jobscore" in mods:
        def score(b, t):
            feed = b["feed"]
            return {"feed": {**feed, "jobs": _repeat(feed["jobs"][0], "id", f"JS{num(t):02d}x")}}
        _patch_load(mods["standin_ats_jobscore"], "jobscore", "orchardvet", score)
    if "standin_ats_hirehive" in mods:
        _patch_load(mods["standin_ats_hirehive"], "hirehive", "claddagh",
                    lambda b, t: {**clean(b), "page_size": 100, "jobs": _repeat(b["jobs"][0], "id", f"5{num(t):02d}")})
    if "standin_ats_zohorecruit" in mods:
        _patch_load(mods["standin_ats_zohorecruit"], "zohorecruit", "meridianlabs",
                    lambda b, t: {**clean(b), "postings": _repeat(b["postings"][0], "id", f"74{num(t):02d}")})
    if "standin_ats_keka" in mods:
        _patch_load(mods["standin_ats_keka"], "keka", "sarvamfoods",
                    lambda b, t: {**clean(b), "jobs": _repeat(b["jobs"][0], "id", f"3{num(t):02d}")})
    jazz = mods.get("standin_ats_jazzhr")
    if jazz is not None:
        jazz_board = jazz.BOARDS["lumenroast"]
        for n in range(BOARDS):
            b = clean(copy.deepcopy(jazz_board))
            b.pop("malformed_page", None)
            b["jobs"] = _repeat(jazz_board["jobs"][0], "code", f"JZ{n:02d}q")
            jazz.BOARDS[f"bench{n:02d}"] = b
    vite = mods.get("standin_ats_jobvite")
    if vite is not None:
        vite_board = vite.BOARDS["tallgrass"]
        job = vite_board["categories"][0]["jobs"][0]
        for n in range(BOARDS):
            vite.BOARDS[f"bench{n:02d}"] = {"company": f"Bench {n:02d}", "categories": [
                {"name": "Banking", "jobs": _repeat(job, "id", f"oB{n:02d}x")}]}
    pay = mods.get("standin_ats_paylocity")
    if pay is not None:
        base_board = next(iter(pay.BOARDS.values()))
        for n in range(BOARDS):
            b = clean(copy.deepcopy(base_board))
            b.pop("malformed_detail", None)
            b["jobs"] = _repeat(base_board["jobs"][0], "JobId", f"99{n:02d}")
            pay.BOARDS[f"00000000-0000-4000-8000-0000000000{n:02d}"] = b
    gusto = mods.get("standin_ats_gusto")
    if gusto is not None:
        base_board = next(iter(gusto.BOARDS.values()))
        for n in range(BOARDS):
            b = clean(copy.deepcopy(base_board))
            b.pop("malformed_posting", None)
            b["postings"] = [dict(p, id=f"00000000-0000-4000-8{n:03d}-{i:012d}")
                             for i, p in enumerate([base_board["postings"][0]] * BENCH_JOBS)]
            gusto.BOARDS[f"bench-{n:02d}-00000000-0000-4000-8000-0000000000{n:02d}"] = b


def handle(req, state):
    global _installed
    if not _installed and _BENCH_REQUEST.search(req.host + req.path + "?" + "&".join(
            f"{k}={v}" for k, vs in req.query.items() for v in vs)):
        _install()
        _installed = True
    return None
