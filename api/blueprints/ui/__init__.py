"""The web page: server-rendered pages over the store, actions through the JSON API.

Pages read the store directly (validated by the API's own query models); state changes go
through the API's endpoints from `static/app.js` (cookie + X-CSRF-Token double submit), except
signing in and out, which are plain forms here so they work without JavaScript. Every page is
sent with a strict Content-Security-Policy: scripts and styles only from this app, no inline code.

One module per concern: `security` (headers, who is asking, CSRF, session renewal, the page
decorator), `formatting` (values in words, template filters, the description sanitizer),
`views` (crawl runs and job history as the pages show them), `routes` (the pages) and `me`
(a user's own pages: saved searches, alerts, resumes and their matches).
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ui", __name__)

from api.blueprints.ui import formatting, me, routes, security, views  # noqa: E402,F401 - registers them
from api.blueprints.ui.formatting import (  # noqa: E402,F401 - the package's public names
    country_name, countries, field_label, field_value, format_date, format_location, format_salary,
    linkify_text, safe_http_url, sanitize_description,
)
from api.blueprints.ui.views import (  # noqa: E402,F401
    explain_run, history_view, provenance_view, run_view, step_states,
)
