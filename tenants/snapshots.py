"""Snapshots of the partner figures (tenants/statistics.py) for published windows that have ended, so that a
partner's request over a hundred centers reads one table instead of running five statements over every schema.

What is stored, and why RAW numbers: ``compute_snapshots(window)`` stores, for every active center, the center's own
unsuppressed counts and sums (``PartnerSnapshot``, one row per figure and category) — the very rows the live
statements return. The issue asked for "suppression applied before storing", but suppression is a property of a
whole TABLE, not of a center's numbers: which cells must be hidden depends on the other rows of the table (the
partnership's centers, or all centers for an operator) and on its totals, and a cell suppressed per center would
make a partnership table inconsistent (totals of hidden cells) or unsafe (a hidden cell recomputable from another
partnership's table). So suppression is applied when a table is assembled — over the partner's whole partnership,
exactly as for live figures (and its result cached per snapshot) — and never on the stored numbers.

The raw rows live in the PUBLIC schema, which only platform code and operators (Django admin of the platform, the
database) read; no API exposes the model, and every figure leaves the API only through ``statistics.Statistics``,
which suppresses it. Aggregates per center are less than what each center's schema holds anyway.

A snapshot is complete per center and window when its marker row (figure ``computed``) is there; a request reads
snapshots only when every center of its table has one, and computes live otherwise.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ostoja.tenants.models import Center, PartnerSnapshot
from ostoja.tenants.statistics import Statistics, Window, raw_rows

MARKER = "computed"


def _snapshot_rows(figure: str, row: tuple) -> list[dict]:
    """PartnerSnapshot fields of one raw row ``(center, …)`` of a figure."""
    if figure in ("reason", "form"):
        _center, code, name_pl, name_en, order, families, persons = row
        labels = {"category": code, "label_pl": name_pl or "", "label_en": name_en or "", "position": order or 0}
        return [
            {"figure": f"{figure}.families", "count": families, **labels},
            {"figure": f"{figure}.persons", "count": persons, **labels},
        ]
    if figure == "decisions":
        return [{"figure": "decisions", "category": row[1], "count": row[2], "amount": row[3]}]
    if figure == "children":
        return [{"figure": "children", "category": row[1], "count": row[2]}]
    if figure == "targets":
        return [
            {"figure": "targets", "category": row[1], "amount": row[2]},
            {"figure": "targets.achieved", "category": row[1], "amount": row[3]},
        ]
    raise ValueError(figure)


def compute_snapshots(window: Window, centers: list[Center] | None = None) -> int:
    """Store the raw figures of ``window`` for every active center (or ``centers``), replacing what was stored for
    them: idempotent, one statement per figure for all the centers, then one insert. Returns the rows stored."""
    from ostoja.tenants.statistics import FIGURES_SQL

    centers = list(Center.objects.filter(is_active=True)) if centers is None else centers
    if not centers:
        return 0
    by_schema = {c.schema_name: c for c in centers}
    now = timezone.now()
    window_fields = {"window_kind": window.kind, "window_year": window.year, "window_number": window.number}
    objects = [PartnerSnapshot(center=c, figure=MARKER, category="", computed_at=now, **window_fields) for c in centers]
    for figure in FIGURES_SQL:
        for row in raw_rows(centers, figure, window.date_from, window.date_to):
            for fields in _snapshot_rows(figure, row):
                objects.append(PartnerSnapshot(center=by_schema[row[0]], computed_at=now, **window_fields, **fields))
    with transaction.atomic():
        PartnerSnapshot.objects.filter(center__in=centers, **window_fields).delete()
        PartnerSnapshot.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


@dataclass(frozen=True)
class Stored:
    """Raw rows per figure in the shape of ``statistics.FIGURES_SQL``; the oldest ``computed_at``; a cache key
    that changes whenever any of the centers' snapshots is computed again."""

    rows: dict[str, list[tuple]]
    computed_at: datetime
    cache_key: str


ROWS_CACHE_SECONDS = 24 * 3600


def read_snapshots(centers: list[Center], window: Window) -> Stored | None:
    """The stored rows of ``window`` for ``centers``, or None unless every center has a complete snapshot of it.
    One statement (the markers) when the rows of these snapshots are cached, two otherwise."""
    if not centers:
        return None
    by_id = {c.pk: c.schema_name for c in centers}
    window_fields = {"window_kind": window.kind, "window_year": window.year, "window_number": window.number}
    snapshots = PartnerSnapshot.objects.filter(center_id__in=list(by_id), **window_fields)
    markers = dict(snapshots.filter(figure=MARKER).values_list("center_id", "computed_at"))
    if len(markers) != len(by_id):
        return None
    fingerprint = "|".join(f"{pk}:{markers[pk].isoformat()}" for pk in sorted(markers))
    digest = hashlib.blake2b(fingerprint.encode(), digest_size=16).hexdigest()
    cache_key = f"partner-figures:{window.key}:{digest}"
    rows = cache.get(f"{cache_key}:rows")
    if rows is None:
        rows = _rows(snapshots.exclude(figure=MARKER), by_id)
        cache.set(f"{cache_key}:rows", rows, timeout=ROWS_CACHE_SECONDS)
    return Stored(rows=rows, computed_at=min(markers.values()), cache_key=cache_key)


def _rows(snapshots, by_id) -> dict[str, list[tuple]]:
    """The snapshot rows back in the shape of the live statements' rows."""
    stored = snapshots.values_list(
        "center_id", "figure", "category", "label_pl", "label_en", "position", "count", "amount"
    )
    merged: dict[tuple, dict] = {}
    for center_id, figure, category, label_pl, label_en, position, count, amount in stored:
        base, _dot, part = figure.partition(".")
        entry = merged.setdefault((base, by_id[center_id], category), {"labels": (label_pl, label_en, position)})
        entry[part or "value"] = (count, amount)
    rows: dict[str, list[tuple]] = {name: [] for name in ("reason", "form", "decisions", "children", "targets")}
    for (base, schema, category), entry in merged.items():
        label_pl, label_en, position = entry["labels"]
        if base in ("reason", "form"):
            families = entry.get("families", (0, None))[0]
            persons = entry.get("persons", (0, None))[0]
            rows[base].append((schema, category, label_pl, label_en, position, families, persons))
        elif base == "decisions":
            count, amount = entry["value"]
            rows[base].append((schema, category, count, amount))
        elif base == "children":
            rows[base].append((schema, category, entry["value"][0]))
        elif base == "targets":
            target = entry.get("value", (0, 0))[1]
            achieved = entry.get("achieved", (0, 0))[1]
            rows[base].append((schema, category, target, achieved))
    return rows


def prepare_published_tables(window: Window) -> int:
    """Suppress, from this window's snapshots, every table a request can ask for — each partnership's active centers
    and all active centers (what operators see) — into the shared ``figures`` cache, so that no request pays for
    the suppression audit. Returns how many center sets were prepared."""
    from ostoja.tenants.models import Partnership

    order = ("short_name", "schema_name")  # the order statistics_scope lists centers in (the tables depend on it)
    groups = [list(Center.objects.filter(is_active=True).order_by(*order))]
    for partnership in Partnership.objects.all():
        groups.append(list(Center.objects.filter(partnerships=partnership, is_active=True).order_by(*order)))
    prepared = 0
    for centers in groups:
        stored = read_snapshots(centers, window)
        if stored is None:
            continue
        Statistics(
            centers,
            window.date_from,
            window.date_to,
            window=window,
            rows=stored.rows,
            computed_at=stored.computed_at,
            cache_key=stored.cache_key,
        ).prepare()
        prepared += 1
    return prepared
