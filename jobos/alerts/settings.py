"""Alert delivery settings, read once from the environment."""
from __future__ import annotations

from dataclasses import dataclass

from jobos.config import env, env_bool, env_int


@dataclass(frozen=True)
class AlertSettings:
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_from: str
    smtp_tls: str  # starttls | ssl | off
    public_url: str
    secret_key: str | None
    allow_private: bool
    webhook_timeout: float
    webhook_backoff: int  # seconds before the first retry; doubles with each failure
    webhook_max_failures: int

    @classmethod
    def from_env(cls) -> AlertSettings:
        tls = (env("JOBOS_SMTP_TLS", "starttls") or "starttls").lower()
        if tls not in ("starttls", "ssl", "off"):
            raise ValueError(f"JOBOS_SMTP_TLS must be starttls, ssl or off, got {tls!r}")
        return cls(
            smtp_host=env("JOBOS_SMTP_HOST"),
            smtp_port=env_int("JOBOS_SMTP_PORT", 465 if tls == "ssl" else 587),
            smtp_user=env("JOBOS_SMTP_USER"),
            smtp_password=env("JOBOS_SMTP_PASSWORD"),
            smtp_from=env("JOBOS_SMTP_FROM", "jobos@localhost") or "jobos@localhost",
            smtp_tls=tls,
            public_url=(env("JOBOS_PUBLIC_URL", "http://127.0.0.1:5000") or "").rstrip("/"),
            secret_key=env("JOBOS_SECRET_KEY"),
            allow_private=env_bool("JOBOS_ALLOW_PRIVATE", False),
            webhook_timeout=float(env_int("JOBOS_WEBHOOK_TIMEOUT", 10)),
            webhook_backoff=env_int("JOBOS_WEBHOOK_BACKOFF", 60),
            webhook_max_failures=max(1, env_int("JOBOS_WEBHOOK_MAX_FAILURES", 5)),
        )
