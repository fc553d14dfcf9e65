"""Crawl runs and job histories as the pages show them: problems in sentences, step states,
field-by-field diffs, provenance rows."""
from __future__ import annotations

import difflib
import re
from typing import Any

from api.blueprints.ui.formatting import FIELD_LABELS, METHOD_LABELS, field_label, field_value
from api.models import CrawlRun

STATUS_LABELS = {
    "pending": "Waiting for a crawler", "running": "Running", "finished": "Finished",
    "partial": "Finished, but incomplete", "failed": "Failed", "cancelled": "Cancelled",
}
STEP_LABELS = {
    "starting": "Starting", "discovery": "Looking for the career page",
    "board": "Reading the job board", "site": "Reading the career site",
    "extraction": "Structuring descriptions", "storing": "Saving jobs",
}
STEPS = ("discovery", "board", "site", "extraction", "storing")
DONE_STATUSES = ("finished", "partial", "failed", "cancelled")
DONE_LABELS = {"finished": "Done", "partial": "Stopped early", "failed": "Stopped: it failed",
               "cancelled": "Cancelled"}


# --- crawl runs in words ---------------------------------------------------------------------

def _summary_parts(summary: str | None) -> list[tuple[str, str]]:
    """Return (key, value) pairs of an error summary like 'failed: x; http_429: 2'."""
    out = []
    for part in (summary or "").split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, value = part.partition(":")
        out.append((key.strip().lower(), value.strip()) if sep else ("", part))
    return out


def _count(value: str) -> int:
    match = re.match(r"\d+", value or "")
    return int(match.group()) if match else 1


def explain_run(run: dict[str, Any]) -> list[dict[str, str]]:
    """Return the crawl's problems as sentences a person understands: [{level, text}].

    Reads the run's status and its error summary (the crawl's `jobos/errors/...` counts and
    notes such as `discovery/search/blocked/captcha: 1` or `failed: <reason>`). Unknown codes
    are kept, worded plainly, so nothing the crawler reported is hidden.
    """
    messages: list[dict[str, str]] = []
    seen: set[str] = set()

    def say(level: str, text: str) -> None:
        if text not in seen:
            seen.add(text)
            messages.append({"level": level, "text": text})

    summary = str(run.get("error_summary") or "")
    retrying = summary.startswith("retrying after:")
    if retrying:
        say("warning", "The first attempt failed; JobOS is trying once more.")
        summary = summary.removeprefix("retrying after:")
    for key, value in _summary_parts(summary):
        text = f"{key} {value}".lower()
        if key == "failed" or key.startswith("failed"):
            if any(w in text for w in ("argument", "must ", "unknown", "invalid")):
                say("error", f"The crawl could not start: {value}")
            else:
                say("error", f"The crawl failed: {value}")
        elif "scrapyd is unavailable" in text or "no scrapyd node" in text or "scrapyd" in key:
            say("error", "No crawler is running to take this crawl. Start the crawler "
                         "(jobos serve) and try again.")
        elif "captcha" in text or "anomaly" in text:
            say("info", "DuckDuckGo asked for a CAPTCHA; tried the company's domain instead.")
        elif "search" in key and ("blocked" in key or "http" in text):
            say("info", "DuckDuckGo refused the search for now; tried the company's domain instead.")
        elif "search" in key and "failed" in key:
            say("info", "The web search could not be reached; tried the company's domain instead.")
        elif "budget" in text:
            say("warning", "The crawl reached its request budget and stopped early; some jobs "
                           "may be missing, so no job was marked closed.")
        elif "not_found" in key or "no career page" in text:
            say("error", "No career page or job board was found for this company. If you know "
                         "its careers page, give it in \u201cCareers page\u201d next to Find jobs "
                         "and start the crawl again.")
        elif "board_not_found" in key or "unknown board" in text:
            say("error", "The job board was not found (it may have moved or closed).")
        elif key.startswith("llm") and any(w in key for w in ("pending", "unavailable", "breaker")):
            say("info", "The language model server is not reachable; descriptions will be "
                        "structured later.")
        elif "429" in text:
            say("warning", f"The site asked us to slow down ({_count(value)} times); "
                           "JobOS waited and retried.")
        elif "timeout" in text:
            say("warning", f"{_count(value)} requests timed out.")
        elif "store" in key:
            say("warning", "Saving to the database failed for a while; unsaved jobs were kept "
                           "and retried.")
        elif "bad_response" in key or "truncated" in text or "unreadable" in text:
            say("warning", f"{_count(value)} answers from the site could not be read.")
        elif "max_jobs" in text:
            say("info", "Stopped at the maximum number of jobs asked for.")
        elif key:
            say("warning", _failure_sentence(key, value))
        else:
            say("warning", value)
    status = run.get("status")
    if status == "partial" and not any(m["level"] != "info" for m in messages):
        say("warning", "The crawl ended early, so some jobs may be missing and none was marked closed.")
    if status == "cancelled":
        say("info", "The crawl was cancelled.")
    if status == "failed" and not any(m["level"] == "error" for m in messages):
        say("error", "The crawl failed.")
    return messages


