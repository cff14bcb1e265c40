"""Onboarding and offboarding of centers (platform operators; the CLI calls these).

``onboard_center`` validates everything first, then creates the center in one transaction: the
Center row, its schema (a clone of the template, DESIGN.md §2), its domain, its configuration and
its first administrator. PostgreSQL DDL is transactional, so a failure at any step rolls back the
schema together with the rows: nothing is left behind. Running it again with the same parameters
changes nothing and says so; with different parameters it refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import TenantMixin
from django_tenants.signals import post_schema_sync
from django_tenants.utils import (
    get_creation_fakes_migrations,
    get_public_schema_name,
    quote_schema_name,
    schema_context,
    schema_exists,
)

from ostoja.platform.errors import Conflict, PermissionDenied, ValidationFailed
from ostoja.platform.storage import delete_center_files
from ostoja.tenants.models import Center, CenterKind, Domain, Voivodeship
from ostoja.tenants.slugs import slugify_center_name, validate_center_slug

Progress = Callable[[str, int, int], None]

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
DOMAIN_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")


# --- Cloning the template ------------------------------------------------------------------------


def template_is_current(template: str | None = None) -> bool:
    """Whether the template schema records every migration of the project's migration graph.

    Cheap: reads the migration files (already imported after start-up) and one table; no
    migration state is built. A stale or missing template answers False."""
    from django.db.migrations.loader import MigrationLoader

    template = template or settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = 'django_migrations'",
            [template],
        )
        if cursor.fetchone() is None:
            return False
        cursor.execute(f"SELECT app, name FROM {quote_schema_name(template)}.django_migrations")  # noqa: S608
        applied = set(cursor.fetchall())
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return set(graph.nodes) <= applied


def align_constraint_names(template: str, schema: str) -> int:
    """Give the clone's constraints the template's names; returns how many were renamed.

    django-tenants' clone_schema() recreates multi-column UNIQUE constraints inline, so PostgreSQL
    names them ``<table>_<cols>_key`` instead of the names the migrations gave them (named
    UniqueConstraints, ``…_uniq``). A later migration that drops or alters such a constraint by name
    would then fail on every cloned center. Constraints are matched by table, type and definition."""

    def named(nsp):
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT cl.relname, co.contype, pg_get_constraintdef(co.oid), co.conname
                   FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
                   JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = %s""",
                [nsp],
            )
            rows = cursor.fetchall()
        found: dict[tuple, list[str]] = {}
        for table, kind, definition, name in rows:
            key = (table, kind, definition.replace(f"{quote_schema_name(nsp)}.", "").replace(f"{nsp}.", ""))
            found.setdefault(key, []).append(name)
        return found

    wanted, actual = named(template), named(schema)
    renamed = 0
    with connection.cursor() as cursor:
        for key, names in actual.items():
            target = wanted.get(key)
            if len(names) != 1 or not target or len(target) != 1 or names[0] == target[0]:
                continue
            cursor.execute(
                f"ALTER TABLE {quote_schema_name(schema)}.{quote_schema_name(key[0])} "
                f"RENAME CONSTRAINT {quote_schema_name(names[0])} TO {quote_schema_name(target[0])}"
            )
            renamed += 1
    return renamed


