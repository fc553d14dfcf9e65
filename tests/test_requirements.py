"""Every pinned runtime package is used by the project (a pin nobody imports is dead weight
that still has to install, and hides which libraries the code really relies on)."""
from __future__ import annotations

import ast
import re
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Packages the code uses without importing them by name, and where.
USED_WITHOUT_IMPORT = {
    "scrapy-playwright": "the download handler named in jobos/settings.py",
    "playwright": "the browser driver scrapy-playwright runs",
    "scrapyd": "the crawl server the API drives (a process, not an import)",
    "scrapyd-client": "scrapyd-deploy builds and uploads the egg",
}


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[\[=<>~! ]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def _imported_top_modules() -> set[str]:
    found = set()
    for folder in ("jobos", "api"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found


def test_every_runtime_requirement_is_imported_or_documented_as_used_otherwise():
    dists_of_module = packages_distributions()
    imported = set()
    for module in _imported_top_modules():
        for dist in dists_of_module.get(module, []):
            imported.add(dist.lower().replace("_", "-"))
    unused = {name for name in _requirement_names(REPO / "requirements.txt")
              if name not in imported and name not in USED_WITHOUT_IMPORT}
    assert not unused, f"pinned in requirements.txt but never imported by jobos/ or api/: {sorted(unused)}"


def test_the_used_without_import_list_names_only_real_requirements():
    assert set(USED_WITHOUT_IMPORT) <= _requirement_names(REPO / "requirements.txt")
