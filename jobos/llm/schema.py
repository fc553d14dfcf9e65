"""The pydantic schema the model fills: one job posting (or none), each value with its quote."""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

# Kept deliberately small and flat: a 270M-parameter model under schema-constrained decoding
# must be able to fill it. Enums are spelled out so the grammar only allows contract values.
EmploymentType = Literal[
    "FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"
]
Workplace = Literal["onsite", "hybrid", "remote"]
SalaryPeriod = Literal["HOUR", "DAY", "WEEK", "MONTH", "YEAR"]

QUOTE_HELP = "the exact words copied from the page that show this value"


class TextValue(BaseModel):
    """A text value and the exact quote from the page it was taken from."""

    model_config = ConfigDict(extra="ignore")
    value: str = Field(description="the value, as short as possible")
    quote: str = Field(description=QUOTE_HELP)


class NumberValue(BaseModel):
    """A number and the exact quote from the page it was taken from."""

    model_config = ConfigDict(extra="ignore")
    value: float = Field(description="the number, without currency or separators (60000, not 60k)")
    quote: str = Field(description=QUOTE_HELP)


class EmploymentTypeValue(BaseModel):
    """An employment type and the exact quote from the page it was taken from."""

    model_config = ConfigDict(extra="ignore")
    value: EmploymentType = Field(description="schema.org employment type")
    quote: str = Field(description=QUOTE_HELP)


class WorkplaceValue(BaseModel):
    """Where the work happens and the exact quote from the page it was taken from."""

    model_config = ConfigDict(extra="ignore")
    value: Workplace = Field(description="onsite, hybrid or remote")
    quote: str = Field(description=QUOTE_HELP)


class SalaryPeriodValue(BaseModel):
    """The period a salary is paid for and the exact quote from the page it was taken from."""

    model_config = ConfigDict(extra="ignore")
    value: SalaryPeriod = Field(description="HOUR, DAY, WEEK, MONTH or YEAR")
    quote: str = Field(description=QUOTE_HELP)


class JobExtraction(BaseModel):
    """One job posting read from a web page; every value comes with the quote it was taken from.

    Leave a field null when the page does not state it. A page that is not a single job posting
    (a list of jobs, a blog post, an error page) has is_job_posting false and nothing else.
    """

    model_config = ConfigDict(extra="ignore")
    is_job_posting: bool = Field(description="true only if the page describes one job opening")
    title: Optional[TextValue] = Field(default=None, description="job title")
    location: Optional[TextValue] = Field(default=None, description="location as written")
    employment_type: Optional[EmploymentTypeValue] = Field(default=None, description="employment type")
    department: Optional[TextValue] = Field(default=None, description="team or department")
    salary_min: Optional[NumberValue] = Field(default=None, description="lowest salary")
    salary_max: Optional[NumberValue] = Field(default=None, description="highest salary")
    salary_currency: Optional[TextValue] = Field(default=None, description="ISO 4217 code, e.g. USD, EUR")
    salary_period: Optional[SalaryPeriodValue] = Field(default=None, description="salary period")
    posted_at: Optional[TextValue] = Field(default=None, description="date posted, YYYY-MM-DD")
    workplace: Optional[WorkplaceValue] = Field(default=None, description="onsite, hybrid or remote")
    apply_url: Optional[TextValue] = Field(default=None, description="link to apply")


# The record fields the model may fill, in schema order.
EXTRACTABLE_FIELDS: tuple[str, ...] = tuple(
    name for name in JobExtraction.model_fields if name != "is_job_posting"
)


def json_schema() -> dict:
    """Return the JSON schema sent to the model server to constrain decoding."""
    return JobExtraction.model_json_schema()
