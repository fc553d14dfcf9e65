"""ATS modules: one per applicant tracking system, all alike (detect, start, parse, probe)."""
from __future__ import annotations

import importlib
from types import ModuleType

from jobos.ats.base import Board, BoardContext

MODULE_NAMES = (
    "greenhouse",
    "lever",
    "ashby",
    "workday",
    "smartrecruiters",
    "workable",
    "recruitee",
    "personio",
    "bamboohr",
    "teamtailor",
    # --- small and mid-sized ATSs (issue 13, atssmb) ---
    "pinpoint",
    "gem",
    "rippling",
    "jobylon",
    "paylocity",
    "breezy",
    "comeet",
    "join",
    "gusto",
    "recruiterbox",
    "freshteam",
    "hibob",
    "manatal",
    "polymer",
    "jobscore",
    "jazzhr",
    "hirehive",
    "zohorecruit",
    "keka",
    "jobvite",
    # --- end of small and mid-sized ATSs ---
)


def _load() -> dict[str, ModuleType]:
    return {name: importlib.import_module(f"jobos.ats.{name}") for name in MODULE_NAMES}


REGISTRY: dict[str, ModuleType] = _load()


def detect_url(url: str) -> Board | None:
    """Return the Board a URL belongs to (board page, job page, API or embed URL), or None."""
    for module in REGISTRY.values():
        board = module.detect(url)
        if board is not None:
            return board
    return None


def module_for(board: Board) -> ModuleType:
    """Return the ATS module that reads this board."""
    return REGISTRY[board.ats]


__all__ = ["Board", "BoardContext", "REGISTRY", "detect_url", "module_for"]
