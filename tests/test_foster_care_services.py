"""Foster care: the statutory rules, permissions and audit of modules/foster_care/services.py."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.foster_care import services
from ostoja.modules.foster_care.models import (
    Assessment,
    Candidate,
    FamilyKind,
    FamilyMember,
    FosterChild,
    FosterFamily,
    IrregularityReport,
    Notification,
    ParentMeeting,
    Placement,
    Relation,
)
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

TODAY = date.today()
_serial = count(100)
# django-tenants precedes every statement with SET search_path (TENANT_LIMIT_SET_CALLS stays off, DESIGN.md §2),
# so N statements are 2 * N queries for django_assert_num_queries.
SQL = 2


@pytest.fixture
def gd(gdansk, in_schema):
    with in_schema("gdansk"):
        yield gdansk


@pytest.fixture
def make_staff(gd):
    def _make(username, *roles):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Test")
        StaffProfile.objects.create(user=user, roles=list(roles))
        return user

    return _make


@pytest.fixture
def coordinator(make_staff):
    return make_staff("koordynatorka", Role.FOSTER_CARE_COORDINATOR)


def person(born: date, sex=Sex.FEMALE, last_name="Kowalska", first_name="Zofia") -> Person:
    return Person.objects.create(
        first_name=first_name, last_name=last_name, pesel=make_pesel(born, next(_serial), sex), sex=sex
    )


def years_ago(years: int, days: int = 0) -> date:
    return services.birthday(TODAY, -years) - timedelta(days=days)


def family(actor, kind=FamilyKind.PROFESSIONAL, name="Rodzina Nowaków", relation=Relation.NOT_RELATED):
    adult = person(years_ago(45), last_name="Nowak", first_name="Ewa")
    return services.create_family(actor, name=name, kind=kind, members=[(adult.pk, relation)], city="Gdańsk")


def child(actor, born: date | None = None, **kwargs) -> FosterChild:
    return services.register_child(actor, person(born or years_ago(8)).pk, **kwargs)


def place(actor, kid, fam, start_on=None, **kwargs) -> Placement:
    return services.place_child(
        actor,
        kid.pk,
        fam.pk,
        start_on=start_on or TODAY - timedelta(days=10),
        court_order_reference="III Nsm 123/25",
        reason="Bezradność opiekuńczo-wychowawcza rodziców.",
        **kwargs,
    )


# --- coordinators -------------------------------------------------------------------------------


def test_coordinator_may_have_15_families_and_the_16th_is_refused(coordinator, make_staff):
    director = make_staff("dyrektor", Role.DIRECTOR)
    profile = StaffProfile.objects.get(user=coordinator)
    families = [family(director, name=f"Rodzina {i}") for i in range(16)]
    for fam in families[:15]:
        services.assign_coordinator(director, fam.pk, profile.pk)
    assert FosterFamily.objects.filter(coordinator=profile).count() == 15

    with pytest.raises(Conflict) as refused:
        services.assign_coordinator(director, families[15].pk, profile.pk)
    assert refused.value.code == "coordinator_limit"
    assert "Koordynatorka Test" in refused.value.message and "15" in refused.value.message
    assert FosterFamily.objects.get(pk=families[15].pk).coordinator is None

    # A dissolved family no longer counts: its place can be taken.
    services.change_family_status(director, families[0].pk, FosterFamily.Status.DISSOLVED)
    services.assign_coordinator(director, families[15].pk, profile.pk)


def test_only_a_coordinator_can_be_assigned(make_staff):
    director = make_staff("dyrektor", Role.DIRECTOR)
    worker = make_staff("pracownik", Role.SOCIAL_WORKER)
    with pytest.raises(ValidationFailed) as refused:
        services.assign_coordinator(director, family(director).pk, StaffProfile.objects.get(user=worker).pk)
    assert refused.value.code == "not_coordinator"


def test_assignment_locks_the_coordinator_row(coordinator):
    fam = family(coordinator)
    profile = StaffProfile.objects.get(user=coordinator)
    with CaptureQueriesContext(connection) as ctx:
        services.assign_coordinator(coordinator, fam.pk, profile.pk)
    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert any('FROM "staff_staffprofile"' in sql for sql in locking)


# --- family kinds -------------------------------------------------------------------------------


def test_related_family_refuses_a_member_who_is_not_an_ascendant_or_sibling(coordinator):
    grandmother = person(years_ago(62), first_name="Halina")
    aunt = person(years_ago(40), first_name="Beata")
    with pytest.raises(ValidationFailed) as refused:
        services.create_family(
            coordinator,
            name="Rodzina spokrewniona",
            kind=FamilyKind.RELATED,
            members=[(grandmother.pk, Relation.GRANDPARENT), (aunt.pk, Relation.OTHER_RELATIVE)],
        )
    assert refused.value.code == "related_family_relation"
    assert not FosterFamily.objects.exists()

    fam = services.create_family(
        coordinator, name="Rodzina spokrewniona", kind=FamilyKind.RELATED, members=[(grandmother.pk, "grandparent")]
    )
    with pytest.raises(ValidationFailed) as refused:
        services.add_family_member(coordinator, fam.pk, aunt.pk, Relation.NOT_RELATED)
    assert refused.value.code == "related_family_relation"
    brother = person(years_ago(24), sex=Sex.MALE, first_name="Marek")
    services.add_family_member(coordinator, fam.pk, brother.pk, Relation.SIBLING)
    assert FamilyMember.objects.filter(family=fam).count() == 2
    # A non-related family may have anyone.
    services.add_family_member(coordinator, family(coordinator).pk, aunt.pk, Relation.OTHER_RELATIVE)


def test_family_childrens_home_refuses_a_9th_child(coordinator):
    home = family(coordinator, kind=FamilyKind.FAMILY_HOME, name="Rodzinny dom dziecka")
    for _ in range(8):
        place(coordinator, child(coordinator), home)
    ninth = child(coordinator)
    with pytest.raises(Conflict) as refused:
        place(coordinator, ninth, home)
    assert refused.value.code == "family_home_full"
    assert "8" in refused.value.message
    assert Placement.objects.filter(family=home, end_on__isnull=True).count() == 8
    # When a child leaves, there is room again.
    services.end_placement(
        coordinator, Placement.objects.filter(family=home).first().pk, end_on=TODAY, reason="return_home"
    )
    place(coordinator, ninth, home)


def test_foster_family_takes_3_children_and_more_only_for_siblings_with_consent(coordinator):
    fam = family(coordinator, kind=FamilyKind.NON_PROFESSIONAL)
    kids = [child(coordinator) for _ in range(3)]
    for kid in kids:
        place(coordinator, kid, fam)
    stranger = child(coordinator)
    with pytest.raises(Conflict) as refused:
        place(coordinator, stranger, fam, family_consents_to_siblings_over_limit=True)
    assert refused.value.code == "family_full"

    sister = child(coordinator, sibling_of=kids[0].pk)
    with pytest.raises(Conflict):
        place(coordinator, sister, fam)  # a sibling, but no consent recorded
    placement = place(coordinator, sister, fam, family_consents_to_siblings_over_limit=True)
    assert placement.over_limit_with_consent and placement.siblings_together
    assert Placement.objects.get(child=kids[0]).siblings_together
    assert not Placement.objects.get(child=kids[1]).siblings_together


def test_child_cannot_have_two_current_placements(coordinator):
    kid = child(coordinator)
    place(coordinator, kid, family(coordinator, name="A"))
    with pytest.raises(Conflict) as refused:
        place(coordinator, kid, family(coordinator, name="B"))
    assert refused.value.code == "already_placed"


def test_marking_siblings_later_flags_their_placements_together(coordinator):
    fam = family(coordinator)
    first, second = child(coordinator), child(coordinator)
    place(coordinator, first, fam)
    place(coordinator, second, fam)
    assert not Placement.objects.filter(siblings_together=True).exists()
    services.mark_siblings(coordinator, [first.pk, second.pk])
    assert Placement.objects.filter(siblings_together=True).count() == 2


# --- candidates -----------------------------------------------------------------------------------


def test_candidate_becomes_a_family_after_training_and_qualification(coordinator):
    applicant = person(years_ago(35), first_name="Joanna")
    candidate = services.register_candidate(
        coordinator,
        name="Joanna Kowalska",
        desired_kind=FamilyKind.PROFESSIONAL,
        applied_on=TODAY - timedelta(days=90),
        persons=[(applicant.pk, Relation.NOT_RELATED)],
        recruitment_source="Zostań rodziną zastępczą",
        city="Gdańsk",
    )
    with pytest.raises(Conflict) as refused:
        services.qualify_candidate(coordinator, candidate.pk, qualified_on=TODAY, qualification_reference="Z/1/25")
    assert refused.value.code == "training_not_completed"
    services.refer_candidate_to_training(
        coordinator, candidate.pk, referred_on=TODAY - timedelta(days=80), training_name="PRIDE"
    )
    services.record_training_completed(coordinator, candidate.pk, completed_on=TODAY - timedelta(days=10))
    fam = services.qualify_candidate(coordinator, candidate.pk, qualified_on=TODAY, qualification_reference="Z/1/25")
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.QUALIFIED and candidate.family == fam
    assert fam.kind == FamilyKind.PROFESSIONAL and fam.city == "Gdańsk"
    assert list(fam.members.values_list("person_id", flat=True)) == [applicant.pk]
    with pytest.raises(Conflict):
        services.qualify_candidate(coordinator, candidate.pk, qualified_on=TODAY, qualification_reference="Z/1/25")


# --- assessments ----------------------------------------------------------------------------------


def test_child_under_3_is_assessed_every_3_months_older_every_6(coordinator):
    fam = family(coordinator)
    start = date(2025, 1, 15)
    baby = child(coordinator, born=date(2023, 6, 1))
    older = child(coordinator, born=date(2019, 6, 1))
    place(coordinator, baby, fam, start_on=start)
    place(coordinator, older, fam, start_on=start)
    assert Assessment.objects.get(child=baby, status="planned").due_on == date(2025, 4, 15)
    assert Assessment.objects.get(child=older, status="planned").due_on == date(2025, 7, 15)

    # Recorded: the next one counts from the day it was performed, at the child's age then.
    planned = Assessment.objects.get(child=baby, status="planned")
    _, following = services.record_assessment(
        coordinator, planned.pk, performed_on=date(2025, 4, 10), result="positive", conclusions="OK"
    )
    assert following.due_on == date(2025, 7, 10) and following.sequence == 2
    planned = following
    _, following = services.record_assessment(coordinator, planned.pk, performed_on=date(2026, 6, 2), result="positive")
    assert following.due_on == date(2026, 12, 2)  # turned 3 on 2026-06-01: every 6 months now


def test_family_is_assessed_after_its_first_year_then_yearly_then_every_3_years(coordinator):
    fam = family(coordinator)
    place(coordinator, child(coordinator), fam, start_on=date(2024, 3, 1))
    first = Assessment.objects.get(family=fam, status="planned")
    assert (first.sequence, first.due_on) == (1, date(2025, 3, 1))
    _, second = services.record_assessment(coordinator, first.pk, performed_on=date(2025, 2, 20), result="positive")
    assert second.due_on == date(2026, 2, 20)
    _, third = services.record_assessment(coordinator, second.pk, performed_on=date(2026, 2, 10), result="positive")
    assert third.due_on == date(2029, 2, 10)
    # A second child does not restart the family's schedule.
    place(coordinator, child(coordinator), fam, start_on=date(2026, 3, 1))
    assert Assessment.objects.filter(family=fam, status="planned").get().pk == third.pk


def test_intervals_are_center_settings_and_changing_them_moves_planned_due_dates(coordinator, make_staff):
    director = make_staff("dyrektor", Role.DIRECTOR)
    fam = family(coordinator)
    kid = child(coordinator, born=date(2015, 1, 1))
    place(coordinator, kid, fam, start_on=date(2025, 1, 10))
    with pytest.raises(PermissionDenied):
        services.update_settings(coordinator, child_interval_months=4)
    with pytest.raises(ValidationFailed) as refused:
        services.update_settings(director, child_interval_months=0)
    assert refused.value.code == "invalid_interval"
    services.update_settings(director, child_interval_months=4, family_first_assessment_months=6)
    assert Assessment.objects.get(child=kid, status="planned").due_on == date(2025, 5, 10)
    assert Assessment.objects.get(family=fam, status="planned").due_on == date(2025, 7, 10)
    entry = AuditEntry.objects.get(object_type="foster_care.fostercaresettings")
    assert entry.changes["child_interval_months"] == [6, 4]


def test_overdue_assessments_are_listed_in_a_constant_number_of_queries(
    coordinator, make_staff, django_assert_num_queries
):
    coordinator_profile = StaffProfile.objects.get(user=coordinator)
    for index in range(4):
        fam = family(coordinator, name=f"Rodzina {index}")
        services.assign_coordinator(coordinator, fam.pk, coordinator_profile.pk)
        for _ in range(2):
            place(coordinator, child(coordinator), fam, start_on=date(2024, 1, 1) + timedelta(days=index))
    recent = family(coordinator, name="Nowa")
    place(coordinator, child(coordinator), recent, start_on=TODAY - timedelta(days=5))  # nothing overdue yet

    auditor = make_staff("audytor", Role.AUDITOR)
    with django_assert_num_queries(3 * SQL):  # staff profile, count, page
        page = services.list_overdue_assessments(auditor, today=TODAY, per_page=50)
        rows = [(a.subject, str(a.child or a.family), a.family and a.family.coordinator) for a in page.items]
    assert page.total == 12 == len(rows)  # 8 children and 4 families overdue, nothing of the new family
    assert [a.due_on for a in page.items] == sorted(a.due_on for a in page.items)
    assert all(a.due_on < TODAY for a in page.items)
    with django_assert_num_queries(2 * SQL):  # count, page
        second = services.list_overdue_assessments(auditor, today=TODAY, page=2, per_page=5)
        [str(a) for a in second.items]
    assert len(second.items) == 5 and second.pages == 3


def test_children_list_with_current_placement_and_next_assessment_in_constant_queries(
    coordinator, django_assert_num_queries
):
    for index in range(3):
        fam = family(coordinator, name=f"Rodzina {index}")
        for _ in range(3):
            place(coordinator, child(coordinator), fam)
    for per_page in (2, 9):
        with django_assert_num_queries(5 * SQL):  # count, children, placements, assessments, audit entry
            page = services.list_children(coordinator, per_page=per_page)
            rows = [(c.person.last_name, c.current_placement.family.name, c.next_assessment.due_on) for c in page.items]
        assert len(rows) == per_page and page.total == 9


# --- meetings, money, leaving care --------------------------------------------------------------


def test_meeting_with_parents_is_planned_then_held_or_cancelled_once(coordinator):
    kid = child(coordinator)
    place(coordinator, kid, family(coordinator))
    past = timezone.now() - timedelta(days=1)
    meeting = services.plan_meeting(coordinator, kid.pk, planned_at=past, participants="matka")
    services.record_meeting_held(coordinator, meeting.pk, notes="Dobry kontakt.")
    with pytest.raises(Conflict):
        services.cancel_meeting(coordinator, meeting.pk, reason="pomyłka")
    future = services.plan_meeting(
        coordinator, kid.pk, planned_at=timezone.now() + timedelta(days=3), participants="ojciec"
    )
    with pytest.raises(Conflict) as refused:
        services.record_meeting_held(coordinator, future.pk)
    assert refused.value.code == "meeting_in_future"
    services.cancel_meeting(coordinator, future.pk, reason="Ojciec chory.")
    assert dict(ParentMeeting.objects.values_list("pk", "status")) == {meeting.pk: "held", future.pk: "cancelled"}


def test_allowances_do_not_overlap_and_need_a_placement(coordinator):
    kid = child(coordinator)
    with pytest.raises(Conflict) as refused:
        services.grant_allowance(
            coordinator, kid.pk, monthly_amount="1352", period_from=TODAY, period_to=TODAY + timedelta(days=30)
        )
    assert refused.value.code == "no_placement_for_period"
    place(coordinator, kid, family(coordinator), start_on=TODAY - timedelta(days=100))
    allowance = services.grant_allowance(
        coordinator, kid.pk, monthly_amount="1352.00", period_from=TODAY - timedelta(days=90), period_to=TODAY
    )
    assert allowance.monthly_amount == Decimal("1352.00")
    with pytest.raises(Conflict) as refused:
        services.grant_allowance(
            coordinator, kid.pk, monthly_amount=100, period_from=TODAY, period_to=TODAY + timedelta(days=30)
        )
    assert refused.value.code == "allowance_overlap"
    with pytest.raises(ValidationFailed):
        services.add_expense(coordinator, kid.pk, kind="school", amount="-5", granted_on=TODAY)
    services.add_expense(coordinator, kid.pk, kind="school", amount="250.50", granted_on=TODAY)


def test_continuing_education_support_is_refused_beyond_25(coordinator):
    born = date(2004, 5, 20)
    young = child(coordinator, born=born)
    with pytest.raises(Conflict):
        services.grant_education_support(
            coordinator,
            young.pk,
            school="UG",
            monthly_amount=597,
            period_from=date(2024, 10, 1),
            period_to=date(2025, 6, 30),
        )
    services.start_leaving_care(
        coordinator,
        young.pk,
        mentor_name="Ewa Nowak",
        programme="Studia, mieszkanie treningowe.",
        programme_approved_on=date(2022, 4, 1),
        started_on=date(2022, 5, 20),
    )
    services.grant_education_support(
        coordinator,
        young.pk,
        school="UG",
        monthly_amount=597,
        period_from=date(2024, 10, 1),
        period_to=date(2029, 5, 19),
    )
    with pytest.raises(ValidationFailed) as refused:
        services.grant_education_support(
            coordinator,
            young.pk,
            school="UG",
            monthly_amount=597,
            period_from=date(2029, 5, 20),
            period_to=date(2029, 9, 30),
        )
    assert refused.value.code == "over_age_limit" and "2029-05-20" in refused.value.message
    assert young.leaving_care.education_support.count() == 1


# --- irregularity reports -----------------------------------------------------------------------------


def test_irregularity_report_notifies_voivode_and_prosecutor_and_closes_only_when_both_sent(coordinator):
    placement = place(coordinator, child(coordinator), family(coordinator))
    report = services.report_irregularity(
        coordinator,
        placement.pk,
        reported_on=TODAY - timedelta(days=2),
        description="Sygnał ze szkoły.",
        source="szkoła",
    )
    notifications = list(Notification.objects.filter(report=report).order_by("recipient"))
    assert [(n.recipient, n.status) for n in notifications] == [("prosecutor", "pending"), ("voivode", "pending")]
    prosecutor, voivode = notifications

    services.mark_notification_sent(coordinator, voivode.pk, sent_on=TODAY - timedelta(days=1), reference="DPR.1")
    with pytest.raises(Conflict) as refused:
        services.close_irregularity_report(coordinator, report.pk, closed_on=TODAY, outcome="Wyjaśniono.")
    assert refused.value.code == "notification_pending"
    with translation.override("en"):
        assert refused.value.message.endswith("pending: prosecutor's office.")
    with translation.override("pl"):
        assert refused.value.message.endswith("oczekuje na wysłanie: prokuratura.")
    assert IrregularityReport.objects.get(pk=report.pk).status == "open"

    with pytest.raises(ValidationFailed):
        services.mark_notification_sent(coordinator, prosecutor.pk, sent_on=TODAY, reference=" ")
    services.mark_notification_sent(coordinator, prosecutor.pk, sent_on=TODAY, reference="DPR.2")
    with pytest.raises(Conflict):
        services.mark_notification_sent(coordinator, prosecutor.pk, sent_on=TODAY, reference="DPR.2")
    closed = services.close_irregularity_report(coordinator, report.pk, closed_on=TODAY, outcome="Wyjaśniono.")
    assert closed.status == "closed" and closed.closed_on == TODAY
    assert Notification.objects.filter(report=report).count() == 2


# --- permissions and audit ------------------------------------------------------------------------------


def test_social_worker_is_denied_foster_care_data(coordinator, make_staff):
    worker = make_staff("pracownik", Role.SOCIAL_WORKER)
    kid = child(coordinator)
    with pytest.raises(PermissionDenied) as denied:
        services.list_children(worker)
    assert denied.value.code == "role_required"
    with pytest.raises(PermissionDenied):
        services.get_child(worker, kid.pk)
    with pytest.raises(PermissionDenied):
        family(worker)


def test_auditor_reads_but_cannot_write(coordinator, make_staff):
    auditor = make_staff("audytor", Role.AUDITOR)
    kid = child(coordinator)
    fam = family(coordinator)
    place(coordinator, kid, fam)
    assert services.get_child(auditor, kid.pk).current_placement.family == fam
    assert services.list_children(auditor).total == 1
    assert services.list_families(auditor).total == 1
    for attempt in (
        lambda: family(auditor),
        lambda: services.set_reintegration_goal(auditor, kid.pk, goal="adoption"),
        lambda: services.report_irregularity(auditor, Placement.objects.get().pk, reported_on=TODAY, description="x"),
        lambda: services.end_placement(auditor, Placement.objects.get().pk, end_on=TODAY, reason="adoption"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert FosterFamily.objects.count() == 1 and IrregularityReport.objects.count() == 0


def test_legal_advisor_and_deputy_director_have_access(make_staff):
    for username, role in (("radca", Role.LEGAL_ADVISOR), ("zastepca", Role.DEPUTY_DIRECTOR)):
        user = make_staff(username, role)
        assert family(user, name=username).pk


def test_foreign_or_missing_ids_are_not_found(coordinator):
    with pytest.raises(NotFound) as missing:
        services.get_child(coordinator, 999999)
    assert missing.value.code == "child_not_found"
    with pytest.raises(NotFound):
        services.get_child(coordinator, "abc")


def test_writes_and_reads_are_audited_with_changes(coordinator):
    kid = child(coordinator)
    created = AuditEntry.objects.get(object_type="foster_care.fosterchild", object_id=str(kid.pk), action="create")
    assert created.actor == coordinator and created.changes["person_id"] == [None, kid.person_id]

    services.set_reintegration_goal(coordinator, kid.pk, goal="adoption", plan="Zgoda sądu.")
    changed = AuditEntry.objects.get(object_type="foster_care.fosterchild", object_id=str(kid.pk), action="update")
    assert changed.changes == {
        "reintegration_goal": ["undecided", "adoption"],
        "reintegration_plan": ["", "Zgoda sądu."],
    }

    services.get_child(coordinator, kid.pk)
    read = AuditEntry.objects.get(object_type="foster_care.fosterchild", object_id=str(kid.pk), action=AuditAction.READ)
    assert read.actor_label == "koordynatorka"

    placement = place(coordinator, kid, family(coordinator))
    assert AuditEntry.objects.filter(object_type="foster_care.placement", object_id=str(placement.pk)).exists()
    services.list_children(coordinator)
    listed = AuditEntry.objects.filter(action="read", object_id="", object_type="foster_care.fosterchild").get()
    assert str(kid.pk) in listed.message


# --- amounts out of range -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, code",
    [
        ("1e30", "amount_too_large"),  # was InvalidOperation in quantize
        ("123456789012345678", "amount_too_large"),  # was a numeric field overflow in the database
        ("100000000", "amount_too_large"),
        ("NaN", "invalid_amount"),
        ("Infinity", "invalid_amount"),
        ("-0", "invalid_amount"),
        ("1e-999999", "invalid_amount"),  # rounds to zero: was accepted and stored as 0.00
        ("0.004", "invalid_amount"),
        (None, "invalid_amount"),
    ],
)
def test_an_amount_out_of_range_is_a_validation_error_and_creates_nothing(coordinator, value, code):
    kid = child(coordinator)
    place(coordinator, kid, family(coordinator), start_on=TODAY - timedelta(days=100))
    with pytest.raises(ValidationFailed) as refused:
        services.add_expense(coordinator, kid.pk, kind="school", amount=value, granted_on=TODAY)
    assert (refused.value.code, refused.value.field) == (code, "amount")
    with pytest.raises(ValidationFailed) as refused:
        services.grant_allowance(
            coordinator, kid.pk, monthly_amount=value, period_from=TODAY - timedelta(days=90), period_to=TODAY
        )
    assert (refused.value.code, refused.value.field) == (code, "monthly_amount")
    assert not kid.expenses.exists() and not kid.allowances.exists()


def test_the_largest_amount_fits_and_grosze_are_rounded_half_up(coordinator):
    kid = child(coordinator)
    expense = services.add_expense(coordinator, kid.pk, kind="school", amount="99999999.99", granted_on=TODAY)
    assert expense.amount == Decimal("99999999.99")
    expense = services.add_expense(coordinator, kid.pk, kind="school", amount="10.125", granted_on=TODAY)
    assert expense.amount == Decimal("10.13")


def test_education_support_too_large_is_refused(coordinator):
    young = child(coordinator, born=date(2004, 5, 20))
    with pytest.raises(ValidationFailed) as refused:
        services.grant_education_support(
            coordinator,
            young.pk,
            school="UG",
            monthly_amount="1e30",
            period_from=date(2024, 10, 1),
            period_to=date(2025, 6, 30),
        )
    assert (refused.value.code, refused.value.field) == ("amount_too_large", "monthly_amount")
