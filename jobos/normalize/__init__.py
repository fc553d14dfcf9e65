"""Normalizers: location, employment type, salary, dates, URLs, text."""
