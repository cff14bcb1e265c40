"""Reminders (platform/notifications: the daily task notifications.reminders) and the staff inbox in GraphQL.

Most task behaviour runs eagerly (the ``eager`` fixture of tests/test_celery.py); one test runs the task in a real
worker for two centers."""

from datetime import date, timedelta
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context
from test_celery import (  # noqa: F401 (fixtures)
    _demo_centers_after_this_module,
    celery_worker,
    committed_centers,
    eager,
    wait_for,
)

from ostoja.graphql.core.ids import to_global_id
from ostoja.modules.cases.models import Application, Case, DelayNotice, Interview, Person
from ostoja.modules.foster_care.models import Assessment, FosterChild, FosterFamily, Placement
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.celery_app import app
from ostoja.platform.notifications import services
from ostoja.platform.notifications.models import Notification, NotificationSettings
from ostoja.platform.notifications.tasks import reminders
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import Closure

# Thursday before the May holidays: 1 May (Friday) is a public holiday, so 3 working days after 30 April end on
# Wednesday 6 May (4, 5, 6 May); 7 May is beyond.
TODAY = date(2026, 4, 30)
HORIZON = date(2026, 5, 6)
MARK = "Przypomnienie"
_serial = count(1)


def staff(slug, username, *roles, email="", language="pl"):
    with schema_context(slug):
        user = get_user_model().objects.create_user(
            username=username, email=email, preferred_language=language, first_name=username.title()
        )
        StaffProfile.objects.create(user=user, roles=list(roles) or [Role.SOCIAL_WORKER])
    return user


def case(worker=None) -> Case:
    person = Person.objects.create(
        first_name="Anna", last_name=f"{MARK}{next(_serial)}", date_of_birth=date(1980, 1, 1), sex="F"
    )
    return Case.objects.create(
        person=person, opened_on=TODAY - timedelta(days=20), status="interview", worker=worker and worker.staff_profile
    )


def application(worker=None, *, due_on=HORIZON, received_on=TODAY - timedelta(days=20)) -> Application:
    return Application.objects.create(case=case(worker), received_on=received_on, decision_due_on=due_on)


def interview(*, due_on, assigned=None, worker=None, decided=True) -> Interview:
    app_ = application(worker, due_on=TODAY + timedelta(days=60))
    if decided:  # only the interview is reminded of
        app_.decided_on = TODAY
        app_.save()
    return Interview.objects.create(
        case=app_.case, application=app_, due_on=due_on, assigned_to=assigned and assigned.staff_profile
    )


def family(coordinator=None, name="Rodzina Przypomnieniowa") -> FosterFamily:
    return FosterFamily.objects.create(name=name, kind="related", coordinator=coordinator and coordinator.staff_profile)


def run(slug, today=TODAY):
    with schema_context(slug):
        return reminders.delay(today.isoformat()).get()


def inbox(slug, user):
    with schema_context(slug):
        return list(
            Notification.objects.filter(recipient=user)
            .order_by("id")
            .values_list("subject", "object_type", "object_id", "kind", "due_on")
        )


# --- The task, eagerly ------------------------------------------------------------------------------------------


def test_the_task_is_scheduled_daily_for_every_center():
    entry = app.conf.beat_schedule["notifications.reminders"]
    assert entry["tenant_schemas"] is None  # every active center
    assert entry["schedule"].hour == {6} and entry["schedule"].minute == {0}


