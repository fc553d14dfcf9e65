"""Language of a posting: py3langid's shipped model, with a confidence floor for short text."""
from __future__ import annotations

import json

import pytest

from jobos.normalize.language import detect_language
from tests.corpus import corpus_dir


@pytest.mark.parametrize("title,description,expected", [
    ("Softwareentwickler (m/w/d)", "Wir suchen einen Softwareentwickler für unser Team in Berlin. "
     "Du arbeitest mit uns an spannenden Projekten.", "de"),
    ("Ingénieur logiciel", "Nous recherchons un ingénieur logiciel pour rejoindre notre équipe à Paris.", "fr"),
    ("Desarrollador", "Buscamos un desarrollador de software para nuestro equipo en Madrid.", "es"),
    ("Senior Engineer", "We are looking for a senior engineer to join our platform team.", "en"),
    ("Senior Engineer", None, None),  # too short to tell
    (None, None, None),
])
def test_detect_language(title, description, expected):
    assert detect_language(title, description) == expected


def test_corpus_postings_in_their_languages():
    # Teamtailor's Swedish feed (1KOMMA5°) and an English Greenhouse board (Airtable).
    root = corpus_dir()
    sv = json.loads((root / "teamtailor" / "konstantinosanagn__ergon__teamtailor_1komma5_jobs.json").read_text())
    for item in sv["items"]:
        assert detect_language(item["title"], item["content_html"]) == "sv", item["title"]
    gh = json.loads((root / "greenhouse" / "orozcolazaro__nova-analytics__greenhouse_airtable.json").read_text())
    found = [detect_language(job["title"], job.get("content")) for job in gh["jobs"]]
    assert found.count("en") >= 0.95 * len(found)
