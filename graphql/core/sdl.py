"""The committed SDL of both schemas (graphql/<name>/schema.graphql): render, write, compare."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation
from django.utils.module_loading import import_string

GRAPHQL_DIR = Path(__file__).resolve().parent.parent
SCHEMAS = {
    "staff": "ostoja.graphql.staff.schema.schema",
    "platform": "ostoja.graphql.platform.schema.schema",
}


def sdl_path(name: str) -> Path:
    return GRAPHQL_DIR / name / "schema.graphql"


def render(name: str) -> str:
    """The SDL in English, whatever LANGUAGE_CODE is (descriptions come from translatable model help texts)."""
    with translation.override("en"):
        return str(import_string(SCHEMAS[name])).strip() + "\n"


def drifted() -> list[str]:
    """Names of the schemas whose committed SDL differs from the code."""
    return [name for name in SCHEMAS if not sdl_path(name).exists() or sdl_path(name).read_text() != render(name)]


def write() -> list[Path]:
    written = []
    for name in SCHEMAS:
        sdl_path(name).write_text(render(name))
        written.append(sdl_path(name))
    return written
