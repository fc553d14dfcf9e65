"""Applying an extraction to a record, and the record's LLM input (page markdown, cache key)."""
from __future__ import annotations

from typing import Any, MutableMapping

from jobos.llm.extract import Extraction, content_hash

EMPTY = (None, "", [], {})


def page_text(record: MutableMapping[str, Any]) -> str:
    """Return the LLM input of a record: its page markdown, else its description."""
    return str(record.get("page_markdown") or record.get("description") or "")


def cache_key(record: MutableMapping[str, Any]) -> str | None:
    """Return the content hash of the record's page text, or None when it has none."""
    text = page_text(record)
    return content_hash(text) if text.strip() else None


def apply_extraction(record: MutableMapping[str, Any], extraction: Extraction) -> list[str]:
    """Fill the record's missing fields from a grounded extraction; return the fields filled.

    Values a deterministic tier already set are never overwritten. When anything was filled,
    `method` becomes "llm" and each filled field gets its quote as provenance.
    """
    filled: list[str] = []
    provenance = dict(record.get("provenance") or {})
    for name, value in extraction.accepted.items():
        if record.get(name) in EMPTY:
            record[name] = value
            provenance[name] = extraction.provenance[name]
            filled.append(name)
    if filled:
        record["provenance"] = provenance
        record["method"] = "llm"
    record["extraction_pending"] = False
    return filled
