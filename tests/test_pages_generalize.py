"""The generic page readers must not be tuned to the corpus pages they were measured on.

No module under jobos/pages/ (nor the site spider) may name a corpus page's host or company, or
a CSS class or id that only one corpus page uses: such a rule would read that one site, not the
web. The names are collected from the corpus itself (ATS modules are exempt: they name their
own documented hosts).
"""
from __future__ import annotations

import ast
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest

from tests.corpus import corpus_dir

REPO = Path(__file__).resolve().parent.parent
MODULES = sorted((REPO / "jobos" / "pages").glob("*.py")) + [REPO / "jobos" / "spiders" / "site.py"]
_WORD = re.compile(r"[A-Za-z][\w-]*\w")
# Pages read by the generic tier (ATS pages are the ATS modules' business, and platforms such as
# job boards or social networks that many sites link to are no one site's name).
GENERIC_KINDS = {"listing", "listing_with_jsonld", "detail", "fragment", "script_chunk", "other"}
# Shared vocabulary that one corpus page happens to use as a class; each with the reason it is
# not that page's own markup.
VOCABULARY = {
    "d-none": "Bootstrap's display:none utility class",
    "job-location": "the generic name of a posting's location field",
}


def _truth() -> list[dict]:
    return json.loads((corpus_dir() / "pages_truth.json").read_text(encoding="utf-8"))


def _literals(path: Path) -> list[str]:
    """Return the module's string constants (regex sources included) and its comments."""
    source = path.read_text(encoding="utf-8")
    strings = [node.value for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    comments = [line.split("#", 1)[1] for line in source.splitlines() if "#" in line]
    return strings + comments


def _hosts(entries: list[dict]) -> set[str]:
    """Return the hosts of the corpus's company sites (and their registrable parts)."""
    hosts = set()
    for entry in entries:
        if entry["page_kind"] not in GENERIC_KINDS:
            continue
        site = (urlsplit(entry["url"]).hostname or "").lower()
        site_domain = ".".join(site.split(".")[-2:])
        for url in [entry.get("url")] + [job.get("url") for job in entry["jobs"]]:
            host = (urlsplit(url).hostname or "").lower() if url else ""
            if host and host.endswith(site_domain):  # the company's own site, not a job board
                hosts.add(host)
                hosts.add(".".join(host.split(".")[-2:]))  # the registrable part, e.g. acme.com
    return hosts


def _single_page_marks() -> set[str]:
    """Return the class tokens and ids that occur in exactly one corpus page."""
    pages: Counter[str] = Counter()
    for entry in _truth():
        path = corpus_dir() / entry["file"]
        if not path.name.endswith((".html", ".htm")):
            continue
        doc = lxml.html.fromstring(path.read_bytes())
        marks = set()
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            marks.update(token.lower() for token in (el.get("class") or "").split())
            if el.get("id"):
                marks.add(el.get("id").lower())
        pages.update(marks)
    # Plain words ("apply", "title") are vocabulary, not one site's markup: only names with a
    # separator or a digit, which a site's designer coined, count.
    return {mark for mark, count in pages.items()
            if count == 1 and re.search(r"[-_\d]", mark) and len(mark) > 3 and mark not in VOCABULARY}


@pytest.fixture(scope="module")
def literals() -> dict[str, list[str]]:
    return {path.name: _literals(path) for path in MODULES}


def test_modules_exist():
    assert any(path.name == "listing.py" for path in MODULES) and (REPO / "jobos" / "spiders" / "site.py").exists()


def test_no_corpus_host(literals):
    hosts = _hosts(_truth())
    assert "www.galadyne.io" in hosts or len(hosts) > 20  # the corpus gave us something to check
    found = [(name, host) for name, texts in literals.items() for text in texts for host in hosts
             if re.search(r"(?<![\w.-])" + re.escape(host) + r"(?![\w-])", text.lower())]
    assert not found, f"corpus host names in the generic readers: {found}"


def test_no_corpus_company(literals):
    companies = set()
    for entry in _truth():
        if entry["page_kind"] not in GENERIC_KINDS:
            continue
        name = (entry.get("company") or "").strip()
        if len(name) >= 4:
            companies.add(name.lower())
    assert companies
    found = [(name, company) for name, texts in literals.items() for text in texts for company in companies
             if re.search(r"(?<!\w)" + re.escape(company) + r"(?!\w)", text.lower())]
    assert not found, f"corpus company names in the generic readers: {found}"


def test_no_single_page_class_or_id(literals):
    marks = _single_page_marks()
    assert len(marks) > 50  # the corpus pages were read
    found = sorted({(name, word) for name, texts in literals.items() for text in texts
                    for word in _WORD.findall(text) if word.lower() in marks})
    assert not found, f"classes/ids of a single corpus page in the generic readers: {found}"
