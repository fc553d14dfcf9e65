"""Stand-in Avature portals: SearchJobs pages and JobDetail pages in the recorded markup.

Boards: tests/web/data/avature/boards.json ("{host}/{portal}" -> jobs). SearchJobs pages follow
the recorded Voutique page (li.list__item, .list__item__text__title a, subtitle spans with
location, "Ref #", "Posted ...", a pagination legend and paginationNextLink), 10 a page by
jobOffset; JobDetail pages follow the recorded UCLA Health/Bloomberg pages (og:title,
.article__content__view__field blocks with label and value, unlabeled rich-text description).
One job page is missing (404); one portal answers a maintenance page; an unknown tenant 404.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

from _atsboards import ROBOTS_ALLOW
from _http import Response, html_response

BOARDS = json.loads((Path(__file__).resolve().parent.parent / "data" / "avature" / "boards.json")
                    .read_text(encoding="utf-8"))
HOSTS = {".avature.net"}
PAGE = 10


def _slug(job: dict) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", job["title"]).strip("-")


def _search(host: str, portal: str, jobs: list[dict], offset: int) -> str:
    base = f"https://{host}/{portal}"
    items = "".join(
        f'<li class="list__item list__item--boxed clearfix"><div class="list__item__text">'
        f'<div class="list__item__text__title"><a href="{base}/JobDetail/{_slug(j)}/{j["id"]}">'
        f'{html.escape(j["title"])}</a></div><div class="list__item__text__subtitle">'
        f'<span>{html.escape(j["location"])}.</span><span>Ref #R{j["id"]}. </span><span>Posted {j["posted"]}</span>'
        f'</div></div><div class="list__item__actions"><a class="button" href="{base}/ApplicationMethods?jobId={j["id"]}">'
        f'Apply</a></div></li>' for j in jobs[offset:offset + PAGE])
    following = (f'<a href="{base}/SearchJobs/?jobOffset={offset + PAGE}" class="pagination__item paginationNextLink">'
                 f'&gt;&gt;</a>' if offset + PAGE < len(jobs) else "")
    return (f'<html><body><ul class="list list--jobs">{items}</ul><div class="pagination pagination--bottom">'
            f'<span class="pagination__legend">{offset + 1}-{min(offset + PAGE, len(jobs))} of {len(jobs)} results'
            f'</span>{following}</div></body></html>')


def _field(label: str | None, value: str) -> str:
    lab = f'<span class="article__content__view__field__label">{label}</span>' if label else ""
    return (f'<div class="article__content__view__field ">{lab}'
            f'<div class="article__content__view__field__value">{value}</div></div>')


def _detail(job: dict) -> str:
    fields = [_field(None, f"Work Location: {html.escape(job['location'])}"),
              _field("Business Area", job["area"]), _field("Onsite or Remote", job["remote"]),
              _field("Posted Date", job["posted"]), _field("Employment Type", job["type"]),
              _field("Job #", f"R{job['id']}")]
    if job.get("salary"):
        fields.insert(4, _field(None, f"Salary Range: {job['salary']}"))
    return (f'<html><head><meta property="og:title" content="{html.escape(job["title"])}"></head><body>'
            f'<article class="article article--details regular-fields--cols-2Z"><div class="article__content">'
            f'<div class="article__content__view">{"".join(fields)}</div></div></article>'
            f'<article class="article article--details"><div class="article__content">'
            f'{_field(None, job["description"])}</div></article></body></html>')


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    m = re.match(r"^/([^/]+)/(SearchJobs|JobDetail)(?:/(?:[^/]+/)?(\d+))?/?$", req.path)
    board = BOARDS.get(f"{req.host}/{m.group(1)}") if m else None
    if board is None:
        return html_response("<html><body><h1>Page not found</h1></body></html>", 404)
    if board.get("garbage"):
        return html_response("<html><body><p>We are down for maintenance.\x00\x00</p>", 200)
    if m.group(2) == "SearchJobs":
        return html_response(_search(req.host, m.group(1), board["jobs"], int(req.arg("jobOffset", "0") or 0)))
    for job in board["jobs"]:
        if job["id"] == m.group(3) and job["id"] not in board.get("missing_detail", []):
            return html_response(_detail(job))
    return html_response("<html><body><h1>This job is no longer available</h1></body></html>", 404)
