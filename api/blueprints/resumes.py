"""Resumes: upload (PDF, DOCX or text, checked by content), list, read, delete, and the open
jobs that fit one. A resume is its owner's (and admins'); anyone else gets a 404."""
from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Literal

from flask import Blueprint, Response, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.auth import current_identity, require
from api.errors import ApiError
from api.ext import audit, store
from api.models import _country_value
from api.spec import doc, parse_query
from jobos.alerts.match import matches as search_lists
from jobos.resumes.extract import MEDIA_TYPES, ResumeRefused, extract, max_bytes
from jobos.resumes.embed import EmbeddingsUnavailable, hybrid_order, ranker
from jobos.resumes.match import rank, terms

logger = logging.getLogger(__name__)

CANDIDATES = 2000

bp = Blueprint("resumes", __name__, url_prefix="/api/resumes")

UPLOAD = {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}


class Resume(BaseModel):
    id: int
    owner_id: int
    filename: str
    media_type: str
    size: int
    created_at: str | None = None
    text: str | None = Field(default=None, description="The text read from the file (one resume only).")


class ResumeList(BaseModel):
    items: list[Resume]


class MatchesQuery(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    country: str | None = Field(default=None, description="Only jobs in this country.")
    search_id: int | None = Field(default=None, ge=1, le=10**18, description="Only jobs this saved search of yours lists.")
    limit: int = Field(default=20, ge=1, le=100)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return _country_value(value)


class MatchExplanation(BaseModel):
    shared_terms: list[str] = Field(description="Terms in both the resume and the job, strongest first.")
    in_title: list[str] = Field(description="Shared terms found in the job's title.")
    resume_level: Literal["intern", "junior", "mid", "senior", "lead"] | None = Field(
        default=None, description="The resume's seniority (from its years of experience or its words).")
    job_level: Literal["intern", "junior", "mid", "senior", "lead"] = Field(
        default="mid", description="The seniority the job's title names (mid when it names none).")
    seniority: Literal["same", "job above", "job below"] | None = Field(
        default=None, description="The job's level against the resume's; null when the resume tells none.")
    location: Literal["remote", "same city", "same country", "elsewhere", "unknown"] = Field(
        default="unknown", description="How the job's place fits the places the resume names.")


class Match(BaseModel):
    job_id: int
    title: str | None = None
    company: str | None = None
    location: str | None = None
    country: str | None = None
    workplace: str | None = None
    url: str | None = None
    score: float
    explanation: MatchExplanation


class MatchList(BaseModel):
    items: list[Match]


def _principal_id() -> int:
    kind, _, number = current_identity().subject.partition(":")
    if kind not in ("user", "profile") or not number.isdigit():
        raise ApiError(403, "forbidden", "Resumes belong to signed-in users")
    return int(number)


def _resume_or_404(resume_id: int, with_text: bool = False) -> dict[str, Any]:
    owner = None if current_identity().at_least("admin") else _principal_id()
    resume = store().get_resume(resume_id, owner_id=owner, with_text=with_text)
    if resume is None:  # another user's resume is as absent as a missing one
        raise ApiError(404, "not_found", f"No resume {resume_id}")
    return resume


def _refused(message: str, status: int = 422) -> ApiError:
    return ApiError(status, "validation_error" if status == 422 else "too_large", message,
                    [{"field": "file", "reason": message, "location": "body"}])


@bp.get("")
@require("user")
@doc("Your resumes", "resumes", response=ResumeList)
def list_resumes():
    return jsonify({"items": [Resume.model_validate(r).model_dump(mode="json")
                              for r in store().list_resumes(_principal_id())]})


@bp.post("")
@require("user")
@doc("Upload a resume (PDF, DOCX or UTF-8 text; the type is read from the content)", "resumes",
     body_content=UPLOAD, response=Resume, status=201, errors=(413,))
def upload():
    allow_resume_body()
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "Send the file as multipart/form-data in the field 'file'")
    resume = store_upload(_principal_id())
    return jsonify(Resume.model_validate(resume).model_dump(mode="json")), 201


