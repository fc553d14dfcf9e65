"""Crawl arguments: one pydantic model shared by the spider, scrapyd and the API."""
from __future__ import annotations

import re
import unicodedata
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from jobos.normalize.countries import country_code

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

# --- one wording per validation rule --------------------------------------------------------------
# The CLI (`jobos crawl`, `scrapy crawl -a`), the API's 422 bodies and the page's form errors all
# say a rule the same way: "<field>: <rule>". Our validators raise these sentences; pydantic's own
# error types are turned into them by rule_message (never pydantic's raw text).
COUNTRY_RULE = "unknown country: use an ISO 3166-1 alpha-2 code such as DE or an English name such as Germany"
COUNTRY_TYPE_RULE = "must be a country code such as DE or a name such as Germany"
URL_RULE = "must be an http(s) URL such as https://acme.com/careers"
BOARD_RULE = "must be an ATS and a board name such as greenhouse:acme"
CONTROL_RULE = "must not contain control characters"
REQUIRED_RULE = "is required"
UNKNOWN_FIELD_RULE = "unknown field"
_TYPE_RULES = {
    "missing": REQUIRED_RULE,
    "string_type": "must be text",
    "string_too_long": "must be at most {max_length} characters",
    "too_long": "must have at most {max_length} entries",
    "too_short": "must have at least {min_length} entries",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "int_parsing_size": "is too large a number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "literal_error": "must be one of {expected}",
    "enum": "must be one of {expected}",
    "date_type": "must be a date such as 2024-05-31",
    "date_parsing": "must be a date such as 2024-05-31",
    "date_from_datetime_parsing": "must be a date such as 2024-05-31",
    "date_from_datetime_inexact": "must be a date such as 2024-05-31",
    "list_type": "must be a list",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "extra_forbidden": UNKNOWN_FIELD_RULE,
    "string_unicode": "must be valid Unicode text",
}
# Rules whose wording depends on the field (a pattern says nothing to a person by itself).
_FIELD_RULES = {("board", "string_pattern_mismatch"): BOARD_RULE,
                ("lang", "string_pattern_mismatch"): "must be a two-letter language code such as de"}


def rule_message(err: dict) -> str:
    """Return the one wording of a pydantic error (an entry of ValidationError.errors())."""
    kind = str(err.get("type", ""))
    loc = err.get("loc") or ()
    field = str(loc[-1]) if loc else ""
    if (field, kind) in _FIELD_RULES:
        return _FIELD_RULES[(field, kind)]
    if kind == "string_too_short" and (err.get("ctx") or {}).get("min_length") == 1:
        return REQUIRED_RULE  # an empty (or blank) required text is a missing one
    if kind in ("value_error", "assertion_error"):
        # Our validators' own sentences, without pydantic's prefix.
        return str(err.get("msg", "is not valid")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = _TYPE_RULES.get(kind)
    if template is None:
        return "is not valid"
    try:
        return template.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split(" {")[0]


def field_of(err: dict, default: str = "arguments") -> str:
    """Return the dotted field name of a pydantic error ('companies.0.country')."""
    return ".".join(str(p) for p in err.get("loc", ())) or default


class CrawlArgs(BaseModel):
    """What one crawl of the `careers` spider is asked to do."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    company: str = Field(
        min_length=1,
        max_length=200,
        description="Company name as a person would type it, e.g. 'Acme GmbH'.",
    )
    country: str | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 code or English country name (any case); "
        "only jobs in that country, remote jobs open to it, and jobs of unknown country.",
    )
    careers_url: str | None = Field(
        default=None,
        max_length=2000,
        description="A careers page or ATS board URL; skips discovery.",
    )
    max_jobs: int | None = Field(
        default=None, ge=1, le=100_000, description="Stop after this many jobs."
    )
    unknown_country: Literal["include", "exclude"] = Field(
        default="include",
        description="With a country: keep jobs whose country cannot be determined (include, as the "
        "jobs list does by default) or drop them (exclude).",
    )
    render: Literal["auto", "always", "never"] = Field(
        default="auto", description="Use the browser: when a page needs it, always, or never."
    )
    crawl_id: int | None = Field(
        default=None, ge=1, description="Crawl run row created by the API."
    )
    extract_pending: bool = Field(
        default=False,
        description="Before crawling, run LLM extraction for records left pending earlier.",
    )

    @field_validator("company")
    @classmethod
    def _company(cls, value: str) -> str:
        value = unicodedata.normalize("NFC", value)
        if _CONTROL.search(value):
            raise ValueError(CONTROL_RULE)
        if not any(ch.isalnum() for ch in value):
            raise ValueError("must contain at least one letter or digit")
        return value

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError(COUNTRY_TYPE_RULE)
        code = country_code(value)
        if code is None:
            raise ValueError(COUNTRY_RULE)
        return code

    @field_validator("careers_url", mode="before")
    @classmethod
    def _careers_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError(URL_RULE)
        value = value.strip()
        if _CONTROL.search(value):
            raise ValueError(CONTROL_RULE)
        if "://" not in value:
            scheme = _SCHEME.match(value)
            if scheme and not value[scheme.end():][:1].isdigit():  # "acme.com:8080" is a port
                raise ValueError(URL_RULE)
            value = "https://" + value
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            raise ValueError(URL_RULE) from None
        if parts.scheme not in ("http", "https") or not host:
            raise ValueError(URL_RULE)
        if "." not in host and ":" not in host:  # "not-a-url": no domain (IPv6 literals have ':')
            raise ValueError(f"{host!r} is not a web address: use a URL such as https://acme.com/careers")
        return value

    @field_validator("max_jobs", "crawl_id", mode="before")
    @classmethod
    def _int(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not value.isdigit():
                raise ValueError("must be a positive whole number")
            return int(value)
        return value

    @field_validator("render", mode="before")
    @classmethod
    def _render(cls, value: object) -> object:
        if value is None or value == "":
            return "auto"
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("extract_pending", mode="before")
    @classmethod
    def _bool(cls, value: object) -> object:
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("", "0", "false", "no", "off"):
                return False
            raise ValueError("must be true or false")
        return value


class CrawlArgsError(ValueError):
    """A crawl argument is invalid; the message is one line naming the argument."""


def format_validation_error(exc: ValidationError) -> str:
    """Return one line per problem: 'argument: what is wrong'."""
    lines = []
    for err in exc.errors(include_url=False):
        msg = rule_message(err)
        if err.get("type") == "extra_forbidden":
            msg = f"{msg} (accepted: {', '.join(CrawlArgs.model_fields)})"
        lines.append(f"{field_of(err)}: {msg}")
    return "; ".join(lines)


def parse_crawl_args(raw: dict) -> CrawlArgs:
    """Return validated CrawlArgs, or raise CrawlArgsError with a one-line message."""
    try:
        return CrawlArgs(**raw)
    except ValidationError as exc:
        raise CrawlArgsError(f"invalid crawl argument: {format_validation_error(exc)}") from None
