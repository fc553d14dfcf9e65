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
            raise ValueError("must not contain control characters")
        if not any(ch.isalnum() for ch in value):
            raise ValueError("must contain at least one letter or digit")
        return value

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError("must be a country code such as DE or a name such as Germany")
        code = country_code(value)
        if code is None:
            raise ValueError(
                f"unknown country {value.strip()[:60]!r}: use an ISO 3166-1 alpha-2 code "
                "such as DE or an English name such as Germany"
            )
        return code

    @field_validator("careers_url", mode="before")
    @classmethod
    def _careers_url(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if not isinstance(value, str):
            raise ValueError("must be an http(s) URL")
        value = value.strip()
        if _CONTROL.search(value):
            raise ValueError("must not contain control characters")
        if "://" not in value:
            scheme = _SCHEME.match(value)
            if scheme and not value[scheme.end():][:1].isdigit():  # "acme.com:8080" is a port
                raise ValueError("must be an http(s) URL such as https://acme.com/careers")
            value = "https://" + value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL such as https://acme.com/careers")
        host = parts.hostname
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
    for err in exc.errors():
        name = ".".join(str(p) for p in err.get("loc", ())) or "arguments"
        msg = err.get("msg", "invalid")
        if err.get("type") == "extra_forbidden":
            allowed = ", ".join(CrawlArgs.model_fields)
            msg = f"unknown argument (accepted: {allowed})"
        elif err.get("type") == "missing":
            msg = "is required"
        elif err.get("type") == "literal_error":
            expected = (err.get("ctx") or {}).get("expected")
            msg = f"must be one of {expected}" if expected else "is not one of the accepted values"
        msg = msg.removeprefix("Value error, ")
        lines.append(f"{name}: {msg}")
    return "; ".join(lines)


def parse_crawl_args(raw: dict) -> CrawlArgs:
    """Return validated CrawlArgs, or raise CrawlArgsError with a one-line message."""
    try:
        return CrawlArgs(**raw)
    except ValidationError as exc:
        raise CrawlArgsError(f"invalid crawl argument: {format_validation_error(exc)}") from None