@pytest.mark.usefixtures("eager")
def test_interviews_due_within_working_days_or_overdue_remind_the_assigned_or_case_worker(torun):
    anna, bartek = staff("torun", "anna"), staff("torun", "bartek")
    with schema_context("torun"):
        soon = interview(due_on=HORIZON, assigned=anna, worker=bartek)  # 3 working days away (1 May a holiday)
        late = interview(due_on=TODAY - timedelta(days=1), worker=bartek)  # unassigned: the case worker
        interview(due_on=HORIZON + timedelta(days=1), assigned=anna)  # beyond the horizon
        done = interview(due_on=TODAY, assigned=anna)
        done.status = Interview.Status.CONDUCTED
        done.save()
        closed = interview(due_on=TODAY, assigned=anna)
        Case.objects.filter(pk=closed.case_id).update(status="closed", closed_on=TODAY)
        interview(due_on=TODAY)  # nobody to remind
    assert run("torun") == 2
    assert inbox("torun", anna) == [("interview", "Interview", soon.pk, "due_soon", HORIZON)]
    assert inbox("torun", bartek) == [("interview", "Interview", late.pk, "overdue", TODAY - timedelta(days=1))]


@pytest.mark.usefixtures("eager")
def test_the_centers_own_closures_are_no_working_days(torun):
    anna = staff("torun", "anna")
    with schema_context("torun"):
        item = interview(due_on=HORIZON + timedelta(days=1), assigned=anna)  # Thursday 7 May
        assert run("torun") == 0
        Closure.objects.create(date=date(2026, 5, 4), reason="Inwentaryzacja")  # Monday: the horizon moves a day
        assert run("torun") == 1
    assert inbox("torun", anna) == [("interview", "Interview", item.pk, "due_soon", HORIZON + timedelta(days=1))]


@pytest.mark.usefixtures("eager")
def test_decisions_remind_the_case_worker_or_the_directors_and_follow_a_notice_of_delay(torun):
    worker = staff("torun", "pracownik")
    director, deputy = staff("torun", "dyrektor", Role.DIRECTOR), staff("torun", "zastepca", Role.DEPUTY_DIRECTOR)
    with schema_context("torun"):
        soon = application(worker, due_on=TODAY)
        unassigned = application(due_on=TODAY - timedelta(days=3))
        decided = application(worker, due_on=TODAY)
        decided.decided_on = TODAY
        decided.save()
        delayed = application(worker, due_on=TODAY - timedelta(days=2))  # moved by a notice of delay
        DelayNotice.objects.create(
            application=delayed, kind="notice", new_due_on=TODAY + timedelta(days=30), recorded_on=TODAY
        )
        application(worker, due_on=HORIZON + timedelta(days=1))
    assert run("torun") == 2
    assert inbox("torun", worker) == [("decision", "Application", soon.pk, "due_soon", TODAY)]
    assert inbox("torun", director) == [
        ("decision", "Application", unassigned.pk, "overdue", TODAY - timedelta(days=3))
    ]
    assert inbox("torun", deputy) == []


@pytest.mark.usefixtures("eager")
def test_assessments_remind_the_coordinator_of_the_family_or_of_the_childs_family(torun):
    coordinator, other = staff("torun", "koordynator", Role.FOSTER_CARE_COORDINATOR), staff("torun", "inna")
    with schema_context("torun"):
        fam = family(coordinator)
        of_family = Assessment.objects.create(subject="family", family=fam, counted_from=TODAY, due_on=HORIZON)
        person = Person.objects.create(first_name="Kuba", last_name=MARK, date_of_birth=date(2015, 1, 1), sex="M")
        child = FosterChild.objects.create(person=person)
        Placement.objects.create(child=child, family=fam, start_on=date(2025, 1, 1), court_order_reference="x")
        of_child = Assessment.objects.create(
            subject="child", child=child, counted_from=TODAY, due_on=TODAY - timedelta(days=10)
        )
        later = family(other, name="Rodzina Późniejsza")
        Assessment.objects.create(subject="family", family=later, counted_from=TODAY, due_on=TODAY + timedelta(days=30))
        family(None, name="Bez koordynatora").assessments.create(subject="family", counted_from=TODAY, due_on=TODAY)
    assert run("torun") == 2
    assert sorted(inbox("torun", coordinator)) == [
        ("assessment", "Assessment", of_family.pk, "due_soon", HORIZON),
        ("assessment", "Assessment", of_child.pk, "overdue", TODAY - timedelta(days=10)),
    ]
    assert inbox("torun", other) == []
    with schema_context("torun"):
        message = Notification.objects.get(object_id=of_child.pk, object_type="Assessment").message
    assert "Rodzina Przypomnieniowa" in message and "Kuba" not in message


