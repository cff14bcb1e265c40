"""Social assistance: the rules, permissions and audit of modules/cases/services.py (run in Toruń's schema,
with the districts, streets and staff each test needs created here)."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from stdnum.pl import pesel as pesel_number

from ostoja.modules.cases import services
from ostoja.modules.cases.models import (
    Application,
    Case,
    CaseStatus,
    Decision,
    DelayNotice,
    FormOfHelp,
    HelpReason,
    IncomeCriterionRate,
    Interview,
    Payment,
    Person,
    ProgrammeGrant,
    Sex,
)
from ostoja.modules.cases.pesel import make_pesel
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import Closure, District, DistrictStreet

pytestmark = pytest.mark.django_db

# django-tenants precedes every statement with SET search_path (TENANT_LIMIT_SET_CALLS is off, DESIGN.md §2).
SQL = 2
_serial = count(300)


@pytest.fixture
def center(torun, in_schema):
    with in_schema("torun"):
        yield torun


@pytest.fixture
def districts(center):
    """Two test districts: odd numbers of Testowa in Rejon I, even ones in Rejon II, Próbna all in Rejon II."""
    one = District.objects.create(code="test-rejon-1", name="Rejon I (test)")
    two = District.objects.create(code="test-rejon-2", name="Rejon II (test)")
    DistrictStreet.objects.create(district=one, street="Testowa", numbers="odd")
    DistrictStreet.objects.create(district=two, street="Testowa", numbers="even")
    DistrictStreet.objects.create(district=two, street="Próbna")
    return one, two


@pytest.fixture
def make_staff(center):
    def _make(username, *roles, districts=()):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Test")
        profile = StaffProfile.objects.create(user=user, roles=list(roles))
        profile.districts.set(districts)
        return user

    return _make


@pytest.fixture
def director(make_staff):
    return make_staff("dyrektorka", Role.DIRECTOR)


@pytest.fixture
def worker1(make_staff, districts):
    return make_staff("pracownik1", Role.SOCIAL_WORKER, districts=[districts[0]])


@pytest.fixture
def worker2(make_staff, districts):
    return make_staff("pracownik2", Role.SOCIAL_WORKER, districts=[districts[1]])


@pytest.fixture
def auditor(make_staff):
    return make_staff("audytor", Role.AUDITOR)


@pytest.fixture
def clerk(make_staff):
    return make_staff("swiadczenia", Role.BENEFITS_CLERK)


def pesel_for(born=date(1980, 5, 17), sex=Sex.FEMALE) -> str:
    return make_pesel(born, next(_serial), sex)


def new_person(actor, number="7", born=date(1980, 5, 17), sex=Sex.FEMALE, **extra):
    values = dict(first_name="Zofia", last_name="Kowalska", pesel=pesel_for(born, sex), street="ul. Testowa")
    values.update(building=number, city="Toruń", **extra)
    return services.create_person(actor, **values).person


def profile(user) -> StaffProfile:
    return StaffProfile.objects.get(user=user)


def ready_for_decision(actor, worker, person, received_on, urgent=False, reasons=("ubostwo",)):
    """An application whose interview was carried out: the case awaits a decision."""
    application = services.register_application(
        actor, person.pk, received_on=received_on, urgent=urgent, reasons=reasons
    )
    interview = application.interview
    services.assign_interview(actor, interview.pk, profile(worker).pk, assigned_on=received_on)
    services.record_interview(
        actor, interview.pk, conducted_on=received_on + timedelta(days=1), findings="Trudna sytuacja materialna."
    )
    return application


# --- persons --------------------------------------------------------------------------------------


def test_pesel_with_a_bad_checksum_is_refused(director, districts):
    good = pesel_for()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationFailed) as refused:
        services.create_person(director, first_name="Jan", last_name="Nowak", pesel=bad, sex=Sex.FEMALE)
    assert refused.value.code == "invalid_pesel" and refused.value.field == "pesel"
    assert not Person.objects.filter(pesel=bad).exists()


def test_birth_date_and_sex_must_agree_with_the_pesel(director, districts):
    number = pesel_for(date(1980, 5, 17), Sex.FEMALE)
    with pytest.raises(ValidationFailed) as refused:
        services.create_person(
            director, first_name="Ewa", last_name="Nowak", pesel=number, date_of_birth=date(1980, 5, 18), sex=Sex.MALE
        )
    codes = {e["code"] for e in refused.value.as_dicts()}
    assert codes == {"pesel_birth_date_mismatch", "pesel_sex_mismatch"}

    # Given without them, both come from the PESEL.
    person = services.create_person(director, first_name="Ewa", last_name="Nowak", pesel=number).person
    assert person.date_of_birth == date(1980, 5, 17) and person.sex == Sex.FEMALE


def test_a_foreigner_without_pesel_needs_birth_date_and_document(director, districts):
    with pytest.raises(ValidationFailed) as refused:
        services.create_person(director, first_name="Olena", last_name="Shevchenko", sex=Sex.FEMALE, citizenship="UA")
    assert {(e["field"], e["code"]) for e in refused.value.as_dicts()} == {
        ("date_of_birth", "required"),
        ("document_number", "document_required"),
    }
    person = services.create_person(
        director,
        first_name="Olena",
        last_name="Shevchenko",
        sex=Sex.FEMALE,
        citizenship="ua",
        date_of_birth=date(1990, 2, 3),
        document_type="paszport",
        document_number="FA1234567",
    ).person
    assert person.pesel is None and person.citizenship == "UA"


def test_duplicate_pesel_is_a_conflict(director, districts):
    number = pesel_for()
    services.create_person(director, first_name="Anna", last_name="Nowak", pesel=number)
    with pytest.raises(Conflict) as refused:
        services.create_person(director, first_name="Anna", last_name="Nowakowska", pesel=number)
    assert refused.value.code == "pesel_taken"


def test_district_comes_from_the_address_and_phone_is_normalised(director, districts):
    one, two = districts
    result = services.create_person(
        director,
        first_name="Jan",
        last_name="Nowak",
        pesel=pesel_for(sex=Sex.MALE),
        street="Testowa",
        building="12A",
        phone="(56) 65 08 565",
    )
    assert result.person.district == two and result.district_status == "assigned" and result.warnings == []
    assert result.person.phone == "+48566508565"

    moved = services.update_person(director, result.person.pk, building="13")
    assert moved.person.district == one


def test_ambiguous_or_unknown_address_leaves_no_district_with_a_warning(director, districts):
    ambiguous = services.create_person(
        director, first_name="Jan", last_name="Nowak", pesel=pesel_for(sex=Sex.MALE), street="Testowa"
    )
    assert ambiguous.person.district is None and ambiguous.district_status == "ambiguous"
    assert "Rejon I (test)" in ambiguous.warnings[0] and "Rejon II (test)" in ambiguous.warnings[0]

    unknown = services.create_person(
        director,
        first_name="Jan",
        last_name="Nowak",
        pesel=pesel_for(sex=Sex.MALE),
        street="Nieistniejąca",
        building="1",
    )
    assert unknown.person.district is None and unknown.district_status == "unassigned" and unknown.warnings


def test_manual_district_needs_a_reason_and_is_audited(director, districts):
    one, two = districts
    person = new_person(director, number="7")
    with pytest.raises(ValidationFailed) as refused:
        services.override_district(director, person.pk, two.pk, reason=" ")
    assert refused.value.code == "reason_required"

    services.override_district(director, person.pk, two.pk, reason="Mieszka faktycznie u córki.")
    person.refresh_from_db()
    assert person.district == two and person.district_overridden and person.district_status == "manual"
    entry = AuditEntry.objects.filter(object_type="cases.person", object_id=str(person.pk), action="update").latest(
        "id"
    )
    assert entry.changes["district_id"] == [one.pk, two.pk] and "córki" in entry.message

    # An address change keeps the manual district (with a warning); clearing the override recomputes it.
    result = services.update_person(director, person.pk, building="9")
    assert result.person.district == two and result.warnings
    assert services.clear_district_override(director, person.pk).person.district == one


def test_invalid_phone_postcode_and_email_are_refused_together(director, districts):
    with pytest.raises(ValidationFailed) as refused:
        services.create_person(
            director,
            first_name="Jan",
            last_name="Nowak",
            pesel=pesel_for(sex=Sex.MALE),
            phone="123",
            postcode="87100",
            email="nie-adres",
        )
    assert {e["code"] for e in refused.value.as_dicts()} == {"invalid_phone", "invalid_postcode", "invalid_email"}


# --- permissions and audit ------------------------------------------------------------------------


def test_social_worker_of_rejon_i_cannot_read_or_change_a_rejon_ii_case(director, worker1, districts):
    theirs = new_person(director, number="8")  # even: Rejon II
    application = services.register_application(director, theirs.pk, received_on=date(2026, 11, 2))
    for call in (
        lambda: services.get_person(worker1, theirs.pk),
        lambda: services.update_person(worker1, theirs.pk, last_name="Zmieniona"),
        lambda: services.get_case(worker1, application.case_id),
        lambda: services.add_case_note(worker1, application.case_id, text="Notatka"),
        lambda: services.list_cases(worker1, district_id=districts[1].pk),
    ):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.code == "other_district"
        assert "Rejon II (test)" in refused.value.message
    assert Person.objects.get(pk=theirs.pk).last_name == "Kowalska"

    # Their own district's cases are visible; the list leaves the other district out.
    mine = new_person(director, number="9")
    own = services.register_application(director, mine.pk, received_on=date(2026, 11, 2))
    assert services.get_case(worker1, own.case_id).pk == own.case_id
    assert [c.pk for c in services.list_cases(worker1)] == [own.case_id]


def test_social_worker_cannot_register_a_person_of_another_district(worker1, districts):
    with pytest.raises(PermissionDenied) as refused:
        services.create_person(worker1, first_name="Jan", last_name="Nowak", pesel=pesel_for(), street="Próbna")
    assert refused.value.code == "other_district"
    assert not Person.objects.filter(street="Próbna").exists()


def test_auditor_reads_everything_but_cannot_write(director, auditor, districts):
    person = new_person(director)
    application = services.register_application(director, person.pk, received_on=date(2026, 11, 2))
    assert services.get_person(auditor, person.pk) == person
    assert services.get_case(auditor, application.case_id).pk == application.case_id
    assert len(services.list_cases(auditor)) == 1
    for call in (
        lambda: services.update_person(auditor, person.pk, last_name="X"),
        lambda: services.create_person(auditor, first_name="A", last_name="B", pesel=pesel_for()),
        lambda: services.register_application(auditor, person.pk, received_on=date(2026, 11, 2)),
        lambda: services.close_case(auditor, application.case_id, reason="withdrawn"),
        lambda: services.add_case_note(auditor, application.case_id, text="x"),
    ):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.code == "role_required"
    assert Case.objects.get(pk=application.case_id).status == CaseStatus.OPEN


def test_a_role_outside_social_assistance_is_refused(make_staff, director, districts):
    coordinator = make_staff("projekty", Role.PROJECT_COORDINATOR)
    person = new_person(director)
    with pytest.raises(PermissionDenied) as refused:
        services.get_person(coordinator, person.pk)
    assert refused.value.code == "role_required"


def test_audit_entries_for_create_change_read_and_sensitive_read(director, worker1, districts):
    person = new_person(director)
    created = AuditEntry.objects.get(object_type="cases.person", object_id=str(person.pk), action=AuditAction.CREATE)
    assert created.actor == director and created.changes["last_name"] == [None, "Kowalska"]

    services.update_person(director, person.pk, last_name="Nowak", phone="600 100 200")
    changed = AuditEntry.objects.get(object_type="cases.person", object_id=str(person.pk), action=AuditAction.UPDATE)
    assert changed.changes == {"last_name": ["Kowalska", "Nowak"], "phone": ["", "+48600100200"]}

    services.get_person(worker1, person.pk)
    assert AuditEntry.objects.filter(
        object_type="cases.person", object_id=str(person.pk), action=AuditAction.READ, actor=worker1
    ).exists()

    plain = services.register_application(director, person.pk, received_on=date(2026, 11, 2), reasons=["ubostwo"])
    services.get_case(worker1, plain.case_id)
    assert not AuditEntry.objects.filter(action=AuditAction.READ_SENSITIVE).exists()

    services.set_case_reasons(director, plain.case_id, ["ubostwo", "przemoc-domowa"])
    services.get_case(worker1, plain.case_id)
    sensitive = AuditEntry.objects.get(action=AuditAction.READ_SENSITIVE, actor=worker1)
    assert sensitive.object_id == str(plain.case_id) and sensitive.changes["reasons"] == [None, "przemoc-domowa"]
    reasons_change = AuditEntry.objects.filter(object_type="cases.case", action=AuditAction.UPDATE).latest("id")
    assert reasons_change.changes == {"reasons": ["ubostwo", "ubostwo, przemoc-domowa"]}


def test_case_list_hides_special_category_reasons_unless_asked_and_audits_them(director, worker1, districts):
    person = new_person(director)
    application = services.register_application(
        director, person.pk, received_on=date(2026, 11, 2), reasons=["bezrobocie", "uzaleznienia"]
    )
    [row] = services.list_cases(worker1)
    assert [r.code for r in row.visible_reasons] == ["bezrobocie"] and row.restricted_reasons == 1
    assert not AuditEntry.objects.filter(action=AuditAction.READ_SENSITIVE).exists()

    [row] = services.list_cases(worker1, include_sensitive=True)
    assert [r.code for r in row.visible_reasons] == ["bezrobocie", "uzaleznienia"]
    entry = AuditEntry.objects.get(action=AuditAction.READ_SENSITIVE)
    assert entry.object_id == str(application.case_id) and entry.actor == worker1


def test_case_list_runs_in_constant_queries(director, worker1, districts, django_assert_num_queries):
    def add(n):
        for _ in range(n):
            person = new_person(director, number="7")
            services.register_application(
                director, person.pk, received_on=date(2026, 11, 2), reasons=["ubostwo", "bezrobocie"]
            )

    add(2)
    services.list_cases(director)  # warm the role caches
    # cases with person, district, worker + reasons
    with django_assert_num_queries(2 * SQL):
        assert len(services.list_cases(director)) == 2
    add(5)
    with django_assert_num_queries(2 * SQL):
        rows = services.list_cases(director)
        assert len(rows) == 7 and all(r.person.district.name for r in rows)


# --- reference data -------------------------------------------------------------------------------


def test_art_7_reasons_and_art_36_forms_are_data_with_two_languages(center):
    violence = HelpReason.objects.get(code="przemoc-domowa")
    assert violence.name_pl == "przemoc domowa" and violence.former_name_pl == "przemoc w rodzinie"
    assert violence.name_en == "domestic violence" and violence.special_category
    assert HelpReason.objects.get(code="opuszczajacy-placowki").name_en.startswith("young people leaving care")
    assert HelpReason.objects.get(code="uzaleznienia").special_category
    assert not HelpReason.objects.get(code="ubostwo").special_category
    assert HelpReason.objects.count() >= 16
    assert {"zasilek-staly", "zasilek-okresowy", "sprawienie-pogrzebu", "usamodzielnienie", "kontrakt-socjalny"} <= set(
        FormOfHelp.objects.values_list("code", flat=True)
    )
    assert IncomeCriterionRate.objects.get(valid_from=date(2025, 1, 1)).single_person == Decimal("1010.00")


# --- interviews -----------------------------------------------------------------------------------


def test_interview_due_in_14_working_days_skips_weekends_and_11_november(director, districts):
    person = new_person(director)
    application = services.register_application(director, person.pk, received_on=date(2026, 10, 30))
    # Friday 30 Oct; 1 Nov is a Sunday (All Saints' Day), 11 Nov (Wednesday) Independence Day.
    assert application.interview.due_on == date(2026, 11, 20)
    # The decision: one month, 30 Nov 2026 is a Monday.
    assert application.decision_due_on == date(2026, 11, 30)


def test_a_center_closure_is_no_working_day_either(director, districts):
    Closure.objects.create(date=date(2026, 11, 12), reason="Dzień szkoleniowy")
    person = new_person(director)
    application = services.register_application(director, person.pk, received_on=date(2026, 10, 30))
    assert application.interview.due_on == date(2026, 11, 23)


def test_urgent_interview_due_in_2_working_days(director, districts):
    person = new_person(director)
    urgent = services.register_application(director, person.pk, received_on=date(2026, 11, 6), urgent=True)
    # Friday 6 Nov: Monday 9, Tuesday 10 (Wednesday 11 is a holiday).
    assert urgent.interview.due_on == date(2026, 11, 10) and urgent.interview.urgent
    across = services.register_application(
        director, person.pk, received_on=date(2026, 11, 10), urgent=True, case_id=urgent.case_id
    )
    assert across.interview.due_on == date(2026, 11, 13)


def test_decision_due_date_moves_off_weekends_and_holidays():
    assert services.decision_due_date(date(2026, 1, 31)) == date(2026, 3, 2)  # 28 Feb is a Saturday
    assert services.decision_due_date(date(2026, 10, 11)) == date(2026, 11, 12)  # 11 Nov is a holiday


def test_interview_goes_to_a_social_worker_of_the_persons_district(director, worker1, worker2, districts):
    person = new_person(director, number="7")  # Rejon I
    application = services.register_application(director, person.pk, received_on=date(2026, 11, 2))
    with pytest.raises(ValidationFailed) as refused:
        services.assign_interview(director, application.interview.pk, profile(worker2).pk)
    assert refused.value.code == "worker_other_district" and "Rejon I (test)" in refused.value.message
    assert Interview.objects.get(pk=application.interview.pk).assigned_to is None

    services.assign_interview(director, application.interview.pk, profile(worker1).pk)
    case = Case.objects.get(pk=application.case_id)
    assert case.status == CaseStatus.INTERVIEW and case.worker == profile(worker1)


def test_interview_for_a_person_without_district_waits_for_the_district(director, worker1, districts):
    homeless = services.create_person(director, first_name="Jan", last_name="Bezdomny", pesel=pesel_for()).person
    application = services.register_application(director, homeless.pk, received_on=date(2026, 11, 2), urgent=True)
    with pytest.raises(ValidationFailed) as refused:
        services.assign_interview(director, application.interview.pk, profile(worker1).pk)
    assert refused.value.code == "person_without_district"


def test_recorded_interview_moves_the_case_to_decision(director, worker1, districts):
    person = new_person(director)
    application = ready_for_decision(director, worker1, person, date(2026, 11, 2))
    interview = Interview.objects.get(pk=application.interview.pk)
    assert interview.status == Interview.Status.CONDUCTED and interview.findings
    assert Case.objects.get(pk=application.case_id).status == CaseStatus.DECISION


# --- status machine -------------------------------------------------------------------------------


def test_status_transitions_are_enforced(director, worker1, districts):
    person = new_person(director)
    application = services.register_application(director, person.pk, received_on=date(2026, 11, 2))
    case_id = application.case_id
    with pytest.raises(Conflict) as refused:
        services.change_case_status(director, case_id, CaseStatus.ACTIVE_HELP)
    assert refused.value.code == "illegal_transition"
    with pytest.raises(Conflict) as refused:
        services.issue_decision(director, case_id, kind="grant", form="posilek", period_start=date(2026, 11, 3))
    assert refused.value.code == "interview_first"

    with pytest.raises(ValidationFailed) as refused:
        services.close_case(director, case_id, reason="")
    assert refused.value.code == "closure_reason_required"
    services.close_case(director, case_id, reason="withdrawn", note="Wniosek wycofany.")
    case = Case.objects.get(pk=case_id)
    assert case.status == CaseStatus.CLOSED and case.closed_on and case.closure_reason == "withdrawn"
    assert Interview.objects.get(pk=application.interview.pk).status == Interview.Status.CANCELLED
    with pytest.raises(Conflict) as refused:
        services.change_case_status(director, case_id, CaseStatus.DECISION)
    assert refused.value.code == "illegal_transition"
    with pytest.raises(Conflict) as refused:
        services.assign_case_worker(director, case_id, profile(worker1).pk)
    assert refused.value.code == "case_closed"

    with pytest.raises(ValidationFailed):
        services.reopen_case(director, case_id, note="")
    services.reopen_case(director, case_id, note="Ponowny wniosek.")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closed_on is None and case.closure_reason == ""
    entry = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case_id)).latest("id")
    assert entry.changes["status"] == ["closed", "open"] and entry.message == "Ponowny wniosek."


def test_case_with_planned_payments_cannot_close(director, worker1, districts):
    person = new_person(director)
    services.create_household(director, person.pk, head_income=500)
    application = ready_for_decision(director, worker1, person, date(2026, 11, 2))
    services.issue_decision(
        director,
        application.case_id,
        kind="grant",
        form="zasilek-okresowy",
        amount=300,
        period_start=date(2026, 11, 3),
        period_end=date(2027, 1, 31),
        issued_on=date(2026, 11, 5),
    )
    with pytest.raises(Conflict) as refused:
        services.close_case(director, application.case_id, reason="goal_achieved")
    assert refused.value.code == "planned_payments"


# --- decisions ------------------------------------------------------------------------------------


def test_grant_schedules_monthly_payments_and_starts_active_help(director, worker1, clerk, districts):
    person = new_person(director)
    services.create_household(director, person.pk, head_income=400)
    application = ready_for_decision(director, worker1, person, date(2026, 11, 2))
    decision = services.issue_decision(
        director,
        application.case_id,
        kind="grant",
        form="zasilek-okresowy",
        amount="450.50",
        period_start=date(2026, 11, 15),
        period_end=date(2027, 2, 28),
        issued_on=date(2026, 11, 10),
    )
    payments = list(Payment.objects.filter(decision=decision).order_by("month"))
    assert [(p.month, p.amount, p.due_on) for p in payments] == [
        (date(2026, 11, 1), Decimal("450.50"), date(2026, 11, 15)),
        (date(2026, 12, 1), Decimal("450.50"), date(2026, 12, 1)),
        (date(2027, 1, 1), Decimal("450.50"), date(2027, 1, 1)),
        (date(2027, 2, 1), Decimal("450.50"), date(2027, 2, 1)),
    ]
    assert Case.objects.get(pk=application.case_id).status == CaseStatus.ACTIVE_HELP
    assert Application.objects.get(pk=application.pk).decided_on == date(2026, 11, 10)
    assert not decision.late and decision.due_on == date(2026, 12, 2)

    services.mark_payment_paid(clerk, payments[0].pk, paid_on=date(2026, 11, 16))
    with pytest.raises(Conflict):
        services.cancel_payment(clerk, payments[0].pk, reason="pomyłka")
    with pytest.raises(PermissionDenied):
        services.mark_payment_paid(worker1, payments[1].pk)

    # A suspension cancels the planned payments it covers; the paid one stays.
    services.issue_decision(
        director,
        application.case_id,
        kind="suspend",
        amends_id=decision.pk,
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 31),
        issued_on=date(2026, 11, 20),
    )
    statuses = dict(Payment.objects.filter(decision=decision).values_list("month", "status"))
    assert statuses == {
        date(2026, 11, 1): "paid",
        date(2026, 12, 1): "cancelled",
        date(2027, 1, 1): "planned",
        date(2027, 2, 1): "planned",
    }
    # A repeal cancels the rest.
    services.issue_decision(
        director,
        application.case_id,
        kind="repeal",
        amends_id=decision.pk,
        period_start=date(2027, 1, 1),
        issued_on=date(2026, 11, 21),
    )
    assert not Payment.objects.filter(decision=decision, status="planned").exists()
    assert Decision.objects.get(pk=decision.pk).status == Decision.Status.REPEALED


def test_a_one_off_allowance_has_one_payment_and_help_in_kind_none(director, worker1, districts):
    person = new_person(director)
    services.create_household(director, person.pk, head_income=0)
    application = ready_for_decision(director, worker1, person, date(2026, 11, 2))
    once = services.issue_decision(
        director,
        application.case_id,
        kind="grant",
        form="zasilek-celowy",
        amount=250,
        period_start=date(2026, 11, 6),
        issued_on=date(2026, 11, 5),
    )
    assert list(Payment.objects.filter(decision=once).values_list("month", "amount")) == [
        (date(2026, 11, 1), Decimal("250.00"))
    ]
    with pytest.raises(ValidationFailed) as refused:
        services.issue_decision(
            director,
            application.case_id,
            kind="grant",
            form="posilek",
            amount=10,
            period_start=date(2026, 11, 6),
            issued_on=date(2026, 11, 5),
        )
    assert refused.value.code == "no_amount"
    meals = services.issue_decision(
        director,
        application.case_id,
        kind="grant",
        form="posilek",
        period_start=date(2026, 11, 6),
        period_end=date(2026, 12, 31),
        issued_on=date(2026, 11, 5),
    )
    assert not Payment.objects.filter(decision=meals).exists()


def test_late_decision_needs_a_reason_and_records_a_notice_of_delay(director, worker1, districts):
    person = new_person(director)
    services.create_household(director, person.pk, head_income=300)
    application = ready_for_decision(director, worker1, person, date(2026, 9, 1))
    assert application.decision_due_on == date(2026, 10, 1)
    terms = dict(kind="grant", form="zasilek-celowy", amount=200, period_start=date(2026, 10, 5))
    with pytest.raises(ValidationFailed) as refused:
        services.issue_decision(director, application.case_id, issued_on=date(2026, 10, 5), **terms)
    assert refused.value.code == "delay_reason_required" and "2026-10-01" in refused.value.message

    decision = services.issue_decision(
        director,
        application.case_id,
        issued_on=date(2026, 10, 5),
        delay_reason="Oczekiwanie na dokumenty z ZUS.",
        **terms,
    )
    assert decision.late and decision.due_on == date(2026, 10, 1)
    notice = DelayNotice.objects.get(application=application)
    assert notice.kind == DelayNotice.Kind.ISSUED_LATE and notice.reason == "Oczekiwanie na dokumenty z ZUS."


def test_on_time_decision_records_no_notice_and_a_notice_before_covers_a_late_one(director, worker1, districts):
    person = new_person(director)
    services.create_household(director, person.pk, head_income=300)
    on_time = ready_for_decision(director, worker1, person, date(2026, 9, 1))
    services.issue_decision(
        director,
        on_time.case_id,
        kind="refuse",
        form="zasilek-celowy",
        period_start=date(2026, 9, 20),
        issued_on=date(2026, 10, 1),
    )
    assert not DelayNotice.objects.exists()

    second = services.register_application(director, person.pk, received_on=date(2026, 9, 10), case_id=on_time.case_id)
    services.record_delay_notice(
        director, second.pk, reason="Choroba pracownika.", new_due_on=date(2026, 10, 30), notified_on=date(2026, 10, 5)
    )
    late = services.issue_decision(
        director,
        on_time.case_id,
        kind="refuse",
        form="zasilek-celowy",
        period_start=date(2026, 10, 20),
        issued_on=date(2026, 10, 20),
        application_id=second.pk,
    )
    assert late.late
    assert list(DelayNotice.objects.filter(application=second).values_list("kind", "reason")) == [
        ("notice", "Choroba pracownika."),
        ("issued_late", "Choroba pracownika."),
    ]


def test_passed_due_date_is_flagged_once(director, districts):
    person = new_person(director)
    overdue = services.register_application(director, person.pk, received_on=date(2026, 9, 1))
    services.register_application(director, person.pk, received_on=date(2026, 11, 2), case_id=overdue.case_id)
    assert services.flag_overdue_decisions(today=date(2026, 11, 23)) == 1
    assert services.flag_overdue_decisions(today=date(2026, 11, 23)) == 0
    assert DelayNotice.objects.get().application == overdue


def test_income_criterion_uses_the_rate_in_force_on_the_decision_date(director, worker1, districts):
    person = new_person(director)
    # Alone with 900 zł: within 1 010 zł (from 2025-01-01), above 776 zł (from 2021-10-01).
    services.create_household(director, person.pk, head_income=900)
    application = ready_for_decision(director, worker1, person, date(2024, 12, 2))
    terms = dict(kind="grant", form="zasilek-okresowy", amount=100, period_start=date(2024, 12, 15))
    with pytest.raises(ValidationFailed) as refused:
        services.issue_decision(
            director, application.case_id, issued_on=date(2024, 12, 20), period_end=date(2025, 2, 28), **terms
        )
    assert refused.value.code == "income_criterion_not_met" and "776" in refused.value.message

    refusal = services.issue_decision(
        director,
        application.case_id,
        kind="refuse",
        form="zasilek-okresowy",
        period_start=date(2024, 12, 15),
        issued_on=date(2024, 12, 20),
    )
    assert refusal.criterion_met is False and refusal.criterion_amount == Decimal("776.00")
    assert refusal.income_per_person == Decimal("900.00") and refusal.household_size == 1

    again = services.register_application(
        director, person.pk, received_on=date(2025, 1, 2), case_id=application.case_id
    )
    grant = services.issue_decision(
        director,
        application.case_id,
        issued_on=date(2025, 1, 3),
        period_end=date(2025, 3, 31),
        application_id=again.pk,
        **terms,
    )
    assert grant.criterion_met is True and grant.criterion_amount == Decimal("1010.00")
    assert grant.criterion_rate.valid_from == date(2025, 1, 1)


def test_a_family_is_compared_per_person(director, worker1, districts):
    head = new_person(director, number="7")
    child = new_person(director, number="7", born=date(2015, 3, 4), sex=Sex.MALE)
    household = services.create_household(
        director, head.pk, head_income=1700, members=[{"person_id": child.pk, "relation": "child", "monthly_income": 0}]
    )
    check = services.income_check(household, date(2025, 6, 1))
    assert (check.size, check.total, check.per_person, check.criterion, check.met) == (
        2,
        Decimal("1700.00"),
        Decimal("850.00"),
        Decimal("823.00"),
        False,
    )
    member = household.members.get(person=child)
    services.set_member_income(director, member.pk, monthly_income=0)
    services.set_member_income(director, household.members.get(person=head).pk, monthly_income=1600)
    assert services.income_check(household, date(2025, 6, 1)).met
    assert services.income_check(household, date(2024, 6, 1)).criterion == Decimal("600.00")
    with pytest.raises(Conflict):
        services.create_household(director, child.pk)


def test_a_new_rate_is_data(director, make_staff, center):
    services.add_income_criterion_rate(
        director, valid_from=date(2027, 10, 1), single_person="1100", per_person_in_family="900"
    )
    assert services.rate_on(date(2027, 10, 1)).single_person == Decimal("1100.00")
    assert services.rate_on(date(2027, 9, 30)).single_person == Decimal("1010.00")
    with pytest.raises(Conflict):
        services.add_income_criterion_rate(
            director, valid_from=date(2027, 10, 1), single_person=1, per_person_in_family=1
        )
    worker = make_staff("pracownik", Role.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        services.add_income_criterion_rate(worker, valid_from=date(2028, 1, 1), single_person=1, per_person_in_family=1)


# --- programme grant ------------------------------------------------------------------------------


def nursing_benefit(director, worker, number, start, end, amount=620):
    person = new_person(director, number=number)
    application = ready_for_decision(director, worker, person, date(2013, 11, 4))
    return services.issue_decision(
        director,
        application.case_id,
        kind="grant",
        form="swiadczenie-pielegnacyjne",
        amount=amount,
        period_start=start,
        period_end=end,
        issued_on=date(2013, 11, 20),
    )


PROGRAMME = dict(
    code="program-sp-2014",
    name_pl="Rządowy program wspierania osób pobierających świadczenie pielęgnacyjne (I–III 2014)",
    name_en="Government programme supporting nursing-benefit recipients (Jan–Mar 2014)",
    source_form="swiadczenie-pielegnacyjne",
    form="pomoc-programu-rzadowego",
    monthly_amount=200,
    first_month=date(2014, 1, 1),
    last_month=date(2014, 3, 1),
    issued_on=date(2014, 1, 10),
)


def test_programme_grant_is_idempotent_and_reports_counts(director, worker1, clerk, districts):
    full = nursing_benefit(director, worker1, "1", date(2013, 12, 1), date(2014, 12, 31))
    partial = nursing_benefit(director, worker1, "3", date(2013, 12, 1), date(2014, 2, 28))
    suspended = nursing_benefit(director, worker1, "5", date(2013, 12, 1), date(2014, 6, 30))
    services.issue_decision(
        director,
        suspended.case_id,
        kind="suspend",
        amends_id=suspended.pk,
        period_start=date(2014, 1, 1),
        period_end=date(2014, 3, 31),
        issued_on=date(2013, 12, 20),
    )
    nursing_benefit(director, worker1, "11", date(2014, 6, 1), date(2014, 12, 31))  # starts after the programme

    result = services.grant_programme(clerk, **PROGRAMME)
    assert (result.granted, result.already_granted, result.skipped) == (2, 0, 1)
    months = {
        g.person_id: sorted(Payment.objects.filter(decision=g.decision).values_list("month", "amount"))
        for g in ProgrammeGrant.objects.all()
    }
    assert months[full.case.person_id] == [
        (date(2014, 1, 1), Decimal("200.00")),
        (date(2014, 2, 1), Decimal("200.00")),
        (date(2014, 3, 1), Decimal("200.00")),
    ]
    assert [m for m, _ in months[partial.case.person_id]] == [date(2014, 1, 1), date(2014, 2, 1)]
    grant = ProgrammeGrant.objects.get(person_id=full.case.person_id).decision
    assert grant.ex_officio and grant.kind == "grant" and grant.application is None

    payments, decisions = Payment.objects.count(), Decision.objects.count()
    again = services.grant_programme(clerk, **PROGRAMME)
    assert (again.granted, again.already_granted, again.skipped) == (0, 2, 1)
    assert (Payment.objects.count(), Decision.objects.count()) == (payments, decisions)

    with pytest.raises(Conflict) as refused:
        services.grant_programme(clerk, **{**PROGRAMME, "monthly_amount": 300})
    assert refused.value.code == "programme_mismatch"
    with pytest.raises(PermissionDenied):
        services.grant_programme(worker1, **PROGRAMME)


def test_programme_grant_runs_in_constant_queries(director, worker1, clerk, districts, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in ("1", "3"):
        nursing_benefit(director, worker1, number, date(2013, 12, 1), date(2014, 12, 31))
    services.grant_programme(clerk, **{**PROGRAMME, "code": "a"})
    with CaptureQueriesContext(connection) as two:
        services.grant_programme(clerk, **{**PROGRAMME, "code": "b"})
    for number in ("5", "7", "9"):
        nursing_benefit(director, worker1, number, date(2013, 12, 1), date(2014, 12, 31))
    with CaptureQueriesContext(connection) as five:
        assert services.grant_programme(clerk, **{**PROGRAMME, "code": "c"}).granted == 5
    assert len(two.captured_queries) == len(five.captured_queries)


# --- overdue --------------------------------------------------------------------------------------


def test_overdue_interviews_and_decisions_per_worker_and_district(
    director, worker1, worker2, districts, django_assert_num_queries
):
    today = date(2026, 11, 23)
    one_person = new_person(director, number="7")
    two_person = new_person(director, number="8")
    # Overdue interview (due 2026-11-20), assigned to worker1.
    late_interview = services.register_application(director, one_person.pk, received_on=date(2026, 10, 30))
    services.assign_interview(director, late_interview.interview.pk, profile(worker1).pk)
    # Overdue interview and decision in Rejon II (received 2026-09-01), unassigned.
    services.register_application(director, two_person.pk, received_on=date(2026, 9, 1))
    # Not overdue.
    services.register_application(director, two_person.pk, received_on=date(2026, 11, 20))

    services.overdue_summary(director, today=today)  # warm the role caches
    with django_assert_num_queries(4 * SQL):
        summary = services.overdue_summary(director, today=today)
    by_district = {e["district"]: (e["interviews"], e["decisions"]) for e in summary.by_district}
    assert by_district == {"Rejon I (test)": (1, 0), "Rejon II (test)": (1, 1)}
    by_worker = {e["worker"]: (e["interviews"], e["decisions"]) for e in summary.by_worker}
    assert by_worker == {"Pracownik1 Test": (1, 0), "": (1, 1)}

    with django_assert_num_queries(1 * SQL):
        rows = services.overdue_interviews(director, today=today)
        assert [(r.case.person.district.name, r.assigned_to and str(r.assigned_to)) for r in rows] == [
            ("Rejon II (test)", None),
            ("Rejon I (test)", "Pracownik1 Test"),
        ]
    for n in range(4):
        services.register_application(director, new_person(director, number="8").pk, received_on=date(2026, 9, 2 + n))
    with django_assert_num_queries(1 * SQL):
        assert len(services.overdue_interviews(director, today=today)) == 6
    with django_assert_num_queries(1 * SQL):
        decisions = services.overdue_decisions(director, today=today)
        assert len(decisions) == 5 and all(d.case.person.district for d in decisions)
    with django_assert_num_queries(4 * SQL):
        services.overdue_summary(director, today=today)

    # A social worker sees their own districts only; asking for another is refused.
    assert [r.case.person_id for r in services.overdue_interviews(worker1, today=today)] == [one_person.pk]
    assert len(services.overdue_interviews(director, today=today, worker_id=profile(worker1).pk)) == 1
    with pytest.raises(PermissionDenied):
        services.overdue_decisions(worker1, today=today, district_id=districts[1].pk)
    mine = services.overdue_summary(worker1, today=today)
    assert [e["district"] for e in mine.by_district] == ["Rejon I (test)"]


# --- social work ----------------------------------------------------------------------------------


def test_social_contract_one_in_force_and_evaluation(director, worker1, districts):
    person = new_person(director)
    application = services.register_application(director, person.pk, received_on=date(2026, 11, 2))
    terms = dict(
        concluded_on=date(2026, 11, 5),
        valid_until=date(2027, 5, 5),
        goals="Podjęcie zatrudnienia.",
        client_obligations="Rejestracja w urzędzie pracy.",
        center_obligations="Pokrycie kosztów kursu.",
    )
    contract = services.conclude_social_contract(worker1, application.case_id, **terms)
    with pytest.raises(Conflict) as refused:
        services.conclude_social_contract(worker1, application.case_id, **terms)
    assert refused.value.code == "contract_in_force"
    services.evaluate_social_contract(worker1, contract.pk, status="completed", evaluation="Cel osiągnięty.")
    services.conclude_social_contract(worker1, application.case_id, **terms)


def test_case_notes_are_written_and_their_reading_audited(director, worker1, districts):
    person = new_person(director)
    application = services.register_application(director, person.pk, received_on=date(2026, 11, 2))
    services.add_case_note(worker1, application.case_id, text="Wizyta w domu.", kind="visit")
    [note] = services.list_case_notes(worker1, application.case_id)
    assert note.author == worker1 and note.kind == "visit"
    assert AuditEntry.objects.filter(
        action=AuditAction.READ, object_id=str(application.case_id), actor=worker1
    ).exists()


def test_unknown_ids_are_not_found(director, center):
    with pytest.raises(NotFound) as missing:
        services.get_person(director, 999999)
    assert missing.value.code == "person_not_found"
    with pytest.raises(NotFound):
        services.get_case(director, "x")


def test_pesel_generator_used_by_the_demo_is_valid():
    for serial in range(20):
        number = make_pesel(date(2003, 12, 31), serial, Sex.MALE)
        assert pesel_number.is_valid(number) and pesel_number.get_gender(number) == "M"


def test_messages_and_labels_are_translated_to_polish(director, districts):
    from django.utils import translation

    person = new_person(director)
    application = services.register_application(director, person.pk, received_on=date(2026, 11, 2))
    with translation.override("pl"):
        assert str(CaseStatus.CLOSED.label) == "zamknięta"
        with pytest.raises(Conflict) as refused:
            services.change_case_status(director, application.case_id, CaseStatus.ACTIVE_HELP)
        assert refused.value.message == "Sprawa nie może przejść ze stanu „otwarta” do „pomoc w toku”."


# --- amounts out of range ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, code",
    [
        ("1e30", "amount_too_large"),  # was InvalidOperation in quantize
        ("123456789012345678", "amount_too_large"),  # was a numeric field overflow in the database
        ("100000000", "amount_too_large"),  # one złoty beyond numeric(10, 2)
        ("99999999.995", "amount_too_large"),  # rounds up beyond the field
        ("NaN", "invalid_amount"),
        ("sNaN", "invalid_amount"),
        ("Infinity", "invalid_amount"),
        ("-Infinity", "invalid_amount"),
        ("-0.01", "invalid_amount"),
        ("tysiąc", "invalid_amount"),
        (None, "invalid_amount"),
    ],
)
def test_an_income_out_of_range_is_a_validation_error_and_changes_nothing(director, districts, value, code):
    head = new_person(director)
    household = services.create_household(director, head.pk, head_income="1500")
    member = household.members.get(person=head)
    with pytest.raises(ValidationFailed) as refused:
        services.set_member_income(director, member.pk, monthly_income=value)
    assert (refused.value.code, refused.value.field) == (code, "monthly_income")
    member.refresh_from_db()
    assert member.monthly_income == Decimal("1500.00")


def test_the_largest_income_fits_and_negative_zero_or_a_tiny_income_is_zero(director, districts):
    head = new_person(director)
    household = services.create_household(director, head.pk, head_income="99999999.99")
    member = household.members.get(person=head)
    assert member.monthly_income == Decimal("99999999.99")
    for value in ("-0", "-0.00", "1e-999999", "-0.004"):
        changed = services.set_member_income(director, member.pk, monthly_income=value)
        assert str(changed.monthly_income) == "0.00", value  # never "-0.00" (in the audit log either)
    assert services.set_member_income(director, member.pk, monthly_income="12.345").monthly_income == Decimal("12.35")


def test_a_member_income_too_large_refuses_the_whole_household(director, districts):
    head = new_person(director)
    child = new_person(director, born=date(2015, 3, 4), sex=Sex.MALE)
    with pytest.raises(ValidationFailed) as refused:
        services.create_household(
            director,
            head.pk,
            head_income=1000,
            members=[{"person_id": child.pk, "relation": "child", "monthly_income": "1e30"}],
        )
    assert (refused.value.code, refused.value.field) == ("amount_too_large", "monthly_income")
    assert "99" in refused.value.message


def test_a_rate_out_of_range_or_rounding_to_zero_is_refused(director, center):
    with pytest.raises(ValidationFailed) as refused:
        services.add_income_criterion_rate(
            director, valid_from=date(2030, 1, 1), single_person="99999999999", per_person_in_family="900"
        )
    assert (refused.value.code, refused.value.field) == ("amount_too_large", "single_person")
    for value in ("1e-999999", "0.004", "-0", "NaN"):
        with pytest.raises(ValidationFailed) as refused:
            services.add_income_criterion_rate(
                director, valid_from=date(2030, 1, 1), single_person="1000", per_person_in_family=value
            )
        assert (refused.value.code, refused.value.field) == ("invalid_amount", "per_person_in_family"), value
    assert not IncomeCriterionRate.objects.filter(valid_from=date(2030, 1, 1)).exists()


def test_a_decision_amount_too_large_is_refused(director, worker1, districts):
    application = ready_for_decision(director, worker1, new_person(director), date(2026, 11, 2))
    with pytest.raises(ValidationFailed) as refused:
        services.issue_decision(
            director,
            application.case_id,
            kind="grant",
            form="zasilek-okresowy",
            amount="1e30",
            period_start=date(2026, 12, 1),
            period_end=date(2027, 2, 28),
            issued_on=date(2026, 11, 20),
        )
    assert (refused.value.code, refused.value.field) == ("amount_too_large", "amount")
    assert not Decision.objects.filter(case_id=application.case_id).exists()


def test_a_programme_amount_too_large_is_refused(director, clerk, center):
    with pytest.raises(ValidationFailed) as refused:
        services.grant_programme(clerk, **{**PROGRAMME, "monthly_amount": "12345678901234567.99"})
    assert (refused.value.code, refused.value.field) == ("amount_too_large", "monthly_amount")


def test_amount_too_large_shows_the_maximum_in_the_users_format(director, center):
    from django.utils import translation

    with translation.override("pl"), pytest.raises(ValidationFailed) as refused:
        services.add_income_criterion_rate(
            director, valid_from=date(2030, 1, 1), single_person="1e30", per_person_in_family="900"
        )
    assert refused.value.code == "amount_too_large"
    assert "99\xa0999\xa0999,99" in refused.value.message, refused.value.message  # the maximum, in Polish format
