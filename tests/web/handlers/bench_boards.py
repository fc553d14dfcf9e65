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
    "api.smartrecruiters.com", ".myworkdayjobs.com",
}
BENCH_JOBS = 40
TOKEN = re.compile(r"bench\d+", re.I)
_installed = False


def _repeat(template: dict, token: str, n: int) -> list[dict]:
    old = str(template["id"])
    text = json.dumps(template)
    jobs = []
    for i in range(n):
        new = f"9{abs(hash(token)) % 10**6:06d}{i:04d}"  # no leading 0: a JSON number cannot have one
        job = json.loads(text.replace(old, new))
        job["id"] = new if isinstance(template["id"], str) else int(new)
        jobs.append(job)
    return jobs


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
    if not _installed and TOKEN.search(req.host + req.path):
        _install()
        _installed = True
    return None
