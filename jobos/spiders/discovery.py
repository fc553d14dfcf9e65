"""DiscoveryMixin: from a company name (and country) to its career page."""
from __future__ import annotations

import logging
from typing import Iterable

import scrapy

logger = logging.getLogger(__name__)


class DiscoveryMixin:
    """Finds the career page when no careers_url is given."""

    def discover(self) -> Iterable[scrapy.Request]:
        raise NotImplementedError("discovery from a company name is not built yet")

    def handle_probe(self, result, response) -> Iterable:
        return []
