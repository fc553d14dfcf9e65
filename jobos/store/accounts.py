"""Users, external profiles, roles and the audit log."""
from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from jobos.store.common import ROLES, iso_ts, utcnow

ACTIVE_RUN_STATUSES = ("pending", "running")


class AccountsMixin:
    """Users, external profiles, roles and the audit log."""

    # ---- users, profiles, roles, audit ---------------------------------------------------
    def _new_principal(self, cur: Any, kind: str) -> int:
        cur.execute("INSERT INTO principals (kind) VALUES (%s) RETURNING id", [kind])
        return int(cur.fetchone()["id"])

    @staticmethod
    def _check_role(role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")

    def create_user(self, email: str, password_hash: str, role: str = "viewer") -> int:
        """Return the id of a new local account (email compared case-insensitively)."""
        self._check_role(role)
        email = email.strip().lower()
        with self._write() as cur:
            cur.execute("SELECT id FROM users WHERE email = %s", [email])
            if cur.fetchone():
                raise ValueError(f"a user with email {email} exists")
            user_id = self._new_principal(cur, "user")
            cur.execute(
                "INSERT INTO users (id, email, password_hash, role, disabled, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [user_id, email, password_hash, role, self._bool_in(False), self._ts_in(utcnow())],
            )
        return user_id

    def _user_out(self, row: dict) -> dict:
        out = self._row_out(row, ts_fields=("created_at",), bool_fields=("disabled",))
        out["kind"] = "user"
        return out

    def get_user_by_email(self, email: str) -> dict | None:
        """Return a local account (with password_hash) by email, or None."""
        with self._read() as cur:
            cur.execute("SELECT * FROM users WHERE email = %s", [email.strip().lower()])
            row = cur.fetchone()
        return self._user_out(row) if row else None

    def get_user(self, user_id: int) -> dict | None:
        """Return a local account or an external profile by id (they share one id space)."""
        with self._read() as cur:
            cur.execute("SELECT * FROM users WHERE id = %s", [int(user_id)])
            row = cur.fetchone()
            if row:
                return self._user_out(row)
            cur.execute("SELECT * FROM profiles WHERE id = %s", [int(user_id)])
            row = cur.fetchone()
        return self._profile_out(row) if row else None

    def list_users(self) -> list[dict]:
        """Return local accounts (without password hashes) and profiles, by id."""
        with self._read() as cur:
            cur.execute("SELECT id, email, role, disabled, created_at FROM users ORDER BY id")
            users = [self._user_out(r) for r in cur.fetchall()]
            cur.execute("SELECT * FROM profiles ORDER BY id")
            profiles = [self._profile_out(r) for r in cur.fetchall()]
        return sorted(users + profiles, key=lambda r: r["id"])

    def _profile_out(self, row: dict) -> dict:
        out = self._row_out(row, ts_fields=("created_at", "last_seen_at"))
        out["kind"] = "profile"
        return out

    def get_or_create_profile(self, subject: str, email: str | None, issuer: str,
                              default_role: str = "viewer") -> dict:
        """Return the profile of an external identity, creating it with default_role when new."""
        self._check_role(default_role)
        now = self._ts_in(utcnow())
        with self._write() as cur:
            cur.execute("SELECT * FROM profiles WHERE issuer = %s AND subject = %s", [issuer, subject])
            row = cur.fetchone()
            if row is None:
                profile_id = self._new_principal(cur, "profile")
                cur.execute(
                    "INSERT INTO profiles (id, issuer, subject, email, role, created_at, last_seen_at)"
                    " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    [profile_id, issuer, subject, email, default_role, now, now],
                )
            else:
                cur.execute(
                    "UPDATE profiles SET email = COALESCE(%s, email), last_seen_at = %s WHERE id = %s",
                    [email, now, row["id"]],
                )
            cur.execute("SELECT * FROM profiles WHERE issuer = %s AND subject = %s", [issuer, subject])
            row = cur.fetchone()
        return self._profile_out(row)

    def set_role(self, user_or_profile_id: int, role: str) -> bool:
        """Return True after giving a user or profile a role; False when no such id exists."""
        self._check_role(role)
        with self._write() as cur:
            for table in ("users", "profiles"):
                cur.execute(f"UPDATE {table} SET role = %s WHERE id = %s", [role, int(user_or_profile_id)])
                if cur.rowcount:
                    return True
        return False

    def set_user_disabled(self, user_id: int, disabled: bool) -> bool:
        """Return True after disabling (or enabling) a local account; False when there is none.

        Either way the account's token version moves on, so tokens issued before stop working.
        """
        with self._write() as cur:
            cur.execute(
                "UPDATE users SET disabled = %s, token_version = token_version + 1 WHERE id = %s",
                [self._bool_in(disabled), int(user_id)],
            )
            return bool(cur.rowcount)

    def revoke_tokens(self, user_id: int) -> int:
        """Return the account's new token version: every token issued before it stops working."""
        with self._write() as cur:
            cur.execute("UPDATE users SET token_version = token_version + 1 WHERE id = %s", [int(user_id)])
            cur.execute("SELECT token_version FROM users WHERE id = %s", [int(user_id)])
            row = cur.fetchone()
        return int(row["token_version"]) if row else 0

    def crawl_usage(self, requested_by: str, window_seconds: int = 3600) -> dict:
        """Return {active, recent, oldest_recent}: one principal's running runs and runs started
        within the window (any status), and when the oldest of those started (for Retry-After)."""
        since = self._ts_in(utcnow() - timedelta(seconds=int(window_seconds)))
        with self._read() as cur:
            cur.execute(
                "SELECT COUNT(*) AS n FROM crawl_runs WHERE requested_by = %s AND status IN (%s, %s)",
                [requested_by, *ACTIVE_RUN_STATUSES],
            )
            active = int(cur.fetchone()["n"])
            cur.execute(
                "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM crawl_runs"
                " WHERE requested_by = %s AND created_at >= %s",
                [requested_by, since],
            )
            row = cur.fetchone()
        oldest = iso_ts(row["oldest"]) if row["oldest"] else None
        return {"active": active, "recent": int(row["n"]), "oldest_recent": oldest}

    def audit(self, actor: str, action: str, target: str | None = None, detail: dict | None = None) -> None:
        """Record who did what to what."""
        with self._write() as cur:
            cur.execute(
                "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (%s, %s, %s, %s, %s)",
                [self._ts_in(utcnow()), actor, action, target,
                 self._json_in(json.loads(json.dumps(detail or {}, default=str)))],
            )

    def list_audit(self, limit: int = 100) -> list[dict]:
        """Return the newest audit entries first."""
        with self._read() as cur:
            cur.execute("SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT %s",
                        [max(1, min(int(limit), 10_000))])
            return [self._row_out(r, json_fields=("detail",), ts_fields=("at",)) for r in cur.fetchall()]
