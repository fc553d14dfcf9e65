"""Company names: legal suffixes, slug variants, name matching, name/domain similarity."""
from __future__ import annotations

import pytest

from jobos.discovery.names import (
    display_core,
    name_domain_similarity,
    name_tokens,
    names_match,
    slug_variants,
)


@pytest.mark.parametrize(
    "name, core",
    [
        ("Acme GmbH", ["acme"]), ("Acme AG", ["acme"]), ("Acme SE", ["acme"]),
        ("Acme Ltd.", ["acme"]), ("Acme, Inc.", ["acme"]), ("Acme LLC", ["acme"]),
        ("Acme S.A.", ["acme"]), ("Acme SAS", ["acme"]), ("Acme B.V.", ["acme"]),
        ("Acme N.V.", ["acme"]), ("Acme AB (publ)", ["acme"]), ("Acme ASA", ["acme"]),
        ("Acme A/S", ["acme"]), ("Acme Oy", ["acme"]), ("Acme S.p.A.", ["acme"]),
        ("Acme S.r.l.", ["acme"]), ("Acme GmbH & Co. KG", ["acme"]), ("Acme Corp", ["acme"]),
        ("Acme PLC", ["acme"]), ("The Acme Company Inc.", ["acme"]),
        ("Müller & Söhne", ["mueller", "soehne"]), ("Acme Robotics", ["acme", "robotics"]),
    ],
)
def test_legal_forms_are_dropped(name, core):
    assert name_tokens(name) == core


def test_slug_variants_with_and_without_legal_form():
    assert slug_variants("Acme GmbH")[:3] == ["acme", "acmegmbh", "acme-gmbh"]
    variants = slug_variants("Müller & Söhne")
    assert variants[:2] == ["muellersoehne", "mueller-soehne"]
    assert "mullersohne" in variants and "muller-sohne" in variants
    assert slug_variants("Van der Berg Logistiek B.V.", limit=2) == [
        "vanderberglogistiek", "van-der-berg-logistiek"]


def test_display_core_keeps_the_written_name():
    assert display_core("Acme GmbH & Co. KG") == "Acme"
    assert display_core("Tulpen Software B.V.") == "Tulpen Software"


def test_namesakes_do_not_match():
    assert names_match("Acme Robotics", "Acme Robotics, Inc.")
    assert names_match("Acme GmbH", "ACME Group")
    assert not names_match("Acme", "Acme Consulting Ltd")
    assert not names_match("Acme Robotics", "Acme Consulting Ltd")
    assert not names_match("Northwind A/S", "Northwind Traders")


def test_name_domain_similarity():
    assert name_domain_similarity("Acme GmbH", "acme.de") == 1.0
    assert name_domain_similarity("Acme Robotics", "acme-robotics.co.uk") == 1.0
    assert name_domain_similarity("Acme", "acmehq.com") >= 0.85
    assert name_domain_similarity("Acme", "getacme.io") >= 0.85
    assert name_domain_similarity("Acme", "acmeconsulting.co.uk") < 0.85
    assert name_domain_similarity("Acme Robotics", "acme.com") < 0.85
    assert name_domain_similarity("Acme", "linkedin.com") < 0.5
