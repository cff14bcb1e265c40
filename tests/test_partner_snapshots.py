"""Snapshots of the partner figures (ostoja.tenants.snapshots) and their periodic task (ostoja.tenants.tasks): raw
per-center numbers stored in the public schema for published windows, read back into the same suppressed tables as
the live figures, computed idempotently; one test with a real worker (the fixtures of tests/test_celery.py)."""

import uuid
from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from test_celery import (  # noqa: F401 (fixtures)
    _demo_centers_after_this_module,
    celery_worker,
    committed_centers,
    wait_for,
)

from ostoja.modules.cases.models import Case, CaseReason, Decision, FormOfHelp, HelpReason, Person
from ostoja.modules.foster_care.models import FosterChild, FosterFamily, Placement
from ostoja.platform.accounts import services as accounts
from ostoja.platform.celery_app import app
from ostoja.tenants import statistics
from ostoja.tenants.models import Center, PartnerSnapshot, PlatformRole
from ostoja.tenants.snapshots import compute_snapshots, read_snapshots
from ostoja.tenants.tasks import partner_snapshots

H1 = statistics.published_window("half", 2024, 1)
TODAY = date(2024, 8, 15)  # the last completed windows: 2024-07, 2024-Q2, 2024-H1, 2023
FIGURES = ("by_reason", "by_form_of_help", "decisions_by_month", "children_by_family_kind", "project_targets")
_serial = count(1)
MARK = "Migawkowa"


def families(slug, reason_code, n, *, opened_on=date(2024, 2, 1), form=None):
    with schema_context(slug):
        reason = HelpReason.objects.get(code=reason_code)
        for _ in range(n):
            person = Person.objects.create(
                first_name="Osoba", last_name=f"{MARK}{next(_serial)}", date_of_birth=date(1980, 1, 1), sex="F"
            )
            case = Case.objects.create(person=person, opened_on=opened_on, status="active_help")
            CaseReason.objects.create(case=case, reason=reason, noted_on=opened_on)
            if form:
                Decision.objects.create(
                    case=case,
                    kind="grant",
                    form=FormOfHelp.objects.get(code=form),
                    amount=Decimal("120.50"),
                    period_start=opened_on,
                    issued_on=opened_on,
                )


def crafted():
    families("slupsk", "ubostwo", 3, form="zasilek-celowy")
    families("slupsk", "bezrobocie", 12)
    families("gdansk", "ubostwo", 20, form="zasilek-okresowy")
    families("gdansk", "bezrobocie", 7)
    families("torun", "ubostwo", 50)
    with schema_context("gdansk"):
        family = FosterFamily.objects.create(name="Rodzina Migawkowa", kind="related")
        for _ in range(2):
            child = FosterChild.objects.create(
                person=Person.objects.create(
                    first_name="Dziecko", last_name=f"{MARK}{next(_serial)}", date_of_birth=date(2015, 1, 1), sex="M"
                )
            )
            Placement.objects.create(child=child, family=family, start_on=date(2023, 5, 1), court_order_reference="x")


def remove_crafted():
    """Tenant rows survive a transactional test's flush (DESIGN.md §6): remove what this module wrote."""
    for slug in ("torun", "slupsk", "gdansk"):
        with schema_context(slug):
            Placement.objects.filter(family__name="Rodzina Migawkowa").delete()
            FosterChild.objects.filter(person__last_name__startswith=MARK).delete()
            FosterFamily.objects.filter(name="Rodzina Migawkowa").delete()
            Case.objects.filter(person__last_name__startswith=MARK).delete()
            Person.objects.filter(last_name__startswith=MARK).delete()
    connection.set_schema_to_public()


def pomorze():
    partnership = accounts.create_partnership(
        None, name=f"Pomorze {uuid.uuid4().hex[:6]}", centers=["slupsk", "gdansk"]
    )
    return accounts.create_platform_account(
        None,
        username=f"p{uuid.uuid4().hex[:8]}",
        email="p@example.org",
        role=PlatformRole.PARTNER,
        partnership=partnership,
    )


def published(figures):
    """Every published table of the figures, as plain values (what the API would show)."""
    out = {}
    for name in FIGURES:
        value = getattr(figures, name)
        tables = value if isinstance(value, dict) else {"": value}
        for key, table in tables.items():
            out[(name, key)] = (
                [c.schema_name for c in table.centers],
                [(c.key, c.label) for c in table.columns],
                table.table,
            )
    return out


def snapshot(slug, figure, category, window=H1):
    return PartnerSnapshot.objects.get(
        center__schema_name=slug,
        figure=figure,
        category=category,
        window_kind=window.kind,
        window_year=window.year,
        window_number=window.number,
    )


@pytest.mark.django_db
def test_raw_counts_are_stored_and_read_back_into_the_same_suppressed_tables(torun, slupsk, gdansk):
    crafted()
    partner = pomorze()
    live = statistics.statistics(partner, window=H1, today=TODAY)
    assert live.source == statistics.LIVE
    live_tables = published(live)
    compute_snapshots(H1)
    # RAW numbers: the 3 is stored as it is (suppression belongs to a table, not to a center's numbers).
    assert snapshot("slupsk", "reason.families", "ubostwo").count == 3
    assert snapshot("gdansk", "decisions", "2024-02").amount == Decimal("2410.00")
    assert snapshot("gdansk", "children", "related").count == 2
    assert snapshot("torun", "reason.families", "ubostwo").count == 50
    stored = statistics.statistics(partner, window=H1, today=TODAY)
    assert stored.source == statistics.SNAPSHOT and stored.computed_at is not None
    assert published(stored) == live_tables
    slupsk_row = [c.schema_name for c in stored.shown].index("slupsk")
    column = [c.key for c in stored.by_reason["families"].columns].index("ubostwo")
    assert stored.by_reason["families"].table.cells[slupsk_row][column].value is None  # suppressed on the way out