def clone_template(template: str, schema: str, clone_mode: str = "DATA") -> None:
    """Clone ``template`` into the new schema ``schema`` with django-tenants' ``clone_schema()`` SQL function.

    ``CloneSchema.clone_schema`` drops and re-creates that function (and its helpers) before every clone, and on
    one connection each clone is then slower than the previous one, while a new connection is fast again (measured:
    0.8 s for the first, 2.5 s after 25 on the connection; a colleague saw over 20 s past 80 centers; see
    tests/benchmarks/bench_clone_scaling.py). Presumably each re-creation leaves the previous compiled copy and its
    cached plans in the session, for every later catalog change to go through. So the function is installed
    once -- again only when django-tenants' SQL changes, recognised by a fingerprint in the function's comment --
    and called as it is."""
    import hashlib

    from django_tenants.clone import CLONE_SCHEMA_FUNCTION, CloneSchema

    db_user = settings.DATABASES["default"].get("USER", None) or "postgres"
    fingerprint = (
        "django-tenants clone_schema "
        + hashlib.sha256(CLONE_SCHEMA_FUNCTION.format(db_user=db_user).encode()).hexdigest()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT obj_description(p.oid, 'pg_proc') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'public' AND p.proname = 'clone_schema'"""
        )
        installed = [row[0] for row in cursor.fetchall()]
        if installed != [fingerprint]:
            CloneSchema()._create_clone_schema_function()
            cursor.execute(
                "COMMENT ON FUNCTION public.clone_schema(text, text, public.cloneparms[]) IS %s", [fingerprint]
            )
        if schema_exists(schema, case_sensitive=False):
            raise ValidationError("New schema name already exists")
        cursor.execute("SELECT public.clone_schema(%s, %s, %s)", [template, schema, clone_mode])


def create_center_schema(center: Center, *, check_if_exists: bool = False, verbosity: int = 0) -> bool:
    """Create ``center``'s schema when cloning is configured (``Center.create_schema`` calls this).

    An up-to-date template is cloned, its constraint names restored, and django-tenants' follow-up
    ``migrate_schemas --fake`` is skipped: building the migration state grows with history (DESIGN.md §6).
    A stale template is not cloned at all -- faking migrations on a stale copy would record changes that
    were never made -- the schema is migrated from scratch instead (slow but right; `ostoja migrate`
    refreshes the template). Returns False, doing nothing, when the stock path applies: cloning is off,
    there is no template, or the schema exists and ``check_if_exists`` is set."""
    import logging

    from django.core.management import call_command

    if check_if_exists and schema_exists(center.schema_name):
        return False
    if not get_creation_fakes_migrations():
        return False
    template = center.get_base_schema()
    if not template or not schema_exists(template):
        return False
    if template_is_current(template):
        connection.set_schema_to_public()
        clone_template(template, center.schema_name, center.clone_mode)
        align_constraint_names(template, center.schema_name)
    else:
        logging.getLogger(__name__).warning(
            "The template schema %s is not up to date; migrating %s from scratch. Run `ostoja migrate`.",
            template,
            center.schema_name,
        )
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote_schema_name(center.schema_name)}")
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=center.schema_name,
            interactive=False,
            verbosity=verbosity,
        )
    connection.set_schema_to_public()
    return True


# --- Results -------------------------------------------------------------------------------------


@dataclass
class OnboardingResult:
    created: bool
    center: Center
    domains: list[str]
    admin_user: object | None = None
    set_password_url: str | None = None
    steps: list[str] = field(default_factory=list)
    config_counts: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.created or any(not s.endswith(": unchanged") for s in self.steps)


# --- Validation ----------------------------------------------------------------------------------


def _require_operator(actor) -> None:
    """Only platform operators (or the system, actor=None: CLI, demo) onboard and offboard centers."""
    from ostoja.platform.accounts.services import is_operator

    if actor is not None and not is_operator(actor):
        raise PermissionDenied(_("Only platform operators may onboard or offboard centers."), code="operator_required")


def normalize_voivodeship(value: str) -> str:
    """Accept the value (``lodzkie``) or the Polish name (``łódzkie``), any case."""
    text = (value or "").strip().lower()
    for choice in Voivodeship:
        if text in (choice.value, str(choice.label).lower()):
            return choice.value
    raise ValidationFailed(
        _("“%(value)s” is not a Polish voivodeship (for example “pomorskie”, “kujawsko-pomorskie”)."),
        code="invalid_voivodeship",
        field="voivodeship",
        params={"value": value},
    )


def normalize_kind(value: str) -> str:
    text = (value or "").strip().upper()
    if text in CenterKind.values:
        return text
    raise ValidationFailed(
        _("“%(value)s” is not a kind of center; use one of: %(kinds)s."),
        code="invalid_kind",
        field="kind",
        params={"value": value, "kinds": ", ".join(CenterKind.values)},
    )


def normalize_domain(value: str) -> str:
    from ostoja.tenants.middleware import platform_hosts

    domain = (value or "").strip().lower().rstrip(".")
    if domain in platform_hosts():
        raise ValidationFailed(
            _("“%(domain)s” is the platform's own host and cannot serve a center."),
            code="reserved_domain",
            field="domain",
            params={"domain": domain},
        )
    if len(domain) > 253 or not DOMAIN_RE.match(domain):
        raise ValidationFailed(
            _("“%(domain)s” is not a valid host name (for example “torun.example.org”)."),
            code="invalid_domain",
            field="domain",
            params={"domain": value},
        )
    return domain


def resolve_slug(slug: str | None, city: str) -> str:
    """The given slug, or the city's name transliterated (``Toruń`` → ``torun``); validated."""
    slug = (slug or "").strip() or slugify_center_name(city or "")
    try:
        validate_center_slug(slug)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], code=exc.error_list[0].code, field="slug") from None
    return slug


