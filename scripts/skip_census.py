"""Print the test run's skips and xfails and fail on any that is not on the allow-list.

Used by `.ci/run` after the test suite: `python scripts/skip_census.py REPORT ALLOWLIST`.
REPORT is the JSON-lines file the test session wrote (JOBOS_SKIP_REPORT); ALLOWLIST has one
entry a line, `<nodeid glob> | <why this skip is acceptable>`; `#` starts a comment.
"""
from __future__ import annotations

import fnmatch
import json
import sys
from collections import Counter
from pathlib import Path


def load_allowlist(path: Path) -> list[tuple[str, str]]:
    entries = []
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        pattern, _, why = (part.strip() for part in line.partition("|"))
        if not why:
            raise SystemExit(f"skip allow-list: '{pattern}' has no reason after '|'")
        entries.append((pattern, why))
    return entries


def main(report: str, allowlist: str) -> int:
    rows = [json.loads(line) for line in Path(report).read_text("utf-8").splitlines() if line.strip()]
    allowed = load_allowlist(Path(allowlist))
    print(f"skip census: {len(rows)} skipped or xfailed")
    for (outcome, reason), n in sorted(Counter((r["outcome"], r["reason"]) for r in rows).items()):
        print(f"  {n:4d} {outcome}: {reason}")
    refused = [r for r in rows if not any(fnmatch.fnmatch(r["nodeid"], pat) for pat, _ in allowed)]
    for r in refused:
        print(f"  NOT ALLOWED: {r['nodeid']} ({r['outcome']}: {r['reason']})")
    if refused:
        print(f"skip census: {len(refused)} skip(s) not on {allowlist}: failing")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