@pytest.mark.usefixtures("eager")
def test_a_second_run_creates_nothing_and_an_item_becoming_overdue_gets_one_overdue_reminder(torun):
    anna = staff("torun", "anna")
    with schema_context("torun"):
        item = interview(due_on=HORIZON, assigned=anna)
    assert run("torun") == 1
    assert run("torun") == 0
    assert run("torun", TODAY + timedelta(days=1)) == 0  # still due soon: no daily duplicate
    assert run("torun", HORIZON + timedelta(days=1)) == 1  # now overdue
    assert run("torun", HORIZON + timedelta(days=2)) == 0
    assert [row[3] for row in inbox("torun", anna)] == ["due_soon", "overdue"]
    with schema_context("torun"):
        assert Notification.objects.filter(object_id=item.pk).count() == 2
        # each run that created something is audited once
        assert AuditEntry.objects.filter(object_type=services.REMINDERS_OBJECT_TYPE).count() == 2


@pytest.mark.usefixtures("eager")
def test_days_ahead_is_a_setting_of_the_center(torun, slupsk):
    anna, ola = staff("torun", "anna"), staff("slupsk", "ola")
    with schema_context("torun"):
        NotificationSettings.objects.create(pk=1, days_ahead=0)
        interview(due_on=TODAY + timedelta(days=6), assigned=anna)  # Wednesday after the long weekend
    with schema_context("slupsk"):
        assert NotificationSettings.load().days_ahead == 3  # the default, without a row
        NotificationSettings.objects.create(pk=1, days_ahead=10)
        interview(due_on=TODAY + timedelta(days=6), assigned=ola)
    assert run("torun") == 0
    assert run("slupsk") == 1


@pytest.mark.usefixtures("eager")
def test_reminders_are_e_mailed_once_after_the_commit_in_the_recipients_language(
    torun, mailoutbox, django_capture_on_commit_callbacks
):
    polish = staff("torun", "anna", email="anna@example.org", language="pl")
    english = staff("torun", "john", email="john@example.org", language="en")
    no_email = staff("torun", "cezary")
    with schema_context("torun"):
        first = interview(due_on=HORIZON, assigned=polish)
        second = interview(due_on=TODAY - timedelta(days=1), assigned=english)
        interview(due_on=HORIZON, assigned=no_email)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert run("torun") == 3
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()  # runs in the public schema here: the callback switches to the center's itself
    with django_capture_on_commit_callbacks(execute=True):
        assert run("torun") == 0
    for callback in callbacks:  # a repeated delivery of the callback sends nothing again
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@example.org", "john@example.org"]
    mail = {m.to[0]: m for m in mailoutbox}
    with schema_context("torun"):
        en = Notification.objects.get(object_id=second.pk, object_type="Interview")
        pl = Notification.objects.get(object_id=first.pk, object_type="Interview")
        assert en.emailed_at and pl.emailed_at
        assert not Notification.objects.get(recipient=no_email).emailed_at
    case_no = second.case_id
    assert en.message == (
        f"The community interview in case {case_no} was due on 04/29/2026 and has not been carried out."
    )
    assert mail["john@example.org"].subject == "Ostoja: a deadline has passed"
    assert en.message in mail["john@example.org"].body
    assert "06-05-2026" in pl.message  # Polish date format: the message was rendered in Polish
    assert pl.message in mail["anna@example.org"].body


@pytest.mark.usefixtures("eager")
def test_e_mail_can_be_switched_off_per_center(torun, mailoutbox, django_capture_on_commit_callbacks):
    anna = staff("torun", "anna", email="anna@example.org")
    with schema_context("torun"):
        NotificationSettings.objects.create(pk=1, send_email=False)
        interview(due_on=HORIZON, assigned=anna)
    with django_capture_on_commit_callbacks(execute=True):
        assert run("torun") == 1
    assert mailoutbox == []


