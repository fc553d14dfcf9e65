"""The job record contract (see DESIGN.md) as a Scrapy item."""
from __future__ import annotations

import scrapy

# The public contract, in order: feed exports, the store and the API use exactly these.
CONTRACT_FIELDS: tuple[str, ...] = (
    "company",
    "company_domain",
    "source",
    "method",
    "external_id",
    "title",
    "url",
    "apply_url",
    "location",
    "city",
    "region",
    "country",
    "workplace",
    "employment_type",
    "department",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "posted_at",
    "description",
    "description_html",
    "scraped_at",
    "extraction_pending",
    # Added with the gazetteer/pay/language work; kept last so stored content hashes of jobs
    # that have none of them stay what they were (jobos.store.records.content_hash).
    "location_display",  # one display format from the normalized parts (normalize.location)
    "remote_scope",  # a remote job's reach: ISO countries and/or an area, comma-joined ("US,CA", "EU")
    "salary_min_yearly",  # the published figures per year (normalize.salary.YEARLY_FACTORS)
    "salary_max_yearly",
    "language",  # ISO 639-1 of the posting (normalize.language), None when unsure
)

# Internal fields that travel with an item through the pipelines but are not exported.
INTERNAL_FIELDS: tuple[str, ...] = (
    "board",  # identity of the board: "greenhouse:acme", "website:acme.com"
    "provenance",  # {field: {"method": ..., "quote": ...}}
    "page_markdown",  # the page's main content as markdown, input for the LLM tier
    "posted_text",  # relative date text as published ("Posted 3 days ago")
    "salary_text",  # salary as published, when not structured
    "remote_flag",  # ATS boolean/enum for remote work, before normalization
    "locations",  # all locations of a multi-location job, as published
)

METHODS = ("api", "jsonld", "html", "llm")
WORKPLACES = ("onsite", "hybrid", "remote")
EMPLOYMENT_TYPES = (
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
)
SALARY_PERIODS = ("HOUR", "DAY", "WEEK", "MONTH", "YEAR")


class JobItem(scrapy.Item):
    """One job posting; fields per the record contract plus internal pipeline fields."""

    locals().update({name: scrapy.Field() for name in CONTRACT_FIELDS + INTERNAL_FIELDS})
