"""Alerts: saved searches and followed companies are told when jobs appear, change or close."""
