"""DESIGN.md §1: the repository root is the package `ostoja`; platform/ and graphql/ must stay
namespace packages, and every package folder must be listed in pyproject (a missing entry only
breaks a non-editable install, so nothing else would notice)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "tests", "infra", ".git", "build", "dist", "node_modules"}


def _python_package_folders():
    found = set()
    for py in ROOT.rglob("*.py"):
        rel = py.relative_to(ROOT)
        if rel.parts[0] in SKIP or rel.parts[0].startswith(".") or "__pycache__" in rel.parts:
            continue
        folder = rel.parent
        while folder != Path("."):
            found.add("ostoja." + ".".join(folder.parts))
            folder = folder.parent
    return found


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    missing = _python_package_folders() - listed
    assert not missing, f"add these to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"
    stale = {p for p in listed - {"ostoja"} if not (ROOT / Path(*p.split(".")[1:])).is_dir()}
    assert not stale, f"pyproject lists packages that do not exist: {sorted(stale)}"


def test_namespace_folders_do_not_shadow_stdlib_or_graphql_core():
    for shadow in ("platform/__init__.py", "graphql/__init__.py", "__init__.py", "manage.py"):
        assert not (ROOT / shadow).exists(), f"{shadow} must not exist (DESIGN.md §1)"
    import platform

    import graphql

    assert hasattr(platform, "system"), "the stdlib platform module is shadowed"
    assert hasattr(graphql, "GraphQLSchema"), "graphql-core is shadowed"


def test_every_regular_package_and_migrations_folder_has_init():
    for folder in ("tenants", "modules", "modules/cases/migrations", "tenants/migrations"):
        assert (ROOT / folder / "__init__.py").exists(), f"{folder}/__init__.py is missing"
