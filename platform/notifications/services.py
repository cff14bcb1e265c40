"""Reminders and the in-app inbox of staff members.

``send_reminders`` (run daily in each center's schema by the ``notifications.reminders`` task) finds what falls due
within the center's ``days_ahead`` working days or is overdue — planned community interviews, applications awaiting
a decision, planned foster-care assessments — and creates one Notification per (recipient, object, kind): a second
run the same day, or the next day, creates nothing new; an item that becomes overdue after its "due soon" reminder
gets one "overdue" reminder. New notifications are e-mailed after the commit, once, in the recipient's language.

The inbox services act only on the caller's own notifications: another user's id is "not found"."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import schema_context

from ostoja.modules.cases.models import Application, CaseStatus, DelayNotice, Interview
from ostoja.modules.foster_care.models import Assessment, Placement
from ostoja.platform.audit.services import diff, record, snapshot
from ostoja.platform.errors import NotFound, ValidationFailed
from ostoja.platform.notifications.models import Notification, NotificationSettings
from ostoja.platform.staff.access import require_role, staff_profile
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.calendar import WorkingDays

logger = logging.getLogger(__name__)

REMINDERS_OBJECT_TYPE = "notifications.reminders"
MAX_IDS = 100
MAX_DAYS_AHEAD = 60
SETTINGS_ROLES = (Role.DIRECTOR, Role.DEPUTY_DIRECTOR, Role.ADMINISTRATOR)

MESSAGES = {
    (Notification.Subject.INTERVIEW, Notification.Kind.DUE_SOON): _(
        "The community interview in case %(case)s is due on %(date)s."
    ),
    (Notification.Subject.INTERVIEW, Notification.Kind.OVERDUE): _(
        "The community interview in case %(case)s was due on %(date)s and has not been carried out."
    ),
    (Notification.Subject.DECISION, Notification.Kind.DUE_SOON): _(
        "The decision on the application of %(received)s in case %(case)s is due on %(date)s."
    ),
    (Notification.Subject.DECISION, Notification.Kind.OVERDUE): _(
        "The decision on the application of %(received)s in case %(case)s was due on %(date)s and has not been issued."
    ),
    (Notification.Subject.ASSESSMENT, Notification.Kind.DUE_SOON): _(
        "The assessment (%(what)s) in the foster family %(family)s is due on %(date)s."
    ),
    (Notification.Subject.ASSESSMENT, Notification.Kind.OVERDUE): _(
        "The assessment (%(what)s) in the foster family %(family)s was due on %(date)s and has not been done."
    ),
}
EMAIL_SUBJECTS = {
    Notification.Kind.DUE_SOON: _("Ostoja: a deadline is coming up"),
    Notification.Kind.OVERDUE: _("Ostoja: a deadline has passed"),
}
EMAIL_FOOTER = _("You can see all your notifications in Ostoja.")


def _today() -> date:
    return timezone.localdate()


# --- Finding what falls due ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """Something falling due (or overdue) and whom to remind of it. ``params`` fill the message; values that are
    dates are formatted in the recipient's language."""

    subject: str
    object_type: str
    object_id: int
    due_on: date
    recipients: tuple[int, ...]
    params: tuple[tuple[str, object], ...]


