"""Aggregate figures for regional partners: tables of centers × categories with totals, small counts suppressed."""

from __future__ import annotations

from types import SimpleNamespace

import graphene

from ostoja.tenants import statistics, suppression
from ostoja.tenants.models import WindowKind

SuppressionReason = graphene.Enum(
    "SuppressionReason",
    [("PRIMARY", suppression.PRIMARY), ("SECONDARY", suppression.SECONDARY)],
    description="Why a value is hidden.",
)


PeriodKind = graphene.Enum(
    "PeriodKind",
    [(kind.name, kind.value) for kind in WindowKind],
    description="A published period: a calendar month, quarter, half-year or year.",
)

FiguresSource = graphene.Enum(
    "FiguresSource",
    [("SNAPSHOT", statistics.SNAPSHOT), ("LIVE", statistics.LIVE)],
    description="Where the figures come from: a stored snapshot of an ended period, or computed now.",
)


class PeriodInput(graphene.InputObjectType):
    """A published period, e.g. ``{kind: HALF, year: 2026, number: 1}``; ``number`` may be left out for a year."""

    kind = PeriodKind(required=True)
    year = graphene.Int(required=True)
    number = graphene.Int(description="Month 1–12, quarter 1–4, half-year 1–2; none (or 1) for a year.")


class Period(graphene.ObjectType):
    """The published period the figures cover."""

    kind = PeriodKind(required=True)
    year = graphene.Int(required=True)
    number = graphene.Int(required=True)
    key = graphene.String(required=True, description="E.g. 2026-03, 2026-Q1, 2026-H1, 2026.")
    date_from = graphene.Date(required=True, name="from")
    date_to = graphene.Date(required=True, name="to")


class _CellFields:
    suppressed = graphene.Boolean(required=True, description="True when the value is hidden.")
    reason = graphene.Field(SuppressionReason, description="Why the value is hidden; null when it is shown.")


class CountCell(_CellFields, graphene.ObjectType):
    """A count (families, persons, decisions, children); ``value`` is null when suppressed."""

    value = graphene.Int()  # counts come from SQL count() as ints


class AmountCell(_CellFields, graphene.ObjectType):
    """An amount or a target value; ``value`` is null when suppressed (amounts follow the counts behind them)."""

    value = graphene.Float()

    def resolve_value(self, info):
        return None if self.value is None else round(float(self.value), 2)


class StatisticsCenter(graphene.ObjectType):
    """A center a row of figures belongs to."""

    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    short_name = graphene.String(required=True)


class StatisticsColumn(graphene.ObjectType):
    """A category: an art. 7 reason, a form of help, a month (YYYY-MM), a family kind or a target unit."""

    key = graphene.String(required=True, description="A stable code.")
    label = graphene.String(required=True, description="In the user's language.")


def _table_type(name: str, cell, description: str):
    row = type(
        f"{name}Row",
        (graphene.ObjectType,),
        {
            "__doc__": "One center's figures.",
            "center": graphene.Field(StatisticsCenter, required=True),
            "cells": graphene.List(graphene.NonNull(cell), required=True, description="One per column."),
            "total": graphene.Field(cell, required=True, description="The center's total (sum of its cells)."),
        },
    )

    def resolve_rows(published, info):
        return [
            SimpleNamespace(center=center, cells=cells, total=total)
            for center, cells, total in zip(
                published.centers, published.table.cells, published.table.row_totals, strict=True
            )
        ]

    return type(
        name,
        (graphene.ObjectType,),
        {
            "__doc__": description,
            "columns": graphene.List(graphene.NonNull(StatisticsColumn), required=True),
            "rows": graphene.List(graphene.NonNull(row), required=True),
            "totals": graphene.List(
                graphene.NonNull(cell), required=True, description="Column totals over all the centers."
            ),
            "grand_total": graphene.Field(cell, required=True),
            "resolve_columns": lambda published, info: published.columns,
            "resolve_rows": resolve_rows,
            "resolve_totals": lambda published, info: published.table.column_totals,
            "resolve_grand_total": lambda published, info: published.table.grand_total,
        },
    )


