"""Employment type spellings of ATSs and career sites -> schema.org employmentType values."""
from __future__ import annotations

import re

from jobos.items import EMPLOYMENT_TYPES
from jobos.normalize.places import fold

# Checked in order: the first pattern that matches wins, so specific kinds come before the
# generic "full time" (an "Internship (full-time)" is an internship; a "Fixed Term Contract" is
# temporary, not a contractor engagement).
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (value, re.compile(pattern))
    for value, pattern in (
        ("INTERN", r"\b(intern|interns|internship|praktikum|praktikant\w*|werkstudent\w*|"
                   r"working student|stage|stagiaire|alternance|apprentice\w*|ausbildung|"
                   r"trainee\w*|co op|coop|placement|graduate program|tirocinio|becario|practicas)\b"),
        ("VOLUNTEER", r"\b(volunteer\w*|ehrenamt\w*|benevolat|b[ée]n[ée]vole)\b"),
        ("PER_DIEM", r"\b(per diem|prn|on call|as needed)\b"),
        ("TEMPORARY", r"\b(temporary|temp|fixed term|fixed time|ftc|befristet\w*|cdd|seasonal|"
                      r"saisonal\w*|interim|aushilfe|maternity cover|elternzeitvertretung|"
                      r"limited term)\b"),
        ("CONTRACTOR", r"\b(contract|contractor|contracting|freelance\w*|freiberuf\w*|"
                       r"independent contractor|consultant|b2b|1099|c2c|corp to corp|"
                       r"auto entrepreneur|honorar\w*)\b"),
        ("PART_TIME", r"\b(part time|parttime|teilzeit|temps partiel|tiempo parcial|"
                      r"part timer|mini ?job|minijob|geringfugig\w*|deeltijd|halbtags)\b"),
        ("FULL_TIME", r"\b(full time|fulltime|full time permanent|fulltime permanent|vollzeit|"
                      r"permanent|regular|festanstellung|unbefristet\w*|cdi|temps plein|"
                      r"tiempo completo|jornada completa|voltijd|salaried|employee|"
                      r"full or part time|full or parttime)\b"),
        ("OTHER", r"\b(other|sonstige\w*|autre)\b"),
    )
)
# The schema.org values themselves, and camel-case enum spellings (SmartRecruiters "FullTime").
_DIRECT = {fold(v): v for v in EMPLOYMENT_TYPES} | {
    "fulltime": "FULL_TIME",
    "parttime": "PART_TIME",
    "contractor": "CONTRACTOR",
    "intern": "INTERN",
    "perdiem": "PER_DIEM",
}


def employment_type(text: object) -> str | None:
    """Return the schema.org employmentType for an ATS spelling, or None when unknown."""
    if isinstance(text, (list, tuple)):
        for part in text:
            found = employment_type(part)
            if found:
                return found
        return None
    if not isinstance(text, str) or not text.strip() or len(text) > 200:
        return None
    # "FullTime" / "PartTime": split camel case before folding.
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text.strip())
    key = fold(spaced.replace("_", " ").replace("/", " "))
    compact = key.replace(" ", "")
    if key.replace(" ", "_").upper() in EMPLOYMENT_TYPES:
        return key.replace(" ", "_").upper()
    if compact in _DIRECT:
        return _DIRECT[compact]
    # "Perm - Full-time", "Permanent / Contract": a permanent post with a contract option is
    # still employment; a clear "full time" and "part time" together reads as full time.
    if re.search(r"\bpermanent\b", key) and re.search(r"\bcontract\b", key):
        return "FULL_TIME"
    if re.search(r"\bfull (or|and) part time\b|\bfull or part\b", key):
        return "FULL_TIME"
    for value, pattern in _RULES:
        if pattern.search(key):
            return value
    return None
