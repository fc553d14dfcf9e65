"""Stand-in Jobylon embed widget (cdn.jobylon.com/jobs/companies/<id>/embed/v2/).

Serves hand-made companies from tests/web/data/jobylon/<id>.json as the real widget page does:
the jobs written into an inline JavaScript object literal `JBL.embed_v2['jobs'] = [...]` with
unquoted keys, single-quoted strings and \\u0027-style escapes (the shape of a real recorded
embed page; page_size=1000 lists every job, so there is no second page). An unknown company
answers 404; flag truncate cuts the page mid-way through the jobs literal.
"""
from __future__ import annotations

import json
import re

from _atsboards import ROBOTS_ALLOW, load_json
from _http import Response, html_response

HOSTS = {"cdn.jobylon.com"}
_EMBED = re.compile(r"^/jobs/companies/(\d+)/embed/v2/?$")


def _js(value, indent: str = "") -> str:
    """Render a JSON value as the widget's JavaScript literal (unquoted keys, single quotes)."""
    if isinstance(value, dict):
        inner = ",\n".join(f"{indent}    {k}: {_js(v, indent + '    ')}" for k, v in value.items())
        return "{\n" + inner + "\n" + indent + "}"
    if isinstance(value, list):
        return "[\n" + "".join(f"{indent}    {_js(v, indent + '    ')},\n" for v in value) + indent + "]"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)[1:-1].replace('\\"', '"')
        text = text.replace("'", "\\u0027").replace("-", "\\u002D").replace("&", "\\u0026")
        return f"'{text}'"
    return json.dumps(value)


def handle(req, state):
    if req.path == "/robots.txt":
        return Response(200, ROBOTS_ALLOW, {"content-type": "text/plain"})
    m = _EMBED.match(req.path)
    board = load_json("jobylon", m.group(1)) if m else None
    if board is None:
        return html_response("<html><body><h1>Not Found</h1></body></html>", 404)
    jobs = [{**job, "company": board["company"], "klass": {f"job-id-{job['id']}": True}, "layers": {}}
            for job in board["jobs"]]
    script = (
        "var JBL = JBL || {};\n        JBL.embed_v2 = {};\n"
        f"        JBL.embed_v2['companies'] = {_js([board['company']])};\n"
        f"        JBL.embed_v2['jobs'] = {_js(jobs, '        ')};\n"
        "        JBL.embed_v2['is_company_group'] = false;\n"
    )
    page = (f"<!DOCTYPE html><html lang=\"en\"><head><title>Jobs</title></head><body>"
            f"<div id=\"jobylon-jobs-widget\"></div><script>\n{script}</script>"
            f"<script src=\"https://static-eu.jobylon.com/js/embed-v2.min.js\"></script></body></html>")
    if board.get("truncate"):
        cut = page.index("JBL.embed_v2['jobs']") + 200
        page = page[:cut]
    return html_response(page)