def _text(value, name: str, max_length: int, label) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(_("%(label)s is required."), code="required", field=name, params={"label": label})
    if len(text) > max_length:
        raise ValidationFailed(
            _("%(label)s is longer than %(max)d characters."),
            code="too_long",
            field=name,
            params={"label": label, "max": max_length},
        )
    return text


def _validate_admin(admin: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    User = get_user_model()
    unknown = set(admin) - {"username", "email", "first_name", "last_name", "password"}
    if unknown:
        raise ValidationFailed(
            _("Unknown administrator fields: %(fields)s."),
            code="invalid_admin",
            field="admin",
            params={"fields": ", ".join(sorted(unknown))},
        )
    username = (admin.get("username") or "").strip()
    try:
        if not username:
            raise ValidationError(_("The administrator needs a username."), code="required")
        User.username_validator(username)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0], code="invalid_admin_username", field="admin.username") from None
    email = (admin.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationFailed(
                _("“%(email)s” is not a valid e-mail address."),
                code="invalid_admin_email",
                field="admin.email",
                params={"email": email},
            ) from None
    cleaned = {
        "username": username,
        "email": email,
        "first_name": (admin.get("first_name") or "").strip(),
        "last_name": (admin.get("last_name") or "").strip(),
        "password": admin.get("password") or None,
    }
    if cleaned["password"] is not None:
        probe = User(username=username, email=email, first_name=cleaned["first_name"], last_name=cleaned["last_name"])
        try:
            validate_password(cleaned["password"], user=probe)
        except ValidationError as exc:
            raise ValidationFailed(
                _("The administrator's password is too weak: %(reasons)s"),
                code="weak_password",
                field="admin.password",
                params={"reasons": " ".join(exc.messages)},
            ) from None
    return cleaned


def _differences(center: Center, wanted: dict, domain: str) -> list[str]:
    diffs = [
        f"{name}: {getattr(center, name)!r} ≠ {value!r}"
        for name, value in wanted.items()
        if getattr(center, name) != value
    ]
    domains = list(center.domains.values_list("domain", flat=True))
    if domain not in domains:
        diffs.append(f"domain: {', '.join(domains) or '—'} ≠ {domain!r}")
    return diffs


def _validate_config(config: dict, slug: str) -> None:
    """The configuration is checked against a schema's tables (departments it refers to may exist there):
    the center's own schema when it exists, else the empty template it will be cloned from. Without a
    template the loader checks it again inside the onboarding transaction, so nothing is left behind."""
    from ostoja.tenants.config_loader import validate_center_config

    if Center.objects.filter(schema_name=slug).exists() and schema_exists(slug):
        where = slug
    elif schema_exists(settings.TENANT_BASE_SCHEMA):
        where = settings.TENANT_BASE_SCHEMA
    else:
        return
    with schema_context(where):
        validate_center_config(config)


def admin_exists(slug: str, username: str) -> bool:
    """Whether the center ``slug`` exists and already has a user ``username`` (the CLI asks before prompting)."""
    from django.contrib.auth import get_user_model

    if not Center.objects.filter(schema_name=slug).exists():
        return False
    with schema_context(slug):
        return get_user_model().objects.filter(username=username).exists()


# --- Onboarding ----------------------------------------------------------------------------------


def onboard_center(
    *,
    slug: str | None = None,
    name: str,
    short_name: str | None = None,
    kind: str = "MOPR",
    city: str,
    voivodeship: str,
    domain: str | None = None,
    config: dict | None = None,
    admin: dict | None = None,
    actor=None,
    progress: Progress | None = None,
) -> OnboardingResult:
    """Create a center (or confirm that it exists exactly so). See the module docstring."""
    _require_operator(actor)
    steps_total = 6
    done = 0

    def step(label: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(label, done, steps_total)

    # 1. Validate everything before writing anything.
    city = _text(city, "city", 100, _("City"))
    slug = resolve_slug(slug, city)
    wanted = {
        "name": _text(name, "name", 200, _("Official name")),
        "kind": normalize_kind(kind),
        "city": city,
        "voivodeship": normalize_voivodeship(voivodeship),
    }
    wanted["short_name"] = _text(short_name or f"{wanted['kind']} {city}", "short_name", 80, _("Short name"))
    domain = normalize_domain(domain or f"{slug}.{settings.BASE_DOMAIN}")
    if config is not None:
        _validate_config(config, slug)
    admin_data = None
    if admin:
        given = {key: value for key, value in admin.items() if value not in (None, "")}
        admin = {"first_name": "Administrator", "last_name": wanted["short_name"], **given}
        admin_data = _validate_admin(admin)

    with schema_context(get_public_schema_name()):
        existing = Center.objects.filter(schema_name=slug).first()
        if existing is None and Center.objects.filter(schema_name__iexact=slug).exists():
            raise Conflict(_("The slug “%(slug)s” is taken."), code="slug_taken", field="slug", params={"slug": slug})
        owner = Domain.objects.filter(domain=domain).select_related("tenant").first()
        if owner is not None and owner.tenant.schema_name != slug:
            raise Conflict(
                _("The host “%(domain)s” already serves another center (%(other)s)."),
                code="domain_taken",
                field="domain",
                params={"domain": domain, "other": owner.tenant.schema_name},
            )
        if existing is not None:
            diffs = _differences(existing, wanted, domain)
            if diffs:
                raise Conflict(
                    _("The center “%(slug)s” exists with other parameters (%(diffs)s); nothing was changed."),
                    code="center_exists_different",
                    field="slug",
                    params={"slug": slug, "diffs": "; ".join(diffs)},
                )
        elif slug == settings.TENANT_BASE_SCHEMA or schema_exists(slug):
            raise Conflict(
                _("A database schema named “%(slug)s” exists without a center; an operator must remove it first."),
                code="orphan_schema",
                field="slug",
                params={"slug": slug},
            )
        step("validated")

        with transaction.atomic():
            return _write(existing, slug, wanted, domain, config, admin_data, actor, step)


def _write(existing, slug, wanted, domain, config, admin_data, actor, step) -> OnboardingResult:
    from ostoja.platform.audit.services import record

    if existing is None:
        center = Center(schema_name=slug, **wanted)
        center.auto_create_schema = False  # the schema is created below, inside this transaction
        center.save(verbosity=0)
        step("center registered")
        center.create_schema(check_if_exists=False, verbosity=0)
        connection.set_schema_to_public()
        post_schema_sync.send(sender=TenantMixin, tenant=center.serializable_fields())
        step("schema cloned")
        Domain.objects.create(domain=domain, tenant=center, is_primary=True)
        step("domain added")
        result = OnboardingResult(created=True, center=center, domains=[domain])
        result.steps += ["center: created", f"schema {slug}: created", f"domain {domain}: created"]
    else:
        center = existing
        for _label in ("center registered", "schema cloned", "domain added"):
            step(_label)
        result = OnboardingResult(
            created=False, center=center, domains=list(center.domains.values_list("domain", flat=True))
        )
        result.steps += ["center: unchanged"]

    with schema_context(slug):
        if config is not None:
            from ostoja.tenants.config_loader import load_center_config

            counts = load_center_config(config, actor=None) or {}
            result.config_counts = dict(counts)
            changed = counts.get("changes", 0)
            result.steps.append("configuration: " + (f"{changed} records written" if changed else "unchanged"))
        step("configuration loaded")
        if admin_data is not None:
            _ensure_admin(result, admin_data, domain)
        step("administrator ready")

    if result.created:
        record(
            actor,
            "create",
            center,
            message=f"Center onboarded ({slug}, {domain})",
            changes={k: [None, v] for k, v in wanted.items()},
        )
    elif result.changed:
        record(actor, "update", center, message="Center onboarding completed: " + "; ".join(result.steps)[:250])
    connection.set_schema_to_public()
    return result


def _ensure_admin(result: OnboardingResult, admin: dict, domain: str) -> None:
    from django.contrib.auth import get_user_model

    from ostoja.platform.staff.models import Role
    from ostoja.platform.staff.services import create_staff_member, set_password_link

    user = get_user_model().objects.filter(username=admin["username"]).first()
    if user is not None:
        if admin["email"] and user.email != admin["email"]:
            raise Conflict(
                _("The user “%(username)s” exists in this center with another e-mail address (%(email)s)."),
                code="admin_exists_different",
                field="admin.username",
                params={"username": user.username, "email": user.email},
            )
        result.admin_user = user
        result.steps.append(f"administrator {user.username}: unchanged")
        return
    user = create_staff_member(
        None,
        username=admin["username"],
        first_name=admin["first_name"],
        last_name=admin["last_name"],
        email=admin["email"],
        roles=[Role.ADMINISTRATOR],
        job_title=str(_("Center administrator")),
        password=admin["password"],
    )
    result.admin_user = user
    result.steps.append(f"administrator {user.username}: created")
    if admin["password"] is None:
        result.set_password_url = set_password_link(user, host=domain)


# --- Offboarding ---------------------------------------------------------------------------------


def _public_center(center: Center | str | int) -> Center:
    """The center named by a Center, its slug or its primary key; NotFound otherwise."""
    from ostoja.platform.errors import NotFound

    with schema_context(get_public_schema_name()):
        if isinstance(center, int):
            found = Center.objects.filter(pk=center).first()
            slug = found.schema_name if found is not None else str(center)
        else:
            slug = center if isinstance(center, str) else center.schema_name
            found = Center.objects.filter(schema_name=slug).first()
    if found is None or slug == settings.TENANT_BASE_SCHEMA:
        raise NotFound(_("There is no center “%(slug)s”."), code="center_not_found", params={"slug": slug})
    return found


def deactivate_center(actor, center: Center | str | int) -> bool:
    """Suspend a center: its hosts answer 503 until it is reactivated. Returns False when it already was."""
    from ostoja.platform.audit.services import record

    _require_operator(actor)
    center = _public_center(center)
    if not center.is_active:
        return False
    with schema_context(get_public_schema_name()), transaction.atomic():
        center.is_active = False
        center.deactivated_at = timezone.now()
        center.save(update_fields=["is_active", "deactivated_at"])
        record(actor, "update", center, changes={"is_active": [True, False]}, message="Center deactivated")
    return True


def reactivate_center(actor, center: Center | str | int) -> bool:
    """Undo ``deactivate_center``. Returns False when the center was active."""
    from ostoja.platform.audit.services import record

    _require_operator(actor)
    center = _public_center(center)
    if center.is_active:
        return False
    with schema_context(get_public_schema_name()), transaction.atomic():
        center.is_active = True
        center.deactivated_at = None
        center.save(update_fields=["is_active", "deactivated_at"])
        record(actor, "update", center, changes={"is_active": [False, True]}, message="Center reactivated")
    return True


def delete_center(actor, center: Center | str, *, confirm: bool) -> None:
    """Remove a deactivated center for good: its schema (all its data), its domains, its row and its files."""
    from ostoja.platform.audit.services import record

    _require_operator(actor)
    center = _public_center(center)
    if not confirm:
        raise ValidationFailed(
            _("Deleting a center drops all its data; confirm it explicitly."), code="confirmation_required"
        )
    if center.is_active:
        raise Conflict(
            _("The center “%(slug)s” is active; deactivate it before deleting it."),
            code="center_active",
            params={"slug": center.schema_name},
        )
    slug, label, pk = center.schema_name, str(center), center.pk
    domains = list(center.domains.values_list("domain", flat=True))
    with schema_context(get_public_schema_name()), transaction.atomic():
        center.domains.all().delete()
        center.delete(force_drop=True)
        record(
            actor,
            "delete",
            None,
            object_type="tenants.center",
            object_id=str(pk),
            message=f"Center deleted with its schema: {label} ({slug}; {', '.join(domains)})",
        )
        # Its files (documents, exports) go too, once the schema's removal is committed.
        transaction.on_commit(lambda: delete_center_files(slug))


# --- Domains -------------------------------------------------------------------------------------


def _domains_state(center: Center) -> dict:
    domains = list(Domain.objects.filter(tenant=center).order_by("domain"))
    return {
        "domains": ",".join(d.domain for d in domains),
        "primary_domain": next((d.domain for d in domains if d.is_primary), None),
    }


def _public_domain(domain: Domain | int | str) -> Domain:
    from ostoja.platform.errors import NotFound

    with schema_context(get_public_schema_name()):
        queryset = Domain.objects.select_related("tenant")
        if isinstance(domain, Domain):
            found = queryset.filter(pk=domain.pk).first()
        elif isinstance(domain, int):
            found = queryset.filter(pk=domain).first()
        else:
            found = queryset.filter(domain=(domain or "").strip().lower().rstrip(".")).first()
    if found is None or found.tenant.schema_name == settings.TENANT_BASE_SCHEMA:
        raise NotFound(_("There is no such host name."), code="domain_not_found", field="domain")
    return found


def get_domain(actor, domain: Domain | int | str) -> Domain:
    """A center's host name (operators only)."""
    _require_operator(actor)
    return _public_domain(domain)


def add_domain(actor, center: Center | str | int, domain: str, *, primary: bool = False) -> Domain:
    """Let ``center`` also answer on the host ``domain`` (validated; a host serves one center only).
    ``primary=True`` makes it the host its links use."""
    from ostoja.platform.audit.services import diff, record

    _require_operator(actor)
    center = _public_center(center)
    host = normalize_domain(domain)
    with schema_context(get_public_schema_name()):
        owner = Domain.objects.filter(domain=host).select_related("tenant").first()
        if owner is not None:
            if owner.tenant_id == center.pk:
                raise Conflict(
                    _("“%(domain)s” already serves this center."),
                    code="domain_exists",
                    field="domain",
                    params={"domain": host},
                )
            raise Conflict(
                _("The host “%(domain)s” already serves another center (%(other)s)."),
                code="domain_taken",
                field="domain",
                params={"domain": host, "other": owner.tenant.schema_name},
            )
        with transaction.atomic():
            before = _domains_state(center)
            created = Domain(domain=host, tenant=center, is_primary=bool(primary))
            created.save()
            record(actor, "update", center, changes=diff(before, _domains_state(center)), message="Domain added")
    return created


def remove_domain(actor, domain: Domain | int | str) -> Center:
    """Stop serving a center on a host. The primary host (and so the last one) cannot be removed: make
    another host primary first."""
    from ostoja.platform.audit.services import diff, record

    _require_operator(actor)
    found = _public_domain(domain)
    center = found.tenant
    with schema_context(get_public_schema_name()):
        if Domain.objects.filter(tenant=center).count() <= 1:
            raise Conflict(
                _("“%(domain)s” is the center's only host and cannot be removed."),
                code="last_domain",
                field="domain",
                params={"domain": found.domain},
            )
        if found.is_primary:
            raise Conflict(
                _("“%(domain)s” is the center's primary host: make another host primary first."),
                code="primary_domain",
                field="domain",
                params={"domain": found.domain},
            )
        with transaction.atomic():
            before = _domains_state(center)
            found.delete()
            record(actor, "update", center, changes=diff(before, _domains_state(center)), message="Domain removed")
    return center


def set_primary_domain(actor, domain: Domain | int | str) -> Domain:
    """Make ``domain`` the primary host of its center (the others stay, as secondary hosts)."""
    from ostoja.platform.audit.services import diff, record

    _require_operator(actor)
    found = _public_domain(domain)
    if found.is_primary:
        return found
    center = found.tenant
    with schema_context(get_public_schema_name()), transaction.atomic():
        before = _domains_state(center)
        found.is_primary = True
        found.save()  # DomainMixin.save clears the flag on the center's other hosts
        record(actor, "update", center, changes=diff(before, _domains_state(center)), message="Primary domain changed")
    return found
