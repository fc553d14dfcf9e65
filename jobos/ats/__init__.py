"""ATS modules: one per applicant tracking system, all alike (detect, start, parse, probe).

The registry is data the modules declare, collected here; nothing lists the modules by hand.
Every `jobos/ats/<name>.py` that is not a helper (`base`, `embedded`, or a name starting with
`_`) is an ATS module and must define (checked at import, so a broken module fails loudly):

- `NAME`: the `source` value, equal to the module's file name;
- `HOSTS`: host names (`jobs.lever.co`) or suffixes (`.myworkdayjobs.com`) its URLs live on;
- `PATHS`: regular expressions matched against a URL's path and query, for systems that also
  serve from a company's own domain (`/hcmRestApi/resources/latest/recruitingCEJobRequisitions`);
- `URL_SHAPES`: example URLs it recognises (`jobos ats` prints them; a test checks each one is
  detected as this module);
- `EMBED_MARKERS`: `(regex, url_template)` pairs for widgets that name a board in configuration
  rather than a URL; the regex's first group (or its whole match) fills `{}`, the page's own
  origin fills `{page}` (front ends that serve their board's API on the company's host);
- `FIELDS`: the contract fields its jobs fill;
- `detect(url)`, `start(board, ctx)` and optionally `probe(slug, ctx)`.

`detect_url` asks only the modules whose HOSTS or PATHS match a URL, so a module's `detect`
sees only URLs that can be its own.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from types import ModuleType
from urllib.parse import urlsplit

from jobos.ats.base import Board, BoardContext

HELPERS = frozenset({"base", "embedded"})
_REQUIRED = ("NAME", "HOSTS", "PATHS", "URL_SHAPES", "EMBED_MARKERS", "FIELDS", "detect", "start")


class RegistryError(ImportError):
    """An ATS module does not declare what the registry needs."""


@dataclass(frozen=True)
class Shapes:
    """What one module recognises, compiled once: hosts, path patterns, embed markers."""

    exact_hosts: frozenset[str]
    host_suffixes: tuple[str, ...]
    paths: tuple[re.Pattern[str], ...]
    markers: tuple[tuple[re.Pattern[str], str], ...]

    def matches(self, host: str, path_query: str) -> bool:
        """Return True when a URL's host or path can belong to this module."""
        if host in self.exact_hosts or host.endswith(self.host_suffixes):
            return True
        return any(p.search(path_query) for p in self.paths)


def module_names() -> list[str]:
    """Return the names of the ATS modules in this package (helpers excluded), sorted."""
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_") and info.name not in HELPERS and not info.ispkg
    )


def _check(name: str, module: ModuleType) -> Shapes:
    missing = [attr for attr in _REQUIRED if not hasattr(module, attr)]
    if missing:
        raise RegistryError(f"ATS module jobos.ats.{name} does not define {', '.join(missing)}")
    if module.NAME != name:
        raise RegistryError(f"ATS module jobos.ats.{name} declares NAME={module.NAME!r}; "
                            f"it must be its file name {name!r}")
    if not module.URL_SHAPES or not module.FIELDS:
        raise RegistryError(f"ATS module jobos.ats.{name} declares no URL_SHAPES or no FIELDS")
    hosts = [h.lower() for h in module.HOSTS]
    return Shapes(
        exact_hosts=frozenset(h for h in hosts if not h.startswith(".")),
        host_suffixes=tuple(h for h in hosts if h.startswith(".")),
        paths=tuple(re.compile(p, re.I) for p in module.PATHS),
        markers=tuple((re.compile(rx, re.S), template) for rx, template in module.EMBED_MARKERS),
    )


def _load() -> tuple[dict[str, ModuleType], dict[str, Shapes]]:
    # Imported strictly: an ATS module that fails to import stops the program with its error,
    # instead of silently leaving its system unread.
    modules, shapes = {}, {}
    for name in module_names():
        module = importlib.import_module(f"jobos.ats.{name}")
        shapes[name] = _check(name, module)
        modules[name] = module
    return modules, shapes


REGISTRY: dict[str, ModuleType]
SHAPES: dict[str, Shapes]
REGISTRY, SHAPES = _load()


def _split(url: str) -> tuple[str, str] | None:
    try:
        text = url.strip()
        parts = urlsplit(text if "//" in text else f"https://{text}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    return host, parts.path + ("?" + parts.query if parts.query else "")


def candidates(url: str) -> list[ModuleType]:
    """Return the modules whose declared hosts or paths match a URL (usually none or one)."""
    split = _split(url)
    if split is None:
        return []
    host, path_query = split
    return [REGISTRY[name] for name, shape in SHAPES.items() if shape.matches(host, path_query)]


def detect_url(url: str) -> Board | None:
    """Return the Board a URL belongs to (board page, job page, API or embed URL), or None."""
    for module in candidates(url):
        board = module.detect(url)
        if board is not None:
            return board
    return None


def embed_markers() -> list[tuple[re.Pattern[str], str]]:
    """Return every module's (compiled regex, board URL template) widget markers."""
    return [marker for shape in SHAPES.values() for marker in shape.markers]


def module_for(board: Board) -> ModuleType:
    """Return the ATS module that reads this board."""
    return REGISTRY[board.ats]


def describe() -> list[dict]:
    """Return, per ATS module, its name, hosts, path patterns, URL shapes, fields and probing."""
    return [
        {
            "name": name,
            "hosts": list(module.HOSTS),
            "paths": list(module.PATHS),
            "url_shapes": list(module.URL_SHAPES),
            "embed_markers": [rx for rx, _ in module.EMBED_MARKERS],
            "fields": list(module.FIELDS),
            "probes": getattr(module, "probe", None) is not None,
            "summary": ((module.__doc__ or "").strip().splitlines() or [""])[0],
        }
        for name, module in REGISTRY.items()
    ]


__all__ = ["Board", "BoardContext", "REGISTRY", "SHAPES", "RegistryError", "candidates",
           "describe", "detect_url", "embed_markers", "module_for", "module_names"]