@pytest.mark.usefixtures("eager")
def test_e_mail_can_be_switched_off_for_the_platform(torun, mailoutbox, django_capture_on_commit_callbacks, settings):
    settings.NOTIFICATIONS_SEND_EMAIL = False
    anna = staff("torun", "anna", email="anna@example.org")
    with schema_context("torun"):
        interview(due_on=HORIZON, assigned=anna)
    with django_capture_on_commit_callbacks(execute=True):
        assert run("torun") == 1
    assert mailoutbox == []


@pytest.mark.usefixtures("eager")
def test_inactive_users_get_no_reminder(torun):
    anna = staff("torun", "anna")
    with schema_context("torun"):
        interview(due_on=HORIZON, assigned=anna)
        get_user_model().objects.filter(pk=anna.pk).update(is_active=False)
    assert run("torun") == 0


@pytest.mark.usefixtures("eager")
def test_a_repeated_run_looks_up_the_reminders_sent_in_one_statement(torun, count_sql):
    anna = staff("torun", "anna")
    with schema_context("torun"):
        interview(due_on=TODAY - timedelta(days=3), assigned=anna)
    assert run("torun") == 1
    with count_sql() as one:
        assert run("torun") == 0
    with schema_context("torun"):
        for _ in range(5):
            interview(due_on=TODAY - timedelta(days=3), assigned=anna)
    assert run("torun") == 5
    with count_sql() as six:
        assert run("torun") == 0
    assert six.n == one.n, six.queries


def test_settings_are_changed_by_directors_validated_and_audited(torun):
    from ostoja.platform.errors import PermissionDenied, ValidationFailed

    director, worker = staff("torun", "dyrektor", Role.DIRECTOR), staff("torun", "pracownik")
    with schema_context("torun"):
        with pytest.raises(PermissionDenied):
            services.update_settings(worker, days_ahead=5)
        for bad in (-1, 61, "3", True):
            with pytest.raises(ValidationFailed) as exc:
                services.update_settings(director, days_ahead=bad)
            assert exc.value.code == "invalid_days_ahead"
        row = services.update_settings(director, days_ahead=5, send_email=False)
        assert (row.days_ahead, row.send_email) == (5, False)
        assert NotificationSettings.load().days_ahead == 5
        entry = AuditEntry.objects.filter(action="update", object_type__icontains="notificationsettings").get()
        assert entry.changes == {"days_ahead": [3, 5], "send_email": [True, False]}


# --- A real worker ------------------------------------------------------------------------------------------------


def _remove_worker_rows():
    for slug in ("torun", "slupsk"):
        with schema_context(slug):
            Notification.objects.all().delete()
            AuditEntry.objects.filter(object_type=services.REMINDERS_OBJECT_TYPE).delete()
            Interview.objects.filter(case__person__last_name__startswith=MARK).delete()
            Case.objects.filter(person__last_name__startswith=MARK).delete()
            Person.objects.filter(last_name__startswith=MARK).delete()
            get_user_model().objects.filter(username__startswith="worker-").delete()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_reminds_in_each_centers_schema_once_however_often_delivered(committed_centers, celery_worker):  # noqa: F811
    try:
        users = {}
        for slug in ("torun", "slupsk"):
            users[slug] = staff(slug, f"worker-{slug}")
            with schema_context(slug):
                interview(due_on=HORIZON, assigned=users[slug])
                interview(due_on=TODAY - timedelta(days=2), assigned=users[slug])
        messages = []
        for slug in ("torun", "slupsk", "torun"):  # Toruń delivered twice
            with schema_context(slug):
                messages.append(reminders.delay(TODAY.isoformat()))
        log = celery_worker.log
        for message in messages:
            wait_for(lambda m=message: any(f"[{m.id}] succeeded" in line for line in log), what="a run", log=log)
        for slug in ("torun", "slupsk"):
            assert sorted(row[3] for row in inbox(slug, users[slug])) == ["due_soon", "overdue"]
            with schema_context(slug):
                assert Notification.objects.count() == 2  # nothing from the other center
                assert AuditEntry.objects.filter(object_type=services.REMINDERS_OBJECT_TYPE).count() == 1
        succeeded = [line for line in log if "notifications.reminders" in line and "succeeded" in line]
        assert sorted(line.rsplit(" ", 1)[-1] for line in succeeded) == ["0", "2", "2"], succeeded
    finally:
        _remove_worker_rows()


