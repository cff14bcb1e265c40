"""The operator commands refuse bad input with a specific message and a non-zero exit; the real `ostoja`
console script turns expected errors into one line on stderr."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tenants.utils import schema_exists

from ostoja.tenants.models import Center

ELBLAG = ["--name", "MOPS w Elblągu", "--kind", "MOPS", "--city", "Elbląg", "--voivodeship", "warminsko-mazurskie"]


def run(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message", "code"),
    # Service errors are matched by their stable code: the text follows LANGUAGE_CODE (Polish by default).
    [
        (["onboard", "Bad_Slug", *ELBLAG, "--set-password-link"], "[invalid_slug", 2),
        (["onboard", "admin", *ELBLAG, "--set-password-link"], "[reserved_slug", 2),
        (["onboard", "elblag", *ELBLAG[:-1], "bawaria", "--set-password-link"], "[invalid_voivodeship", 2),
        (["onboard", "elblag", *ELBLAG, "--domain", "torun.localhost", "--set-password-link"], "[domain_taken", 4),
        (["onboard", "torun", *ELBLAG, "--set-password-link"], "[center_exists_different", 4),
        (["onboard", "elblag", *ELBLAG, "--config", "/nonexistent.yaml"], "[unreadable", 2),
        (["onboard", "elblag", *ELBLAG], "--password-stdin or --set-password-link", 2),
        (["offboard", "nosuchcenter"], "[center_not_found", 5),
        (["offboard", "torun", "--delete"], "add --yes", 2),
        (["offboard", "torun", "--delete", "--yes"], "[center_active", 4),
        (["offboard", "torun", "--yes"], "--yes only confirms --delete", 2),
        (["bench", "onboarding", "--runs", "0"], "at least 1", 2),
    ],
)
def test_bad_input_gives_a_specific_message_and_exit_code(args, message, code):
    with pytest.raises(CommandError) as info:
        run(*args)
    assert message in str(info.value)
    assert info.value.returncode == code
    assert not Center.objects.filter(schema_name="elblag").exists()
    assert Center.objects.get(schema_name="torun").is_active


@pytest.mark.django_db
def test_onboard_reads_the_password_from_stdin_and_is_idempotent(monkeypatch, tmp_path, in_schema):
    config = tmp_path / "elblag.yaml"
    config.write_text("departments:\n  - {code: adm, name: Dział Administracyjny}\n", encoding="utf-8")
    first = run(
        "onboard",
        "elblag",
        *ELBLAG,
        "--config",
        str(config),
        "--password-stdin",
        stdin="Tajne-Haslo-2025\n",
        monkeypatch=monkeypatch,
    )
    assert "Center elblag created" in first and "host: elblag.localhost" in first
    assert schema_exists("elblag")
    with in_schema("elblag"):
        from django.contrib.auth import get_user_model

        assert get_user_model().objects.get(username="admin").check_password("Tajne-Haslo-2025")
    again = run("onboard", "elblag", *ELBLAG, "--config", str(config))  # admin exists: no password asked
    assert "already exists with these parameters; nothing changed" in again


@pytest.mark.django_db
def test_onboard_with_a_set_password_link_prints_it():
    out = run("onboard", "elblag", *ELBLAG, "--admin-email", "it@mops.elblag.pl", "--set-password-link")
    assert "set-password link for admin: http://elblag.localhost/" in out


@pytest.mark.django_db
def test_offboard_deactivates_reactivates_and_deletes():
    run("onboard", "elblag", *ELBLAG, "--no-admin")
    assert "deactivated" in run("offboard", "elblag")
    assert "already deactivated; nothing changed" in run("offboard", "elblag")
    assert "reactivated" in run("offboard", "elblag", "--reactivate")
    run("offboard", "elblag")
    assert "deleted" in run("offboard", "elblag", "--delete", "--yes")
    assert not schema_exists("elblag")


def _ostoja() -> str:
    path = Path(sys.executable).with_name("ostoja")
    return str(path) if path.exists() else shutil.which("ostoja")


def test_console_script_refuses_a_bad_slug_with_exit_code_2():
    result = subprocess.run(  # noqa: S603
        [_ostoja(), "onboard", "Bad_Slug", *ELBLAG, "--set-password-link"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "[invalid_slug" in result.stderr
    assert "„Bad_Slug”" in result.stderr  # Polish, the CLI speaks LANGUAGE_CODE
    assert "Traceback" not in result.stderr


def test_console_script_reports_a_corrupt_embedded_database_in_one_line(tmp_path):
    (tmp_path / "pgdata").mkdir()
    (tmp_path / "pgdata" / "PG_VERSION").write_text("garbage\n")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["OSTOJA_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(  # noqa: S603
        [_ostoja(), "check"], capture_output=True, text=True, timeout=60, check=False, env=env
    )
    assert result.returncode == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ostoja: ") and "is corrupt" in lines[0]