def allow_resume_body() -> None:
    """Let this request's body be as large as a resume may be (the app's limit is for JSON)."""
    request.max_content_length = max(max_bytes() + 64 * 1024, current_app.config.get("MAX_CONTENT_LENGTH") or 0)


def store_upload(owner_id: int) -> dict[str, Any]:
    """Return the stored resume of this request's form field 'file' (the API's and the page's
    upload); ApiError with a sentence when it is too large, missing or not a resume we read."""
    limit = max_bytes()
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise _refused(f"The upload is larger than {limit // (1024 * 1024)} MB", 413)
    upload = request.files.get("file")
    if upload is None:
        raise _refused("Send the resume in the form field 'file'")
    content = upload.stream.read(limit + 1)
    if not content:
        raise _refused("No file was sent, or it is empty: choose a PDF, DOCX or text file")
    if len(content) > limit:
        raise _refused(f"The file is larger than {limit // (1024 * 1024)} MB", 413)
    try:
        kind, text = extract(content)
    except ResumeRefused as exc:
        raise _refused(str(exc)) from None
    filename = "".join(ch for ch in (upload.filename or "resume") if ch.isprintable())[:200] or "resume"
    resume = store().add_resume(owner_id, filename, MEDIA_TYPES[kind], content, text)
    audit("resume.upload", f"resume:{resume['id']}", {"media_type": resume["media_type"], "size": resume["size"]})
    return resume


@bp.get("/<id:resume_id>")
@require("user")
@doc("One resume with its text", "resumes", response=Resume)
def get_resume(resume_id: int):
    return jsonify(Resume.model_validate(_resume_or_404(resume_id, with_text=True)).model_dump(mode="json"))


@bp.delete("/<id:resume_id>")
@require("user")
@doc("Delete a resume with everything read from it", "resumes", status=204)
def delete_resume(resume_id: int):
    _resume_or_404(resume_id)
    store().delete_resume(resume_id)
    audit("resume.delete", f"resume:{resume_id}")
    return Response(status=204)


@bp.get("/<id:resume_id>/matches")
@require("user")
@doc("Open jobs that fit a resume, best first, with the terms found in both", "resumes",
     query=MatchesQuery, response=MatchList)
def matches(resume_id: int):
    query = parse_query(MatchesQuery)
    resume = _resume_or_404(resume_id, with_text=True)
    ranked = ranked_matches(resume, country=query.country, search_id=query.search_id, limit=query.limit)
    return jsonify(MatchList(items=ranked).model_dump(mode="json"))


def ranked_matches(resume: dict[str, Any], country: str | None = None, search_id: int | None = None,
                   limit: int = 20) -> list[dict[str, Any]]:
    """Return the open jobs that fit a resume (with its text), best first, each explained; only
    those a saved search of the caller lists when search_id is given (404 when it is not theirs)."""
    # The database's full-text index picks the jobs sharing the resume's most frequent terms;
    # BM25 over those ranks and explains them (reading every open job took 21 s at 100,000).
    words = [t for t, _ in Counter(terms(resume["text"])).most_common(64)]
    candidates = store().candidate_jobs(words, country=country, limit=CANDIDATES)
    if search_id is not None:
        search = store().get_saved_search(search_id, owner_id=_principal_id())
        if search is None:
            raise ApiError(404, "not_found", f"No saved search {search_id}")
        candidates = [job for job in candidates if search_lists(search, job)]
    try:
        chosen = ranker()
    except ValueError as exc:  # a configuration mistake: said, not a 500 without words
        raise ApiError(500, "misconfigured", str(exc)) from None
    if chosen == "hybrid":
        try:
            ranked = rank(resume["text"], candidates, limit=len(candidates))
            vectors = store().job_vectors([m["job_id"] for m in ranked])
            return hybrid_order(resume["text"], ranked, vectors, limit=limit)
        except EmbeddingsUnavailable as exc:
            logger.warning("JOBOS_MATCH_RANKER=hybrid, but %s; ranking by BM25 alone", exc)
    return rank(resume["text"], candidates, limit=limit)