def _failure_sentence(key: str, value: str) -> str:
    """Say a counted failure ('guess downloadfailederror: 4') as a person would, no internal names."""
    from jobos.report import FAILURE_WORDS

    words = {name.lower(): text for name, text in FAILURE_WORDS.items()}
    kind = key.replace("/", " ").split()[-1] if key.split() else key
    where = {"guess": "while trying the company's likely web addresses",
             "probe": "while looking for the company's job board",
             "search": "while searching the web", "page": "while reading job pages",
             "api": "while reading the job board", "listing": "while reading the career site"}
    place = next((text for tier, text in where.items() if key.startswith(tier)), "")
    reason = words.get(kind)
    n = _count(value)
    if reason:
        return f"{n} request{'s' if n != 1 else ''} failed {place}: {reason}.".replace("  ", " ").replace(" :", ":")
    return f"{n} request{'s' if n != 1 else ''} failed {place}.".replace(" .", ".")


def step_states(step: str | None, status: str, found: int) -> dict[str, str]:
    """Return each step's state for the page: done, current, failed, skipped or waiting.

    Steps before the one the crawl reached are done. While the crawl runs the reached step is
    current. When it has ended the reached step is done when the crawl finished (or found jobs),
    failed otherwise; steps after it never ran and are skipped, so a crawl whose discovery
    failed does not show every step as done.
    """
    done = status in DONE_STATUSES
    order = list(STEPS)
    reached = order.index(step) if step in order else (-1 if not done else 0)
    states: dict[str, str] = {}
    for i, name in enumerate(order):
        if i < reached:
            states[name] = "done"
        elif i == reached:
            if not done:
                states[name] = "current"
            else:
                states[name] = "done" if status == "finished" or (status == "partial" and found) else "failed"
        else:
            states[name] = "skipped" if done else "waiting"
    return states


def run_view(run: dict[str, Any]) -> dict[str, Any]:
    """Return a crawl run as the page shows it: the API's fields plus words and a done flag."""
    data = CrawlRun.model_validate(run).model_dump(mode="json")
    step = data.get("step") or ("starting" if data["status"] == "pending" else None)
    data["status_label"] = STATUS_LABELS.get(data["status"], data["status"])
    data["step_label"] = STEP_LABELS.get(step or "", step or "")
    data["messages"] = explain_run(run)
    data["done"] = data["status"] in DONE_STATUSES
    data["step_states"] = step_states(step, data["status"], int(data.get("found") or 0))
    if data["done"]:
        data["step_label"] = DONE_LABELS.get(data["status"], data["status_label"])
    args = data.get("args") or {}
    data["company"] = args.get("company")
    data["country"] = args.get("country")
    return data


# --- job history as a diff -------------------------------------------------------------------

def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _inline_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Return [(kind, text)] word runs of old -> new; kind is 'same', 'del' or 'ins'."""
    a, b = re.findall(r"\s+|[^\s]+", old), re.findall(r"\s+|[^\s]+", new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", "".join(b[j1:j2])))
    return out


def history_view(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the job's changes, newest first: [{when, crawl_id, changes: [{field, old, new, diff}]}].

    Each history row holds the values before one change; the value after it is the next
    change's old value for that field, or the job's current value.
    """
    history = list(job.get("history") or [])
    out = []
    for index, entry in enumerate(history):
        old_values = entry.get("old_values") or {}
        changes = []
        for field in entry.get("changed_fields") or list(old_values):
            if field == "description_html":
                continue  # the markdown description shows the same change readably
            new_value: Any = job.get(field)
            for later in history[index + 1:]:
                if field in (later.get("old_values") or {}):
                    new_value = later["old_values"][field]
                    break
            old_text, new_text = field_value(field, old_values.get(field)), field_value(field, new_value)
            long = field == "description" or len(_text(old_values.get(field))) > 80 or len(_text(new_value)) > 80
            changes.append({
                "field": field, "label": field_label(field), "old": old_text, "new": new_text,
                "diff": _inline_diff(_text(old_values.get(field)), _text(new_value)) if long else None,
            })
        out.append({"when": entry.get("changed_at"), "crawl_id": entry.get("crawl_id"), "changes": changes})
    return list(reversed(out))


def provenance_view(job: dict[str, Any]) -> list[dict[str, Any]]:
    """Return [{field, label, source, quote}] for every field the provenance names."""
    prov = job.get("provenance") or {}
    rows = []
    for field, info in prov.items():
        if not isinstance(info, dict):
            info = {"method": str(info)}
        method = str(info.get("method") or "")
        rows.append({
            "field": field, "label": field_label(field),
            "source": METHOD_LABELS.get(method, method or "unknown"),
            "quote": info.get("quote"),
        })
    order = list(FIELD_LABELS)
    return sorted(rows, key=lambda r: order.index(r["field"]) if r["field"] in order else len(order))
