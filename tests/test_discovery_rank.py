"""Candidate ranking and slug-probe judging: official domain over aggregators and namesakes."""
from __future__ import annotations

from jobos.ats.base import Board, ProbeResult
from jobos.discovery.rank import ACCEPT_SCORE, judge_probe, rank_results, score_url
from jobos.discovery.search import SearchResult


def _r(url, title, pos, snippet=""):
    return SearchResult(url, title, snippet, pos)


def test_official_careers_page_wins_over_aggregators_and_namesakes():
    results = [
        _r("https://www.linkedin.com/company/acme-robotics/jobs", "Acme Robotics Jobs | LinkedIn", 1),
        _r("https://de.indeed.com/cmp/Acme-Robotics/jobs", "Acme Robotics Jobs | Indeed", 2),
        _r("https://www.stepstone.de/cmp/de/acme-robotics", "Jobs bei Acme Robotics | StepStone", 3),
        _r("https://www.acmeroboticsconsulting.de/karriere", "Karriere - Acme Robotics Consulting GmbH", 4),
        _r("https://www.acme-robotics.de/karriere", "Karriere | Acme Robotics", 5),
        _r("https://de.wikipedia.org/wiki/Acme", "Acme – Wikipedia", 6),
        _r("https://www.kununu.com/de/acme-robotics", "Acme Robotics als Arbeitgeber", 7),
    ]
    ranked = rank_results("Acme Robotics GmbH", "DE", results)
    assert ranked[0].url == "https://www.acme-robotics.de/karriere"
    assert ranked[0].score >= ACCEPT_SCORE
    assert "official domain" in ranked[0].reason and "country TLD .de" in ranked[0].reason
    for cand in ranked[1:]:
        assert cand.score < ACCEPT_SCORE, cand


def test_ats_board_url_named_like_the_company():
    cand = score_url("Acme Robotics", "US", "https://boards.greenhouse.io/acmerobotics",
                     "Jobs at Acme Robotics")
    assert cand.kind == "board" and cand.score >= ACCEPT_SCORE
    namesake = score_url("Acme", "US", "https://boards.greenhouse.io/acme", "Jobs at Acme Consulting Ltd")
    assert namesake.score < ACCEPT_SCORE


def test_probe_accepted_by_board_name():
    result = ProbeResult(Board("greenhouse", "acme", "u"), 3, names=["Acme GmbH"])
    verdict = judge_probe("Acme", result)
    assert verdict.accepted and "board name" in verdict.reason


def test_probe_accepted_by_linked_domain():
    result = ProbeResult(Board("lever", "acme", "u"), 2, domains={"acme.de", "lever.co"})
    verdict = judge_probe("Acme GmbH", result)
    assert verdict.accepted and verdict.domain == "acme.de"


def test_namesake_board_rejected():
    result = ProbeResult(Board("greenhouse", "acme", "u"), 5, names=["Acme Consulting Ltd"],
                         domains={"acme.com"})
    assert not judge_probe("Acme Robotics", result).accepted
    assert not judge_probe("Acme", result).accepted


def test_probe_without_jobs_or_evidence_rejected():
    assert not judge_probe("Acme", ProbeResult(Board("ashby", "acme", "u"), 0, names=["Acme"])).accepted
    unproven = judge_probe("Acme", ProbeResult(Board("ashby", "acme", "u"), 4, domains={"other.io"}))
    assert not unproven.accepted and unproven.live