@pytest.mark.django_db
def test_computing_again_replaces_the_rows_idempotently(torun, slupsk, gdansk):
    crafted()
    compute_snapshots(H1)
    rows = PartnerSnapshot.objects.count()
    first = snapshot("gdansk", "computed", "").computed_at
    compute_snapshots(H1)
    assert PartnerSnapshot.objects.count() == rows
    families("gdansk", "bezrobocie", 4)
    compute_snapshots(H1)
    assert PartnerSnapshot.objects.count() == rows
    assert snapshot("gdansk", "reason.families", "bezrobocie").count == 11
    assert snapshot("gdansk", "computed", "").computed_at > first


@pytest.mark.django_db
def test_a_table_with_a_center_without_snapshot_is_live(torun, slupsk, gdansk):
    crafted()
    compute_snapshots(H1, centers=[Center.objects.get(schema_name="slupsk")])
    centers = list(Center.objects.filter(schema_name__in=["slupsk", "gdansk"]))
    assert read_snapshots(centers, H1) is None
    assert statistics.statistics(pomorze(), window=H1, today=TODAY).source == statistics.LIVE
    compute_snapshots(H1)
    assert read_snapshots(centers, H1) is not None
    other = statistics.published_window("quarter", 2024, 1)
    assert read_snapshots(centers, other) is None  # another window: not computed


@pytest.mark.django_db
def test_inactive_centers_get_no_snapshot(torun, slupsk, gdansk):
    Center.objects.filter(schema_name="torun").update(is_active=False)
    compute_snapshots(H1)
    assert not PartnerSnapshot.objects.filter(center__schema_name="torun").exists()
    assert PartnerSnapshot.objects.filter(center__schema_name="gdansk", figure="computed").count() == 1


def test_the_task_is_scheduled_nightly_once_on_the_platform():
    entry = app.conf.beat_schedule["tenants.partner_snapshots"]
    assert entry["tenant_schemas"] == ["public"]
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
    assert partner_snapshots.acks_late


def windows_stored():
    return sorted(
        PartnerSnapshot.objects.filter(figure="computed").values_list(
            "center__schema_name", "window_kind", "window_year", "window_number"
        )
    )


EXPECTED = sorted(
    (slug, kind, year, number)
    for slug in ("torun", "slupsk", "gdansk")
    for kind, year, number in (("month", 2024, 7), ("quarter", 2024, 2), ("half", 2024, 1), ("year", 2023, 1))
)


@pytest.mark.django_db
def test_the_task_computes_the_last_completed_windows_idempotently(torun, slupsk, gdansk):
    crafted()
    assert partner_snapshots(TODAY.isoformat()) == ["2024-07", "2024-Q2", "2024-H1", "2023"]
    rows = PartnerSnapshot.objects.count()
    with schema_context("torun"):  # whatever schema it is sent from, it writes the public registry
        partner_snapshots(TODAY.isoformat())
    assert PartnerSnapshot.objects.count() == rows
    assert windows_stored() == EXPECTED


@pytest.mark.django_db
def test_the_task_prepares_every_partnership_table_for_every_process(torun, slupsk, gdansk, monkeypatch):
    """After the nightly task, a partner's request reads suppressed tables from the shared (database) cache: no
    suppression audit runs in the request, even in a process whose own memory cache is empty."""
    from django.core.cache import cache

    from ostoja.tenants import suppression

    crafted()
    partner = pomorze()
    partner_snapshots(TODAY.isoformat())
    cache.clear()  # another web process: nothing in its memory

    def must_not_run(*args, **kwargs):
        raise AssertionError("the table should have been prepared by the snapshot task")

    monkeypatch.setattr(suppression, "suppression_pattern", must_not_run)
    figures = statistics.statistics(partner, window=H1, today=TODAY)
    assert figures.source == statistics.SNAPSHOT
    tables = published(figures)
    assert tables[("by_reason", "families")][0] == ["gdansk", "slupsk"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_computes_the_snapshots_once_however_often_delivered(committed_centers, celery_worker):  # noqa: F811
    crafted()
    try:
        first = partner_snapshots.delay(TODAY.isoformat())
        second = partner_snapshots.delay(TODAY.isoformat())  # a duplicate delivery
        log = celery_worker.log
        for message in (first, second):
            wait_for(lambda m=message: any(f"[{m.id}] succeeded" in line for line in log), what="a run", log=log)
        assert windows_stored() == EXPECTED
        assert PartnerSnapshot.objects.filter(figure="computed").count() == len(EXPECTED)
        assert snapshot("slupsk", "reason.families", "ubostwo").count == 3
        assert statistics.statistics(pomorze(), window=H1, today=TODAY).source == statistics.SNAPSHOT
    finally:
        remove_crafted()
