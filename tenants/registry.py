"""The center registry as operators see it: the list of centers (filtered), one center, and usage figures
counted inside the centers' schemas.

Usage is counted with one SQL statement for any number of centers and figures: a ``UNION ALL`` of one
``SELECT`` per center schema with a ``count(*)`` subquery per figure, every identifier quoted by psycopg —
never a Python loop of ORM queries per center."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet
from django.db.models.functions import JSONObject
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, schema_context
from psycopg import sql

from ostoja.platform.errors import NotFound, ValidationFailed
from ostoja.tenants.models import Center, Domain
from ostoja.tenants.onboarding import _require_operator, normalize_kind, normalize_voivodeship

CENTER_ORDERINGS = {
    "short_name": ("short_name", "id"),
    "-short_name": ("-short_name", "-id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "city": ("city", "short_name", "id"),
}


def list_centers(
    actor,
    *,
    status: str | None = None,
    kind: str | None = None,
    voivodeship: str | None = None,
    search: str | None = None,
    order_by: str = "short_name",
) -> QuerySet[Center]:
    """Centers matching the filters. ``status``: ``active`` or ``inactive``; ``search`` looks in the slug,
    the names, the city and the host names."""
    _require_operator(actor)
    with schema_context(get_public_schema_name()):
        queryset = Center.objects.exclude(schema_name__in=[settings.TENANT_BASE_SCHEMA, get_public_schema_name()])
    if status not in (None, ""):
        if status not in ("active", "inactive"):
            raise ValidationFailed(_("The status is “active” or “inactive”."), code="invalid_status", field="status")
        queryset = queryset.filter(is_active=status == "active")
    if kind not in (None, ""):
        queryset = queryset.filter(kind=normalize_kind(kind))
    if voivodeship not in (None, ""):
        queryset = queryset.filter(voivodeship=normalize_voivodeship(voivodeship))
    text = (search or "").strip()
    if text:
        queryset = queryset.filter(
            Q(schema_name__icontains=text)
            | Q(name__icontains=text)
            | Q(short_name__icontains=text)
            | Q(city__icontains=text)
            | Q(pk__in=Domain.objects.filter(domain__icontains=text).values("tenant_id"))
        )
    if order_by not in CENTER_ORDERINGS:
        raise ValidationFailed(_("Unknown ordering."), code="invalid_ordering", field="order_by")
    return with_domain_rows(queryset).order_by(*CENTER_ORDERINGS[order_by])


def with_domain_rows(queryset: QuerySet[Center]) -> QuerySet[Center]:
    """Each center with ``domain_rows``: its hosts as ``{id, domain, is_primary}``, primary first — read in the
    same statement as the centers (a correlated array subquery), so a page of centers costs no extra query."""
    hosts = (
        Domain.objects.filter(tenant=OuterRef("pk"))
        .order_by("-is_primary", "domain")
        .values(row=JSONObject(id="id", domain="domain", is_primary="is_primary"))
    )
    return queryset.annotate(domain_rows=ArraySubquery(hosts))


def get_center(actor, pk: int) -> Center:
    _require_operator(actor)
    with schema_context(get_public_schema_name()):
        center = Center.objects.exclude(schema_name=settings.TENANT_BASE_SCHEMA).filter(pk=pk).first()
    if center is None:
        raise NotFound(code="not_found")
    return center


def _figures() -> dict[str, tuple[str, tuple[str, ...], tuple]]:
    """figure → (SQL template, the tables it reads as {t0}, {t1}…, the literals it compares with as {v0}…)."""
    from ostoja.modules.cases.models import Case, CaseStatus, Person
    from ostoja.modules.foster_care.models import FosterChild
    from ostoja.modules.projects.models import Project
    from ostoja.platform.accounts.models import User
    from ostoja.platform.staff.models import StaffProfile

    return {
        # Staff accounts that can log in.
        "staff_accounts": (
            "SELECT count(*) FROM {t0} p JOIN {t1} u ON u.id = p.user_id WHERE u.is_active",
            (StaffProfile._meta.db_table, User._meta.db_table),
            (),
        ),
        "persons": ("SELECT count(*) FROM {t0}", (Person._meta.db_table,), ()),
        "open_cases": (
            "SELECT count(*) FROM {t0} WHERE status <> {v0}",
            (Case._meta.db_table,),
            (CaseStatus.CLOSED.value,),
        ),
        "children_in_care": (
            "SELECT count(*) FROM {t0} WHERE status = {v0}",
            (FosterChild._meta.db_table,),
            (FosterChild.Status.IN_CARE.value,),
        ),
        "projects": ("SELECT count(*) FROM {t0}", (Project._meta.db_table,), ()),
    }


USAGE_FIGURES = ("staff_accounts", "persons", "open_cases", "children_in_care", "projects")


def usage_sql(figures, schemas: list[str]) -> sql.Composed:
    """One statement counting ``figures`` in every schema: rows ``(schema, count, count, …)``, one ``SELECT``
    per schema joined by ``UNION ALL``, one scalar subquery per figure."""
    definitions = _figures()
    parts = []
    for schema in schemas:
        columns = [sql.Literal(schema)]
        for figure in figures:
            template, tables, values = definitions[figure]
            identifiers = {f"t{i}": sql.Identifier(schema, table) for i, table in enumerate(tables)}
            literals = {f"v{i}": sql.Literal(value) for i, value in enumerate(values)}
            columns.append(sql.SQL("({})::bigint").format(sql.SQL(template).format(**identifiers, **literals)))
        parts.append(sql.SQL("SELECT {}").format(sql.SQL(", ").join(columns)))
    return sql.SQL(" UNION ALL ").join(parts)


def center_usage(actor, centers, figures=USAGE_FIGURES) -> dict[str, dict[str, int]]:
    """``{schema: {figure: count}}`` for ``centers`` (Center objects or slugs), counted by ONE SQL statement
    whatever the number of centers and figures."""
    _require_operator(actor)
    figures = list(dict.fromkeys(figures))
    unknown = sorted(set(figures) - set(USAGE_FIGURES))
    if unknown or not figures:
        raise ValidationFailed(
            _("Unknown usage figures: %(figures)s."), code="invalid_figure", params={"figures": ", ".join(unknown)}
        )
    centers = list(centers)
    slugs = sorted({c.schema_name for c in centers if isinstance(c, Center)})
    named = [c for c in centers if not isinstance(c, Center)]
    if named:  # slugs are checked against the registry; Center rows are known
        with schema_context(get_public_schema_name()):
            slugs = sorted(
                set(slugs) | set(Center.objects.filter(schema_name__in=named).values_list("schema_name", flat=True))
            )
    slugs = [s for s in slugs if s not in (settings.TENANT_BASE_SCHEMA, get_public_schema_name())]
    if not slugs:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(usage_sql(figures, slugs).as_string(cursor.connection))
        rows = cursor.fetchall()
    return {row[0]: {figure: int(count) for figure, count in zip(figures, row[1:], strict=True)} for row in rows}