CountTable = _table_type("CountTable", CountCell, "Counts per center and category, with totals.")
AmountTable = _table_type("AmountTable", AmountCell, "Amounts per center and category, with totals.")


class FamiliesAndPersons(graphene.ObjectType):
    """Families (a case's household, or the case when it has none) and the persons in them."""

    families = graphene.Field(CountTable, required=True)
    persons = graphene.Field(CountTable, required=True)

    def resolve_families(self, info):
        return self["families"]

    def resolve_persons(self, info):
        return self["persons"]


class DecisionsByMonth(graphene.ObjectType):
    """Decisions issued in the period by month of issue, and the sum of their amounts (zł)."""

    decisions = graphene.Field(CountTable, required=True)
    amounts = graphene.Field(AmountTable, required=True)

    def resolve_decisions(self, info):
        return self["decisions"]

    def resolve_amounts(self, info):
        return self["amounts"]


class ProjectTargets(graphene.ObjectType):
    """Target values of the projects running in the period and what was achieved in it, by unit."""

    targets = graphene.Field(AmountTable, required=True, description="Planned values: never suppressed.")
    achieved = graphene.Field(AmountTable, required=True, description="Suppressed like counts.")

    def resolve_targets(self, info):
        return self["targets"]

    def resolve_achieved(self, info):
        return self["achieved"]


class PartnerStatistics(graphene.ObjectType):
    """Aggregate figures of a table of centers (a partner: the partnership's) for a published period — never a
    person. Counts between 1 and ``threshold`` minus one are hidden, and more cells where needed so that no hidden
    count can be recomputed from the others and the totals, even by combining lines. Asking for some centers only
    leaves out rows: the totals are always those of the whole table. Families or children in several categories
    are counted in each; totals are sums of the cells."""

    period = graphene.Field(Period, required=True)
    date_from = graphene.Date(required=True, name="from", description="The first day of the period.")
    date_to = graphene.Date(required=True, name="to", description="The last day of the period.")
    source = graphene.Field(FiguresSource, required=True)
    computed_at = graphene.DateTime(description="When the snapshot was computed (the oldest center's); null if live.")
    threshold = graphene.Int(required=True, description="The smallest count shown (besides zero).")
    centers = graphene.List(
        graphene.NonNull(StatisticsCenter), required=True, description="The centers whose rows are shown."
    )
    table_size = graphene.Int(
        required=True, description="How many centers the table (its suppression and totals) covers."
    )

    def resolve_period(self, info):
        window = self.window
        return SimpleNamespace(
            kind=window.kind,
            year=window.year,
            number=window.number,
            key=window.key,
            date_from=window.date_from,
            date_to=window.date_to,
        )

    def resolve_centers(self, info):
        return self.shown

    def resolve_table_size(self, info):
        return len(self.centers)

    by_reason = graphene.Field(FamiliesAndPersons, required=True, description="By art. 7 reason (open cases).")
    by_form_of_help = graphene.Field(FamiliesAndPersons, required=True, description="By form of help granted.")
    decisions_by_month = graphene.Field(DecisionsByMonth, required=True)
    children_by_family_kind = graphene.Field(
        CountTable, required=True, description="Children in foster care in the period, by kind of foster family."
    )
    project_targets = graphene.Field(ProjectTargets, required=True)

    def resolve_by_reason(self, info):
        return self.by_reason

    def resolve_by_form_of_help(self, info):
        return self.by_form_of_help

    def resolve_decisions_by_month(self, info):
        return self.decisions_by_month

    def resolve_children_by_family_kind(self, info):
        return self.children_by_family_kind

    def resolve_project_targets(self, info):
        return self.project_targets
