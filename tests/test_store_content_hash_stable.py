"""records.prepare gives the same content hash, identity and canonical values as when the
fixture was written: stored hashes decide "unchanged", so a different digest for the same
record would make every stored job look changed on the first crawl after an upgrade."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from jobos.store import records

FIXTURE = Path(__file__).parent / "fixtures" / "store_content_hashes.json"
DOC = json.loads(FIXTURE.read_text(encoding="utf-8"))


def decode(value):
    if isinstance(value, dict) and len(value) == 1:
        (tag, raw), = value.items()
        if tag == "$datetime":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$decimal":
            return Decimal(raw)
        if tag == "$float":
            return float(raw)
        if tag == "$tuple":
            return tuple(decode(v) for v in raw)
    return value


def test_fixture_covers_what_the_hash_depends_on():
    cases = DOC["cases"]
    prepared = [c for c in cases if c["expected"] is not None]
    assert DOC["fields"] == list(records.CONTENT_FIELDS)
    assert len(prepared) >= 50 and len(cases) - len(prepared) >= 5  # valid and rejected records
    hashes = {c["expected"]["content_hash"] for c in prepared}
    assert len(hashes) == len(prepared)  # no two cases alike
    # Records without the fields added after description_html (the legacy digest) and with them.
    late = records.CONTENT_FIELDS.index("description_html") + 1
    assert any(all(v is None for v in c["expected"]["values"][late:]) for c in prepared)
    assert any(any(v is not None for v in c["expected"]["values"][late:]) for c in prepared)
    # Text a page can send that UTF-8 cannot encode (a lone surrogate from a JSON escape).
    assert any(isinstance(v, str) and any(0xD800 <= ord(ch) <= 0xDFFF for ch in v)
               for c in prepared for v in c["expected"]["values"])
    kinds = {type(decode(v)).__name__ for c in cases for v in c["item"].values()}
    assert {"str", "int", "float", "NoneType", "datetime", "date", "Decimal", "list", "dict"} <= kinds


@pytest.mark.parametrize("case", DOC["cases"], ids=lambda c: str(c["item"].get("url") or c["item"].get("external_id")))
def test_prepare_matches_the_frozen_result(case):
    item = {k: decode(v) for k, v in case["item"].items()}
    job = records.prepare(item)
    expected = case["expected"]
    if expected is None:
        assert job is None
        return
    assert job is not None
    assert job.content_hash == expected["content_hash"]
    assert [job.values[f] for f in DOC["fields"]] == [decode(v) for v in expected["values"]]
    assert records.content_hash(job.values) == expected["content_hash"]  # rehash() agrees
    assert (job.board, job.external_id, job.company_norm) == (
        expected["board"], expected["external_id"], expected["company_norm"])
    assert (job.scraped_at.isoformat() if job.scraped_at else None) == expected["scraped_at"]
    assert job.extraction_pending is expected["extraction_pending"]
    assert job.posted_relative is expected["posted_relative"]
    assert job.provenance == expected["provenance"]
