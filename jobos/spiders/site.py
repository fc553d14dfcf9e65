"""SiteMixin: route a URL to its ATS board, or read it as a career site page."""
from __future__ import annotations

import logging
from typing import Any, Iterable

import scrapy

from jobos.ats import detect_url, module_for

logger = logging.getLogger(__name__)


class SiteMixin:
    """Routing from a URL to the cheapest way of reading its jobs."""

    def route_url(self, url: str, reason: str) -> Iterable[scrapy.Request]:
        """Yield the requests that read the jobs behind a URL: an ATS API, else the page."""
        board = detect_url(url)
        if board is not None:
            yield from self.read_board(board, reason)
            return
        self.set_step("site")
        yield scrapy.Request(
            url,
            callback=self.parse_page,
            meta={"jobos_tier": "page", "jobos_required": True},
        )

    def read_board(self, board, reason: str) -> Iterable[scrapy.Request]:
        """Yield the first API requests of a board, once per board per crawl."""
        if board.key in self.boards_seen:
            return
        self.boards_seen.add(board.key)
        self.set_step("board")
        logger.info("reading board %s (%s)", board.key, reason)
        self.crawler.stats.set_value("jobos/board", board.key)
        self.crawler.stats.inc_value(f"jobos/boards/{board.ats}")
        if self.discovery_result is None:
            self.discovery_result = {"careers_url": board.url, "board": board.key, "reason": reason}
        yield from module_for(board).start(board, self.board_context())

    def parse_page(self, response, **kwargs: Any):
        """Read a company page: an embedded/linked ATS board first, else the page's own jobs."""
        from jobos.ats.embedded import detect_html

        boards = detect_html(response.text, response.url)
        if boards:
            yield from self.read_board(boards[0], f"board embedded in {response.url}")
            return
        logger.warning("no job board found on %s", response.url)
        self.crawler.stats.inc_value("jobos/site/no_board")
