"""The probe plan: likeliest systems and slugs first, never more than the budget."""
from __future__ import annotations

from jobos.ats import REGISTRY
from jobos.discovery.probes import plan, system_order


def test_budget_holds_however_many_systems_are_known():
    systems = [f"ats{i}" for i in range(200)] + ["greenhouse", "lever"]
    pairs = plan(systems, ["acme", "acme-gmbh", "acmegmbh"], None, 12)
    assert len(pairs) == 12
    assert pairs[:2] == [("greenhouse", "acme"), ("lever", "acme")]


def test_best_slug_everywhere_before_the_second_slug():
    pairs = plan(["greenhouse", "lever", "ashby"], ["acme", "acme-gmbh"], None, 5)
    assert [slug for _, slug in pairs] == ["acme", "acme", "acme", "acme-gmbh", "acme-gmbh"]


def test_country_moves_a_regional_system_up():
    anywhere = system_order(["greenhouse", "personio", "lever", "recruitee"], None)
    germany = system_order(["greenhouse", "personio", "lever", "recruitee"], "DE")
    assert anywhere.index("personio") > anywhere.index("lever")
    assert germany[0] == "personio"


def test_every_known_system_with_a_probe_can_be_planned():
    probing = [name for name, module in REGISTRY.items() if callable(getattr(module, "probe", None))]
    assert set(name for name, _ in plan(probing, ["acme"], None, len(probing))) == set(probing)


def test_every_probe_lets_an_unknown_boards_404_reach_its_callback():
    # One helper (base.probe_request / as_probe) builds every probe: an unknown board answers
    # 404 (or a redirect, for systems that send unknown tenants to their marketing pages), which
    # the probe's callback reports as no jobs instead of failing the crawl.
    from jobos.ats.base import BoardContext

    ctx = BoardContext(company="Acme")
    probing = {name: module for name, module in REGISTRY.items() if callable(getattr(module, "probe", None))}
    checked = []
    for name, module in probing.items():
        request = module.probe("acme", ctx)
        assert request is not None, name
        checked.append(name)
        assert 404 in request.meta["handle_httpstatus_list"], name
        assert request.meta["jobos_tier"] == "api" and request.meta["jobos_board"].startswith(f"{name}:"), name
        assert request.callback.__name__ == "parse_probe", name
        if request.meta.get("dont_redirect"):
            assert 302 in request.meta["handle_httpstatus_list"], name
    assert len(checked) >= 15
    # Slugs are cleaned one way everywhere: a guessed name with spaces or accents is no host.
    for name in ("freshteam", "gem", "pinpoint", "recruitee", "personio", "jobscore", "hirehive", "breezy"):
        if name in probing:
            assert probing[name].probe("", ctx) is None, name
