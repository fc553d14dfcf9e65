"""Configuration read from the environment, in one place (settings.py and the API use it)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

TRUE = ("1", "true", "yes", "on")


def env(name: str, default: str | None = None) -> str | None:
    """Return an environment variable, treating an empty value as unset."""
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    return default if value is None else value.strip().lower() in TRUE


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {value!r}") from None


def data_dir() -> Path:
    """Return JOBOS_DATA_DIR (absolute), or the per-user data directory; created if missing."""
    configured = env("JOBOS_DATA_DIR")
    if configured:
        path = Path(configured).expanduser()
        if not path.is_absolute():
            raise ValueError(f"JOBOS_DATA_DIR must be an absolute path, got {configured!r}")
    else:
        base = Path(env("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        path = base / "jobos"
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str | None:
    """Return DATABASE_URL (a postgresql:// URL), or None for the embedded store."""
    return env("DATABASE_URL")


def chromium_path() -> str | None:
    """Return JOBOS_CHROMIUM or the first Chromium-like browser on PATH."""
    configured = env("JOBOS_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def proxy_url() -> str | None:
    """Return the outbound proxy (HTTPS_PROXY, then HTTP_PROXY, either case), or None."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        value = env(name)
        if value:
            return value
    return None


def no_proxy() -> str | None:
    return env("NO_PROXY") or env("no_proxy")
