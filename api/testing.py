"""Test support for the API: sample jobs, external JWTs, a JWKS served on 127.0.0.1."""
from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm


def sample_jobs(n: int = 5, company: str = "Acme Robotics", board: str = "greenhouse:acme") -> list[dict[str, Any]]:
    """Return n records in the contract's shape (as the pipelines hand them to the store)."""
    countries = ["DE", "US", "GB", "FR"]
    workplaces = ["onsite", "remote", "hybrid"]
    kinds = ["FULL_TIME", "PART_TIME", "CONTRACTOR"]
    titles = ["Robotics Engineer", "Data Scientist", "Product Manager", "Python Developer", "Designer"]
    out = []
    for i in range(n):
        out.append({
            "board": board, "company": company, "company_domain": "acme.example", "source": "greenhouse",
            "method": "api", "external_id": str(1000 + i), "title": f"{titles[i % len(titles)]} {i}",
            "url": f"https://boards.greenhouse.io/acme/jobs/{1000 + i}",
            "location": "Berlin, Germany", "city": "Berlin", "country": countries[i % len(countries)],
            "workplace": workplaces[i % len(workplaces)], "employment_type": kinds[i % len(kinds)],
            "posted_at": (dt.date(2024, 1, 1) + dt.timedelta(days=i)).isoformat(),
            "description": f"Build robots number {i}. Python and ROS.",
            "scraped_at": dt.datetime.now(dt.timezone.utc).isoformat(),
            "provenance": {"title": {"method": "api", "quote": None}},
        })
    return out


def hs256_token(secret: str, *, sub: str = "ext-user-1", aud: str = "authenticated", role: str | None = None,
                expires_in: int = 300, iss: str = "https://issuer.example/auth/v1", **extra: Any) -> str:
    """Return an external HS256 token as Supabase issues them (role under app_metadata)."""
    now = dt.datetime.now(dt.timezone.utc)
    claims: dict[str, Any] = {"sub": sub, "aud": aud, "iss": iss, "iat": now,
                              "exp": now + dt.timedelta(seconds=expires_in), "role": "authenticated",
                              "email": f"{sub}@example.org", **extra}
    if role is not None:
        claims["app_metadata"] = {"role": role}
    return jwt.encode(claims, secret, algorithm="HS256")


class JwksServer:
    """An RSA key pair whose public half is served as a JWKS by a 127.0.0.1 HTTP server."""

    def __init__(self, kid: str = "test-key-1"):
        from cryptography.hazmat.primitives.asymmetric import rsa

        self.kid = kid
        self.private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update(kid=kid, use="sig", alg="RS256")
        self.jwks = {"keys": [jwk]}
        self.hits = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.hits += 1
                body = json.dumps(server.jwks).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/auth/v1/.well-known/jwks.json"

    def token(self, *, sub: str = "rs-user-1", aud: str = "authenticated", role: str | None = None,
              expires_in: int = 300, kid: str | None = None, key: Any = None) -> str:
        now = dt.datetime.now(dt.timezone.utc)
        claims: dict[str, Any] = {"sub": sub, "aud": aud, "iss": "https://issuer.example/auth/v1",
                                  "iat": now, "exp": now + dt.timedelta(seconds=expires_in)}
        if role is not None:
            claims["app_metadata"] = {"role": role}
        return jwt.encode(claims, key or self.private_key, algorithm="RS256", headers={"kid": kid or self.kid})

    def __enter__(self) -> "JwksServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def add_user(store: Any, email: str, role: str, password: str = "correct horse battery") -> int:
    """Create a local account in the store; return its id."""
    from api.auth import hash_password

    return store.create_user(email, hash_password(password), role)


def login(client: Any, email: str, password: str = "correct horse battery") -> str:
    """Sign in through the API; return the access token."""
    resp = client.post("/api/auth/login", json={"email": email, "password": password})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["access_token"]


def assert_error_shape(resp: Any, status: int | None = None) -> dict[str, Any]:
    """Assert the response is the one JSON error shape (and the status); return the error."""
    if status is not None:
        assert resp.status_code == status, (resp.status_code, resp.get_data(as_text=True)[:500])
    assert resp.mimetype == "application/json", resp.mimetype
    body = resp.get_json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "detail"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]