def _directors() -> tuple[int, ...]:
    return tuple(
        StaffProfile.objects.filter(roles__contains=[Role.DIRECTOR], user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def _interviews(horizon: date):
    rows = (
        Interview.objects.filter(status=Interview.Status.PLANNED, due_on__lte=horizon)
        .exclude(case__status=CaseStatus.CLOSED)
        .annotate(recipient=Coalesce("assigned_to__user_id", "case__worker__user_id"))
        .values_list("pk", "due_on", "recipient", "case_id")
    )
    for pk, due_on, recipient, case_id in rows:
        if recipient is not None:
            yield Due(Notification.Subject.INTERVIEW, "Interview", pk, due_on, (recipient,), (("case", case_id),))


def _decisions(horizon: date):
    """Applications without a decision; the due date is the one of the latest notice of delay (KPA art. 36) if it
    moved it. The case worker is reminded, or the directors when nobody is assigned."""
    extended = DelayNotice.objects.filter(application=OuterRef("pk"), kind=DelayNotice.Kind.NOTICE).values(
        "application"
    )
    rows = (
        Application.objects.filter(decided_on__isnull=True)
        .exclude(case__status=CaseStatus.CLOSED)
        .annotate(
            extended_to=Subquery(extended.annotate(latest=Max("new_due_on")).values("latest")[:1]),
            due=Greatest(F("decision_due_on"), Coalesce("extended_to", F("decision_due_on"))),
        )
        .filter(due__lte=horizon)
        .values_list("pk", "due", "case__worker__user_id", "case_id", "received_on")
    )
    directors = None
    for pk, due, worker, case_id, received_on in rows:
        if worker is None and directors is None:
            directors = _directors()
        recipients = (worker,) if worker is not None else directors
        params = (("case", case_id), ("received", received_on))
        yield Due(Notification.Subject.DECISION, "Application", pk, due, recipients, params)


def _assessments(horizon: date):
    """Planned assessments; the family's coordinator (a child's: the coordinator of the family it is placed in)."""
    current = Placement.objects.filter(child=OuterRef("child_id"), end_on__isnull=True)
    rows = (
        Assessment.objects.filter(status=Assessment.Status.PLANNED, due_on__lte=horizon)
        .annotate(
            child_family=Subquery(current.values("family__name")[:1]),
            child_coordinator=Subquery(current.values("family__coordinator__user_id")[:1]),
        )
        .values_list(
            "pk",
            "due_on",
            "subject",
            "family__name",
            "family__coordinator__user_id",
            "child_family",
            "child_coordinator",
        )
    )
    for pk, due_on, subject, family, coordinator, child_family, child_coordinator in rows:
        if subject == Assessment.Subject.CHILD:
            family, coordinator = child_family, child_coordinator
        if coordinator is not None:
            what = Assessment.Subject(subject).label
            params = (("what", what), ("family", family))
            yield Due(Notification.Subject.ASSESSMENT, "Assessment", pk, due_on, (coordinator,), params)


def render(subject: str, kind: str, due_on: date, params) -> str:
    """The message in the active language."""
    values = {"date": formats.date_format(due_on, "SHORT_DATE_FORMAT")}
    for key, value in params:
        values[key] = formats.date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, date) else str(value)
    return str(MESSAGES[(subject, kind)]) % values


# --- The daily run -------------------------------------------------------------------------------------------------


def send_reminders(*, today: date | None = None) -> int:
    """Create the reminders due today in the current center (idempotent); returns how many were created now.
    The new ones are e-mailed after the commit."""
    today = today or _today()
    conf = NotificationSettings.load()
    horizon = WorkingDays.for_current_center().add(today, conf.days_ahead)
    found = [*_interviews(horizon), *_decisions(horizon), *_assessments(horizon)]
    users = {
        user.pk: user
        for user in get_user_model().objects.filter(
            pk__in={r for item in found for r in item.recipients}, is_active=True
        )
    }
    existing = _existing_keys(found)
    created: list[Notification] = []
    with transaction.atomic():
        for item in found:
            kind = Notification.Kind.OVERDUE if item.due_on < today else Notification.Kind.DUE_SOON
            for recipient in item.recipients:
                user = users.get(recipient)
                if user is None or (recipient, item.object_type, item.object_id, kind) in existing:
                    continue
                with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                    message = render(item.subject, kind, item.due_on, item.params)
                notification, was_created = Notification.objects.get_or_create(
                    recipient=user,
                    object_type=item.object_type,
                    object_id=item.object_id,
                    kind=kind,
                    defaults={"subject": item.subject, "due_on": item.due_on, "message": message},
                )
                if was_created:
                    created.append(notification)
        if created:
            record(
                None,
                "action",
                object_type=REMINDERS_OBJECT_TYPE,
                object_id=today.isoformat(),
                message=f"created={len(created)}",
            )
            # NOTIFICATIONS_SEND_EMAIL (platform-wide switch, default on) and the center's own setting
            if conf.send_email and settings.NOTIFICATIONS_SEND_EMAIL and settings.EMAIL_BACKEND:
                ids = [n.pk for n in created if users[n.recipient_id].email]
                schema = connection.schema_name
                transaction.on_commit(lambda: _email(schema, ids))
    return len(created)


def _existing_keys(found: list[Due]) -> set[tuple]:
    """The (recipient, object type, object id, kind) of the reminders sent already, in one query: a daily run
    with many long-overdue items does not look each one up again (get_or_create still guards the rest)."""
    by_type: dict[str, set[int]] = {}
    for item in found:
        by_type.setdefault(item.object_type, set()).add(item.object_id)
    if not by_type:
        return set()
    condition = None
    for object_type, ids in by_type.items():
        q = Q(object_type=object_type, object_id__in=ids)
        condition = q if condition is None else condition | q
    return set(Notification.objects.filter(condition).values_list("recipient_id", "object_type", "object_id", "kind"))


def _email(schema: str, ids: list[int]) -> None:
    """E-mail each notification once: it is claimed (``emailed_at``) before it is sent, so a repeated call sends
    nothing; a failed send is logged and not retried."""
    with schema_context(schema):
        for notification in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related(
            "recipient"
        ):
            claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            if not claimed:
                continue
            user = notification.recipient
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                subject = str(EMAIL_SUBJECTS[notification.kind])
                body = f"{notification.message}\n\n{EMAIL_FOOTER}\n"
            try:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            except Exception:  # an unreachable mail server must not undo the reminders
                logger.exception("Could not e-mail notification %s in %s", notification.pk, schema)


# --- Settings ------------------------------------------------------------------------------------------------------


def update_settings(actor, *, days_ahead: int | None = None, send_email: bool | None = None) -> NotificationSettings:
    """Change the center's reminder settings (directors and administrators); audited."""
    require_role(actor, *SETTINGS_ROLES)
    if days_ahead is not None and (
        not isinstance(days_ahead, int) or isinstance(days_ahead, bool) or not 0 <= days_ahead <= MAX_DAYS_AHEAD
    ):
        raise ValidationFailed(
            _("Remind from 0 to %(max)s working days ahead."),
            code="invalid_days_ahead",
            field="days_ahead",
            params={"max": MAX_DAYS_AHEAD},
        )
    names = ["days_ahead", "send_email"]
    with transaction.atomic():
        row, _created = NotificationSettings.objects.select_for_update().get_or_create(pk=1)
        before = snapshot(row, names)
        if days_ahead is not None:
            row.days_ahead = days_ahead
        if send_email is not None:
            row.send_email = bool(send_email)
        row.save()
        changes = diff(before, snapshot(row, names))
        if changes:
            record(actor, "update", row, changes=changes)
    return row


# --- The inbox -----------------------------------------------------------------------------------------------------


def my_notifications(actor, *, unread: bool | None = None):
    """The caller's notifications, newest first; ``unread`` True/False narrows to unread/read ones."""
    staff_profile(actor)
    queryset = Notification.objects.filter(recipient_id=actor.pk)
    if unread is not None:
        queryset = queryset.filter(read_at__isnull=unread)
    return queryset.order_by("-created_at", "-id")


def access_notification(actor, pk: int) -> Notification:
    staff_profile(actor)
    notification = Notification.objects.filter(pk=pk, recipient_id=actor.pk).first()
    if notification is None:
        raise NotFound(code="notification_not_found")
    return notification


def unread_count(actor) -> int:
    return my_notifications(actor, unread=True).count()


def mark_read(actor, ids) -> list[Notification]:
    """Mark the caller's notifications ``ids`` read (those read already keep their time). Any id that is not one
    of the caller's notifications: NotFound, and nothing is marked."""
    staff_profile(actor)
    ids = list(dict.fromkeys(ids or ()))
    if not ids:
        raise ValidationFailed(_("Give at least one notification."), code="required", field="ids")
    if len(ids) > MAX_IDS:
        raise ValidationFailed(
            _("Give at most %(max)s notifications at once."), code="too_many", field="ids", params={"max": MAX_IDS}
        )
    own = Notification.objects.filter(recipient_id=actor.pk, pk__in=ids)
    if own.count() != len(ids):
        raise NotFound(code="notification_not_found", field="ids")
    own.filter(read_at__isnull=True).update(read_at=timezone.now())
    by_pk = {n.pk: n for n in own}
    return [by_pk[pk] for pk in ids]


def mark_all_read(actor) -> int:
    """Mark every unread notification of the caller read; returns how many were."""
    return my_notifications(actor, unread=True).update(read_at=timezone.now())


__all__ = [
    "Due",
    "access_notification",
    "mark_all_read",
    "mark_read",
    "my_notifications",
    "send_reminders",
    "unread_count",
    "update_settings",
]
