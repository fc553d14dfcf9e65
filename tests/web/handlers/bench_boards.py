"""Generated boards for bench/bench_boards.py: tokens 'bench<NN>' on several ATSs.

It answers nothing itself. On the first request for a bench token it installs generated boards
into the real stand-in handlers (so the benchmark reads the same formats the tests do): each
board is a hand-made template board with its first job repeated BENCH_JOBS times under new ids.
"""
from __future__ import annotations

import copy
import json
import re
import sys

PRIORITY = 0  # before the ATS handlers, which would answer 404 for unknown boards
HOSTS = {
    "boards-api.greenhouse.io", "api.lever.co", "api.ashbyhq.com", ".recruitee.com",
    "api.smartrecruiters.com", ".myworkdayjobs.com", "apply.workable.com", ".bamboohr.com",
    ".teamtailor.com", ".jobs.personio.de", ".oraclecloud.com", ".eightfold.ai", ".icims.com",
    ".jobs2web.com", ".avature.net", ".ultipro.com", ".taleo.net", "workforcenow.adp.com",
    "jobs.dayforcehcm.com", ".csod.com",
}
# Handlers answering a fixed set of hosts: bench hosts they must answer too.
EXTRA_HOSTS = {"standin_ats_phenom": [f"careers.bench{n:02d}.example" for n in range(100)]}
HOSTS.update(host for hosts in EXTRA_HOSTS.values() for host in hosts)
# Handlers keeping their boards in a module-level BOARDS dict: (handler module, template board
# key, bench board key for token N, list key, id key, board fields to drop). A new
# module's stand-in joins the benchmark with one row here and one in bench/bench_boards.py.
DICT_BOARDS = [
    ("standin_ats_workable", "brightpath", "bench{n:02d}", "jobs", "shortcode", ()),
    ("standin_ats_bamboohr", "harborhealth", "bench{n:02d}", "openings", "id", ()),
    # the template's 4-job pages exist to test paging; the stand-in's default is the feed's 50
    ("standin_ats_teamtailor", "nordlys", "bench{n:02d}", "jobs", "num", ("page_size",)),
    ("standin_ats_oracle", "northwind.fa.us2.oraclecloud.com/CX_1",
     "bench{n:02d}.fa.us2.oraclecloud.com/CX_1", "jobs", "Id", ()),
    ("standin_ats_eightfold", "contoso.eightfold.ai", "bench{n:02d}.eightfold.ai", "jobs", "id", ()),
    ("standin_ats_icims", "careers-litware.icims.com", "careers-bench{n:02d}.icims.com", "jobs", "req_id", ()),
    ("standin_ats_successfactors", "careers.adventure-works.com", "bench{n:02d}.jobs2web.com", "jobs", "id", ()),
    ("standin_ats_avature", "fourthcoffee.avature.net/careers", "bench{n:02d}.avature.net/careers",
     "jobs", "id", ()),
    ("standin_ats_ukg", "recruiting2.ultipro.com/NOR1001NORTH/JobBoard/f11a0b52-5153-4c12-ad2c-b7f3b0a74112",
     "recruiting.ultipro.com/BENCH{n:02d}/JobBoard/f11a0b52-5153-4c12-ad2c-b7f3b0a74112", "jobs", "Id", ()),
    ("standin_ats_taleo", "fabrikam.taleo.net", "bench{n:02d}.taleo.net", "jobs", "contestNo", ()),
    ("standin_ats_phenom", "careers.litware-health.com", "careers.bench{n:02d}.example", "jobs", "jobSeqNo", ()),
    ("standin_ats_adp", "fc87c3e5-bb17-4857-9e3a-28a4049196cb/9203358411273_3",
     "bec0{n:02d}00-bb17-4857-9e3a-28a4049196cb/19000101_000001", "jobs", "itemID", ()),
    ("standin_ats_dayforce", "asrcfh", "bench{n:02d}", "jobs", "jobPostingId", ()),
    ("standin_ats_cornerstone", "fourthbank.csod.com/3", "bench{n:02d}.csod.com/3", "jobs", "requisitionId", ()),
]
# Flags that make a stand-in board misbehave on purpose (tests), never wanted in the benchmark.
_FLAGS = ("rate_limit_once", "truncate", "malformed", "malformed_detail", "missing_detail", "no_jsonld")
BENCH_JOBS = 40
TOKEN = re.compile(r"bench\d+", re.I)
_installed = False