# --- GraphQL ------------------------------------------------------------------------------------------------------

INBOX = """query($unread: Boolean) {
  notifications(unread: $unread, first: 10) {
    totalCount
    edges { node { id kind subject message objectType objectId dueOn createdAt readAt isRead } }
  }
  unreadNotificationCount
}"""
MARK_READ = """mutation($ids: [ID!]!) {
  markNotificationsRead(ids: $ids) { notifications { id isRead readAt } errors { field code message } }
}"""
MARK_ALL = "mutation { markAllNotificationsRead { marked errors { field code } } }"


def note(slug, user, object_id, *, kind="due_soon", read=False):
    with schema_context(slug):
        return Notification.objects.create(
            recipient=user,
            kind=kind,
            subject="interview",
            object_type="Interview",
            object_id=object_id,
            due_on=TODAY,
            message=f"Reminder {object_id}",
            read_at=timezone.now() if read else None,
        )


def gid(slug, type_name, pk):
    with schema_context(slug):
        return to_global_id(type_name, pk)


@pytest.fixture
def two(torun, slupsk):
    anna, bartek, ola = staff("torun", "anna"), staff("torun", "bartek"), staff("slupsk", "ola")
    return anna, bartek, ola


def test_inbox_lists_own_notifications_newest_first_with_unread_filter_and_count(gql, two):
    anna, bartek, _ola = two
    old = note("torun", anna, 1, read=True)
    new = note("torun", anna, 2, kind="overdue")
    note("torun", bartek, 3)
    data = gql("torun", user=anna).data(INBOX)
    nodes = [e["node"] for e in data["notifications"]["edges"]]
    assert [n["id"] for n in nodes] == [
        gid("torun", "StaffNotification", new.pk),
        gid("torun", "StaffNotification", old.pk),
    ]
    assert nodes[0]["kind"] == "OVERDUE" and nodes[0]["subject"] == "INTERVIEW"
    assert nodes[0]["objectType"] == "Interview" and nodes[0]["objectId"] == gid("torun", "Interview", 2)
    assert nodes[0]["message"] == "Reminder 2" and nodes[0]["dueOn"] == TODAY.isoformat()
    assert nodes[0]["readAt"] is None and not nodes[0]["isRead"] and nodes[1]["isRead"]
    assert data["unreadNotificationCount"] == 1
    unread = gql("torun", user=anna).data(INBOX, {"unread": True})["notifications"]
    assert unread["totalCount"] == 1 and unread["edges"][0]["node"]["id"] == nodes[0]["id"]
    assert gql("torun", user=anna).data(INBOX, {"unread": False})["notifications"]["totalCount"] == 1


def test_node_fetches_only_own_notification(gql, two, codes):
    anna, bartek, _ola = two
    mine = gid("torun", "StaffNotification", note("torun", anna, 1).pk)
    query = "query($id: ID!) { node(id: $id) { ... on StaffNotification { message } } }"
    assert gql("torun", user=anna).data(query, {"id": mine})["node"]["message"] == "Reminder 1"
    body = gql("torun", user=bartek)(query, {"id": mine})
    assert body["data"]["node"] is None and codes(body) == ["notification_not_found"]


