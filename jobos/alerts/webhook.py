"""Webhook deliveries: JSON, HMAC-SHA256 signed, through the egress guard, no redirects."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

import certifi
import urllib3

from jobos.guard import _ip_reason, refusal_reason, system_resolver

SIGNATURE_HEADER = "X-JobOS-Signature"
TIMESTAMP_HEADER = "X-JobOS-Timestamp"
DELIVERY_HEADER = "X-JobOS-Delivery"


class WebhookRefused(Exception):
    """The webhook's address is one the egress guard does not allow."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Return the signature header value: sha256=HMAC(secret, timestamp + '.' + body)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _address(url: str, allow_private: bool) -> str:
    """Return the address to connect to, after the guard has checked the name and all it resolves to."""
    if not allow_private:
        reason = refusal_reason(url, resolver=system_resolver)
        if reason:
            raise WebhookRefused(f"the webhook address is refused ({reason})")
    host = urlsplit(url).hostname or ""
    addresses = system_resolver(host)
    if not addresses:
        raise OSError(f"{host} does not resolve")
    if not allow_private:
        for address in addresses:  # resolved again: the answer we connect to is the one checked
            if _ip_reason(address):
                raise WebhookRefused(f"the webhook address is refused (resolves_{_ip_reason(address)})")
    return addresses[0]


def post(url: str, secret: str, delivery_id: str, payload: dict, *, allow_private: bool = False,
         timeout: float = 10.0) -> int:
    """POST the payload to the URL; return the HTTP status (redirects are answers, not followed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise WebhookRefused("the webhook address must be http or https")
    address = _address(url, allow_private)
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Host": parts.netloc.rpartition("@")[2],
        "Content-Type": "application/json",
        "User-Agent": "JobOS-Webhook/1",
        TIMESTAMP_HEADER: timestamp,
        DELIVERY_HEADER: delivery_id,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
    port = parts.port or (443 if parts.scheme == "https" else 80)
    kwargs = dict(timeout=urllib3.Timeout(total=timeout), retries=False, maxsize=1)
    if parts.scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            address, port, server_hostname=parts.hostname, assert_hostname=parts.hostname,
            cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(), **kwargs)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **kwargs)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    with pool:
        resp = pool.urlopen("POST", path, body=body, headers=headers, redirect=False, retries=False,
                            preload_content=True)
    return resp.status