def _repeat(template: dict, token: str, n: int, key: str = "id") -> list[dict]:
    old = str(template[key])
    text = json.dumps(template)
    jobs = []
    for i in range(n):
        new = f"9{abs(hash(token)) % 10**6:06d}{i:04d}"  # no leading 0: a JSON number cannot have one
        job = json.loads(text.replace(old, new))
        job[key] = new if isinstance(template[key], str) else int(new)
        jobs.append(job)
    return jobs


def _renumber(template: dict, token: str, n: int, key: str) -> list[dict]:
    """Return n copies of a job with new ids in `key` (handlers build URLs from the id)."""
    jobs = []
    for i in range(n):
        job = copy.deepcopy(template)
        new = f"{abs(hash(token)) % 10**6:06d}{i:04d}"
        job[key] = new if isinstance(template[key], str) else int(new)
        jobs.append(job)
    return jobs


def _personio_feed(text: str, n: int) -> str:
    """Return a Personio XML feed whose first position is repeated n times under new ids."""
    start, end = text.index("<position>"), text.rindex("</position>") + len("</position>")
    first = text[start:text.index("</position>") + len("</position>")]
    old = re.search(r"<id>(\d+)</id>", first).group(1)
    positions = "".join(first.replace(old, f"77{i:05d}") for i in range(n))
    return text[:start] + positions + text[end:]


def _file_board(load_json, ats: str, template_token: str, key: str):
    def load(ats_name: str, token: str):
        if ats_name == ats and token and TOKEN.fullmatch(token):
            board = copy.deepcopy(load_json(ats, template_token))
            board.pop("rate_limit_once", None)
            board.pop("truncate", None)
            board[key] = _repeat(board[key][0], token.lower(), BENCH_JOBS)
            return board
        return load_json(ats_name, token)

    return load


def _install() -> None:
    templates = {  # handler module, ats, template board, list key
        "standin_ats_greenhouse": ("greenhouse", "northwind", "jobs"),
        "standin_ats_lever": ("lever", "summitpeak", "postings"),
        "standin_ats_ashby": ("ashby", "orbital", "jobs"),
        "standin_ats_recruitee": ("recruitee", "tulpen", "offers"),
    }
    for name, (ats, template, key) in templates.items():
        module = sys.modules.get(name)
        if module is not None:
            module.load_json = _file_board(module.load_json, ats, template, key)
    sr = sys.modules.get("standin_ats_smartrecruiters")
    if sr is not None:
        base = next(iter(sr.BOARDS.values()))
        for i in range(100):
            token = f"bench{i:02d}"
            board = {k: v for k, v in copy.deepcopy(base).items() if k not in ("rate_limit_once", "malformed_detail", "truncate")}
            board["postings"] = _repeat(base["postings"][0], token, BENCH_JOBS)
            sr.BOARDS[f"Bench{i:02d}"] = board
            sr._LOWER[f"bench{i:02d}"] = f"Bench{i:02d}"
    for name, template, key, jobs_key, id_key, drop in DICT_BOARDS:
        module = sys.modules.get(name)
        if module is None:
            continue
        base_board = module.BOARDS[template]
        for i in range(100):
            board = {k: v for k, v in copy.deepcopy(base_board).items() if k not in (*_FLAGS, *drop)}
            board[jobs_key] = _renumber(base_board[jobs_key][0], f"{name}{i}", BENCH_JOBS, id_key)
            module.BOARDS[key.format(n=i)] = board
        if hasattr(module, "_paths"):
            module._paths.cache_clear()
        module.HOSTS.update(EXTRA_HOSTS.get(name, ()))
    wd = sys.modules.get("standin_ats_workday")
    if wd is not None:
        base = next(iter(wd.BOARDS.values()))
        for i in range(100):
            board = copy.deepcopy(base)
            board.update(tenant=f"bench{i:02d}", site="Bench_Site", company=f"Bench {i:02d}")
            board["jobs"] = _repeat(base["jobs"][0], f"wd{i}", BENCH_JOBS)
            wd.BOARDS[f"bench{i:02d}.wd1.myworkdayjobs.com/Bench_Site"] = board


def handle(req, state):
    global _installed
    bench_adp = (req.arg("cid") or "").startswith("bec0")  # ADP names its board in the query
    if not _installed and (TOKEN.search(req.host + req.path) or bench_adp):
        _install()
        _installed = True
    if req.host.endswith(".jobs.personio.de") and TOKEN.fullmatch(req.host.split(".", 1)[0]) \
            and req.path.rstrip("/") == "/xml":
        from _atsboards import DATA
        from _http import Response

        feed = _personio_feed((DATA / "personio" / "alpenwerk.xml").read_text(encoding="utf-8"), BENCH_JOBS)
        return Response(200, feed, {"content-type": "text/xml; charset=utf-8"})
    return None
