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


# Boards made by repeating the first job of a hand-made board: ats -> (template board, where its
# job list is ("feed/jobs": under "feed"), the id field, the new ids' prefix ({} = board number),
# fields set on the generated board).
_REPEATED = {
    "pinpoint": ("harbourline", "data", "id", "77{:02d}", {}),
    "gem": ("lumenlabs", "posts", "id", "66{:02d}", {}),
    "rippling": ("quarrytech", "jobs", "uuid", "55{:02d}", {}),
    "breezy": ("cobaltbay", "positions", "id", "44{:02d}", {}),
    "freshteam": ("tandoorlabs", "feed/jobs", "id", "33{:02d}", {}),
    "recruiterbox": ("lakeshorelabs", "objects", "id", "22{:02d}", {"page_limit": 250}),
    "jobylon": ("4242", "jobs", "id", "11{:02d}", {}),
    "hibob": ("fromagerie", "feed/jobAdDetails", "id", "77{:02d}-", {}),
    "manatal": ("tidewaysmarine", "results", "hash", "MN{:02d}", {"page_size": 10}),
    "jobscore": ("orchardvet", "feed/jobs", "id", "JS{:02d}x", {}),
    "hirehive": ("claddagh", "jobs", "id", "5{:02d}", {"page_size": 100}),
    "zohorecruit": ("meridianlabs", "postings", "id", "74{:02d}", {}),
    "keka": ("sarvamfoods", "jobs", "id", "3{:02d}", {}),
}


def _with_jobs(board: dict, path: str, id_key: str, prefix: str) -> dict:
    """Return the board with its job list (at `path`) replaced by BENCH_JOBS copies of its first job."""
    *outer, key = path.split("/")
    holder = board
    for name in outer:
        holder[name] = dict(holder[name])
        holder = holder[name]
    holder[key] = _repeat(holder[key][0], id_key, prefix)
    return board


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
    for ats, (template, path, id_key, ids, extra) in _REPEATED.items():
        module = mods.get(f"standin_ats_{ats}")
        if module is not None:
            _patch_load(module, ats, template, lambda b, t, path=path, id_key=id_key, ids=ids, extra=extra:
                        _with_jobs({**clean(b), **extra}, path, id_key, ids.format(num(t))))
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
    if "standin_ats_polymer" in mods:
        _patch_load(mods["standin_ats_polymer"], "polymer", "brightpath",
                    lambda b, t: {**{k: v for k, v in clean(b).items() if k != "malformed_detail"},
                                  "per_page_cap": 50, "jobs": _repeat(b["jobs"][0], "id", f"6{num(t):02d}")})
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
