"""Alert mails: one message per saved search and run (or per day), text and escaped HTML."""
from __future__ import annotations

import html
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from jobos.alerts.feed import event_line
from jobos.alerts.settings import AlertSettings
from jobos.alerts.tokens import unsubscribe_token


def unsubscribe_url(settings: AlertSettings, search_id: int) -> str:
    if not settings.secret_key:
        raise RuntimeError("JOBOS_SECRET_KEY is not set: alert mails need it to sign their unsubscribe links")
    return f"{settings.public_url}/api/alerts/unsubscribe/{unsubscribe_token(settings.secret_key, search_id)}"


def build_message(settings: AlertSettings, search: dict, events: list[dict]) -> EmailMessage:
    """Return the mail that tells a saved search's owner about its alerts."""
    unsub = unsubscribe_url(settings, search["id"])
    msg = EmailMessage()
    count = len(events)
    # The name is the owner's own text, but a header must stay one line whatever it holds.
    name = " ".join(str(search["name"]).split())[:120]
    msg["Subject"] = f"JobOS: {count} update{'s' if count != 1 else ''} for {name}"
    msg["From"] = settings.smtp_from
    msg["To"] = search["email"]
    msg["Message-ID"] = make_msgid(domain="jobos.alerts")
    msg["List-Unsubscribe"] = f"<{unsub}>"
    lines = [f"{event_line(e)}\n  {e['payload'].get('url') or ''}" for e in events]
    msg.set_content("\n".join(lines) + f"\n\nStop these mails: {unsub}\n")
    items = "".join(
        f'<li>{html.escape(event_line(e))}<br><a href="{html.escape(e["payload"].get("url") or "", quote=True)}">'
        f'{html.escape(e["payload"].get("url") or "")}</a></li>'
        for e in events
    )
    msg.add_alternative(
        f"<html><body><p>{html.escape(name)}</p><ul>{items}</ul>"
        f'<p><a href="{html.escape(unsub, quote=True)}">Stop these mails</a></p></body></html>',
        subtype="html",
    )
    return msg


def send_messages(settings: AlertSettings, messages: list[EmailMessage]) -> None:
    """Send mails over one SMTP session (TLS as configured); raise on any SMTP error."""
    if not settings.smtp_host:
        raise RuntimeError("JOBOS_SMTP_HOST is not set: alert mails cannot be sent")
    context = ssl.create_default_context()
    if settings.smtp_tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=30, context=context)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    with client:
        if settings.smtp_tls == "starttls":
            client.starttls(context=context)
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password or "")
        for msg in messages:
            client.send_message(msg)
