"""Rules for a new local account's password: long enough, and not a common one.

The common passwords ship with the package (`jobos/common-passwords.txt.gz`, written by
`scripts/common_passwords.py` from Django's list); nothing is downloaded at run time.
"""
from __future__ import annotations

import functools
import gzip
import re
from importlib import resources

MIN_LENGTH = 12
_LIST = "common-passwords.txt.gz"
# Digits and symbols people add at either end of a common word ("Password2024!").
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords (lower case)."""
    data = resources.files("jobos").joinpath(_LIST).read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").splitlines())


def password_problem(password: str) -> str | None:
    """Return why a new password is refused (to follow the word 'password'), or None."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    lowered = password.lower()
    common = common_passwords()
    core = _ENDS.sub("", lowered)
    if lowered in common or (core and core in common):
        return "is a common password (or one with digits or symbols added); choose another"
    if len(set(lowered)) < 4:
        return "is too common a pattern (a few characters repeated); choose another"
    return None