def test_mark_read_and_mark_all_read(gql, two, codes):
    anna, bartek, _ola = two
    first, second, third = (note("torun", anna, i) for i in (1, 2, 3))
    client = gql("torun", user=anna)
    ids = [gid("torun", "StaffNotification", n.pk) for n in (first, second)]
    payload = client.mutate(MARK_READ, {"ids": ids})
    assert payload["errors"] == []
    assert [n["id"] for n in payload["notifications"]] == ids and all(n["isRead"] for n in payload["notifications"])
    read_at = payload["notifications"][0]["readAt"]
    again = client.mutate(MARK_READ, {"ids": ids[:1]})  # read already: the time is kept
    assert again["notifications"][0]["readAt"] == read_at
    assert client.data(INBOX)["unreadNotificationCount"] == 1
    bartek_note = note("torun", bartek, 4)
    assert client.mutate(MARK_ALL) == {"marked": 1, "errors": []}
    assert client.mutate(MARK_ALL) == {"marked": 0, "errors": []}
    with schema_context("torun"):
        assert Notification.objects.get(pk=third.pk).read_at is not None
        assert Notification.objects.get(pk=bartek_note.pk).read_at is None  # only one's own


def test_mark_read_validation_and_other_users_or_centers_notifications_not_found(gql, two, codes):
    anna, bartek, ola = two
    mine = note("torun", anna, 1)
    bartek_note = note("torun", bartek, 2)
    ola_note = note("slupsk", ola, 3)
    client = gql("torun", user=anna)
    assert codes(client.mutate(MARK_READ, {"ids": []})) == ["REQUIRED"]
    assert codes(client.mutate(MARK_READ, {"ids": ["nonsense"]})) == ["INVALID_ID"]
    assert codes(client.mutate(MARK_READ, {"ids": [gid("torun", "Interview", 1)]})) == ["INVALID_ID"]
    too_many = [gid("torun", "StaffNotification", i) for i in range(1, 102)]
    assert codes(client.mutate(MARK_READ, {"ids": too_many})) == ["TOO_MANY"]
    other_user = [gid("torun", "StaffNotification", mine.pk), gid("torun", "StaffNotification", bartek_note.pk)]
    payload = client.mutate(MARK_READ, {"ids": other_user})
    assert codes(payload) == ["NOTIFICATION_NOT_FOUND"] and payload["errors"][0]["field"] == "ids"
    other_center = gid("slupsk", "StaffNotification", ola_note.pk)
    assert codes(client.mutate(MARK_READ, {"ids": [other_center]})) == ["NOT_FOUND"]
    with schema_context("torun"):
        assert Notification.objects.get(pk=mine.pk).read_at is None  # nothing was marked
        assert Notification.objects.get(pk=bartek_note.pk).read_at is None
    with schema_context("slupsk"):
        assert Notification.objects.get(pk=ola_note.pk).read_at is None
    # the same primary key in another center is another center's row: Toruń's list does not show it
    assert client.data(INBOX)["notifications"]["totalCount"] == 1


def test_anonymous_is_refused(gql, two, codes):
    anonymous = gql("torun")
    assert codes(anonymous(INBOX)) == ["not_authenticated", "not_authenticated"]  # both fields
    assert codes(anonymous("{ unreadNotificationCount }")) == ["not_authenticated"]
    assert codes(anonymous.mutate(MARK_ALL)) == ["NOT_AUTHENTICATED"]
    ids = [gid("torun", "StaffNotification", 1)]
    assert codes(anonymous.mutate(MARK_READ, {"ids": ids})) == ["NOT_AUTHENTICATED"]


def test_the_inbox_costs_the_same_statements_for_any_number_of_notifications(gql, two, count_sql):
    anna, _bartek, _ola = two
    note("torun", anna, 1)
    client = gql("torun", user=anna)
    client.data(INBOX)  # the session and the profile are loaded the same way each time
    with count_sql() as one:
        client.data(INBOX)
    for i in range(2, 8):
        note("torun", anna, i)
    with count_sql() as seven:
        assert client.data(INBOX)["notifications"]["totalCount"] == 7
    assert seven.n == one.n, seven.queries
