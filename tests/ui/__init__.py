"""Helpers for the web page's browser tests: a live app server and a headless Chromium."""
