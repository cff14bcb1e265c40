"""modules/projects: the service rules, permissions and audit."""

import datetime
from decimal import Decimal

import pytest

from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.projects import services
from ostoja.modules.projects.models import (
    AgeGroup,
    CenterRole,
    Characteristic,
    ExitReason,
    FundingKind,
    LabourMarketStatus,
    Participant,
    Project,
    ProjectStatus,
    TargetMeasure,
    TargetUnit,
)
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ostoja.platform.staff.models import Role, StaffProfile

D = datetime.date
DEFAULT_BIRTH = D(1990, 5, 20)
L = LabourMarketStatus


@pytest.fixture
def torun_schema(torun, in_schema):
    with in_schema("torun"):
        yield torun


def make_staff(username, *roles):
    from ostoja.platform.accounts.models import User

    user = User.objects.create_user(username=username, password="x-unused-password")
    StaffProfile.objects.create(user=user, roles=list(roles))
    return user


@pytest.fixture
def coordinator(torun_schema):
    return make_staff("koordynator", Role.PROJECT_COORDINATOR)


@pytest.fixture
def auditor(torun_schema):
    return make_staff("audytor", Role.AUDITOR)


@pytest.fixture
def social_worker(torun_schema):
    return make_staff("pracownik", Role.SOCIAL_WORKER)


def person(first="Anna", last="Przykładowa", sex=Sex.FEMALE, birth=DEFAULT_BIRTH, serial=1, with_dob=True):
    return Person.objects.create(
        first_name=first,
        last_name=last,
        sex=sex,
        pesel=make_pesel(birth, serial, sex),
        date_of_birth=birth if with_dob else None,
    )


def project(actor, code="p1", **extra):
    data = {
        "code": code,
        "title_pl": "Wspieramy mamy",
        "title_en": "We support mothers",
        "center_role": CenterRole.LEAD,
        "start_date": D(2017, 1, 1),
        "end_date": D(2018, 6, 30),
        "status": ProjectStatus.RUNNING,
    }
    data.update(extra)
    return services.create_project(actor, **data)


def error_codes(exc_info):
    return {e["code"] for e in exc_info.value.as_dicts()}


# --- project rules -----------------------------------------------------------------------------


def test_share_above_total_refused(coordinator):
    with pytest.raises(ValidationFailed) as exc:
        project(coordinator, total_budget="1600000", center_share="1600000.01")
    assert "share_exceeds_total" in error_codes(exc)
    assert not Project.objects.exists()
    created = project(coordinator, total_budget="1600000", center_share="1100000")
    assert created.center_share == Decimal("1100000")
    with pytest.raises(ValidationFailed) as exc:
        services.update_project(coordinator, created.pk, total_budget="1000000")
    assert "share_exceeds_total" in error_codes(exc)


def test_reversed_period_refused(coordinator):
    with pytest.raises(ValidationFailed) as exc:
        project(coordinator, start_date=D(2018, 7, 1), end_date=D(2018, 6, 30))
    assert "period_reversed" in error_codes(exc)


def test_unknown_period_allowed_for_historical_records(coordinator):
    created = project(coordinator, start_date=None, end_date=None)
    assert created.period_label == ""


def test_year_period_must_cover_whole_years(coordinator):
    with pytest.raises(ValidationFailed) as exc:
        project(coordinator, period_precision="year", start_date=D(2014, 3, 1), end_date=D(2020, 12, 31))
    assert "year_period_bounds" in error_codes(exc)
    created = project(coordinator, period_precision="year", start_date=D(2014, 1, 1), end_date=D(2020, 12, 31))
    assert created.period_label == "2014–2020"


def test_funding_sources_within_total(coordinator):
    created = project(coordinator, total_budget="1000")
    services.add_funding_source(coordinator, created.pk, kind=FundingKind.EFS, amount="850")
    with pytest.raises(ValidationFailed) as exc:
        services.add_funding_source(coordinator, created.pk, kind=FundingKind.COMMUNE_BUDGET, amount="150.01")
    assert exc.value.code == "funding_exceeds_total"
    services.add_funding_source(coordinator, created.pk, kind=FundingKind.STATE_BUDGET, amount=None)
    with pytest.raises(Conflict) as exc:
        services.add_funding_source(coordinator, created.pk, kind=FundingKind.EFS, amount="1")
    assert exc.value.code == "duplicate_funding_source"
    with pytest.raises(ValidationFailed) as exc:
        services.add_funding_source(coordinator, created.pk, kind=FundingKind.OTHER, amount="1")
    assert exc.value.field == "description"
    assert sorted(created.funding_sources.values_list("kind", flat=True)) == ["efs", "state_budget"]


def test_status_transitions(coordinator):
    created = project(coordinator, status=ProjectStatus.PLANNED)
    with pytest.raises(Conflict) as exc:
        services.change_project_status(coordinator, created.pk, ProjectStatus.SETTLED)
    assert exc.value.code == "invalid_transition"
    services.change_project_status(coordinator, created.pk, ProjectStatus.RUNNING)
    p = person()
    participant = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=p.pk,
        pesel=p.pesel,
        enrolled_on=D(2017, 2, 1),
        labour_market_status=L.INACTIVE,
    )
    with pytest.raises(Conflict) as exc:
        services.change_project_status(coordinator, created.pk, ProjectStatus.FINISHED)
    assert exc.value.code == "participants_still_enrolled"
    services.end_participation(coordinator, participant.pk, exited_on=D(2018, 1, 31), exit_reason=ExitReason.COMPLETED)
    services.change_project_status(coordinator, created.pk, ProjectStatus.FINISHED)
    services.change_project_status(coordinator, created.pk, ProjectStatus.SETTLED)
    with pytest.raises(Conflict) as exc:
        services.update_project(coordinator, created.pk, title_en="Changed")
    assert exc.value.code == "project_closed"
    assert Project.objects.get(pk=created.pk).title_en == "We support mothers"


# --- participants ------------------------------------------------------------------------------


def test_enrolment_outside_period_refused(coordinator):
    created = project(coordinator)
    p = person()
    for day in (D(2016, 12, 31), D(2018, 7, 1)):
        with pytest.raises(ValidationFailed) as exc:
            services.enrol_participant(
                coordinator, created.pk, person_id=p.pk, pesel=p.pesel, enrolled_on=day, labour_market_status=L.INACTIVE
            )
        assert "enrolment_outside_period" in error_codes(exc)
    participant = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=p.pk,
        pesel=p.pesel,
        enrolled_on=D(2017, 1, 1),
        labour_market_status=L.INACTIVE,
    )
    with pytest.raises(ValidationFailed) as exc:
        services.end_participation(
            coordinator, participant.pk, exited_on=D(2018, 7, 1), exit_reason=ExitReason.COMPLETED
        )
    assert "exit_outside_period" in error_codes(exc)
    with pytest.raises(Conflict) as exc:
        services.update_project(coordinator, created.pk, start_date=D(2017, 6, 1))
    assert exc.value.code == "enrolments_outside_period"


def test_duplicate_active_enrolment_refused(coordinator):
    created = project(coordinator)
    p = person()
    first = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=p.pk,
        pesel=p.pesel,
        enrolled_on=D(2017, 2, 1),
        labour_market_status=L.INACTIVE,
    )
    with pytest.raises(Conflict) as exc:
        services.enrol_participant(
            coordinator,
            created.pk,
            person_id=p.pk,
            pesel=p.pesel,
            enrolled_on=D(2017, 3, 1),
            labour_market_status=L.INACTIVE,
        )
    assert exc.value.code == "duplicate_enrolment"
    services.end_participation(coordinator, first.pk, exited_on=D(2017, 5, 31), exit_reason=ExitReason.EARLY_EXIT)
    with pytest.raises(Conflict) as exc:
        services.enrol_participant(
            coordinator,
            created.pk,
            person_id=p.pk,
            pesel=p.pesel,
            enrolled_on=D(2017, 5, 1),
            labour_market_status=L.INACTIVE,
        )
    assert exc.value.code == "overlapping_enrolment"
    again = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=p.pk,
        pesel=p.pesel,
        enrolled_on=D(2017, 9, 1),
        labour_market_status=L.EMPLOYED,
    )
    assert Participant.objects.filter(project=created, person=p).count() == 2
    assert again.is_active


def test_monitoring_fields_derived_from_person(coordinator):
    created = project(coordinator, start_date=D(2010, 1, 1), end_date=D(2030, 12, 31))
    woman = person("Anna", "A", Sex.FEMALE, D(1993, 6, 15), serial=1)
    # No date of birth on the record: it comes from the PESEL.
    man = person("Jan", "B", Sex.MALE, D(1960, 1, 10), serial=2, with_dob=False)
    youth = person("Ola", "C", Sex.FEMALE, D(2001, 6, 16), serial=3)
    a = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=woman.pk,
        pesel=woman.pesel,
        enrolled_on=D(2018, 6, 15),
        labour_market_status=L.INACTIVE,
    )
    b = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=man.pk,
        pesel=man.pesel,
        enrolled_on=D(2020, 1, 9),
        labour_market_status=L.EMPLOYED,
    )
    c = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=youth.pk,
        pesel=youth.pesel,
        enrolled_on=D(2019, 6, 15),
        labour_market_status=L.INACTIVE,
    )
    assert (a.sex, a.age_at_enrolment, a.age_group) == ("F", 25, AgeGroup.FROM_25_TO_29)
    assert (b.sex, b.age_at_enrolment, b.age_group) == ("M", 59, AgeGroup.FROM_55_TO_64)
    assert (c.age_at_enrolment, c.age_group) == (17, AgeGroup.UNDER_18)
    with pytest.raises(ValidationFailed):
        services.update_participant(coordinator, a.pk, sex="M")
    assert Participant.objects.get(pk=a.pk).sex == "F"


# --- progress ----------------------------------------------------------------------------------


def test_target_progress(coordinator):
    created = project(coordinator, start_date=D(2017, 1, 1), end_date=D(2020, 12, 31))
    carers = services.add_target(
        coordinator,
        created.pk,
        code="carers",
        name_pl="Opiekunowie dzieci do lat 3",
        unit=TargetUnit.PERSONS,
        target_value=80,
        measure=TargetMeasure.PARTICIPANTS,
        criterion_characteristic=Characteristic.CARES_FOR_CHILD_UNDER_3,
    )
    unemployed_women_under_30 = services.add_target(
        coordinator,
        created.pk,
        code="young-unemployed-women",
        name_pl="Bezrobotne kobiety do 29 lat",
        unit=TargetUnit.PERSONS,
        target_value=10,
        measure=TargetMeasure.PARTICIPANTS,
        criterion_sex=Sex.FEMALE,
        criterion_max_age=29,
        criterion_labour_statuses=[L.UNEMPLOYED_REGISTERED, L.LONG_TERM_UNEMPLOYED],
    )
    employed_after = services.add_target(
        coordinator,
        created.pk,
        code="employed-after",
        name_pl="Pracujący po opuszczeniu projektu",
        indicator_type="result",
        unit=TargetUnit.PERSONS,
        target_value=4,
        measure=TargetMeasure.PARTICIPANTS,
        criterion_exit_statuses=[L.EMPLOYED],
    )
    centers = services.add_target(
        coordinator,
        created.pk,
        code="care-centers",
        name_pl="Placówki wsparcia dziennego",
        unit=TargetUnit.FACILITIES,
        target_value=2,
        measure=TargetMeasure.RECORDED,
    )
    CU3 = [Characteristic.CARES_FOR_CHILD_UNDER_3]
    people = [
        # sex, birth, status at enrolment, characteristics
        (Sex.FEMALE, D(1995, 1, 1), L.UNEMPLOYED_REGISTERED, CU3),  # carers, young unemployed women
        (Sex.FEMALE, D(1980, 1, 1), L.LONG_TERM_UNEMPLOYED, CU3),  # carers only (too old)
        (Sex.MALE, D(1995, 1, 1), L.UNEMPLOYED_REGISTERED, CU3),  # carers only (a man)
        (Sex.FEMALE, D(1996, 1, 1), L.INACTIVE, []),  # none (inactive, no child)
        (Sex.FEMALE, D(1997, 1, 1), L.LONG_TERM_UNEMPLOYED, []),  # young unemployed women
    ]
    enrolments = []
    for i, (sex, birth, status, chars) in enumerate(people):
        p = person(f"P{i}", f"N{i}", sex, birth, serial=10 + i)
        enrolments.append(
            services.enrol_participant(
                coordinator,
                created.pk,
                person_id=p.pk,
                pesel=p.pesel,
                enrolled_on=D(2018, 1, 1),
                labour_market_status=status,
                characteristics=chars,
            )
        )
    # The first person leaves employed and enrols again: still one person for every target.
    services.end_participation(
        coordinator,
        enrolments[0].pk,
        exited_on=D(2018, 6, 30),
        exit_reason=ExitReason.COMPLETED,
        labour_market_status_at_exit=L.EMPLOYED,
    )
    services.enrol_participant(
        coordinator,
        created.pk,
        person_id=enrolments[0].person_id,
        enrolled_on=D(2019, 1, 1),
        labour_market_status=L.UNEMPLOYED_REGISTERED,
        characteristics=CU3,
    )
    services.end_participation(
        coordinator,
        enrolments[3].pk,
        exited_on=D(2018, 6, 30),
        exit_reason=ExitReason.COMPLETED,
        labour_market_status_at_exit=L.INACTIVE,
    )
    services.record_achievement(coordinator, centers.pk, value=1, achieved_on=D(2019, 9, 1), note="Placówka 1")
    with pytest.raises(Conflict) as exc:
        services.record_achievement(coordinator, carers.pk, value=1, achieved_on=D(2019, 9, 1))
    assert exc.value.code == "target_counted_from_participants"
    with pytest.raises(ValidationFailed) as exc:
        services.record_achievement(coordinator, centers.pk, value=1, achieved_on=D(2021, 1, 1))
    assert "outside_project_period" in error_codes(exc)

    progress = {t.code: t for t in services.project_progress(coordinator, created.pk)}
    assert progress[carers.code].achieved == 3
    assert progress[unemployed_women_under_30.code].achieved == 2
    assert progress[employed_after.code].achieved == 1
    assert progress[centers.code].achieved == Decimal(1)
    assert progress[centers.code].progress_percent == Decimal("50.0")
    assert progress[carers.code].progress_percent == Decimal("3.8")


def test_target_rules(coordinator):
    created = project(coordinator)
    with pytest.raises(ValidationFailed) as exc:
        services.add_target(
            coordinator,
            created.pk,
            code="x",
            name_pl="X",
            unit=TargetUnit.FACILITIES,
            target_value=2,
            measure=TargetMeasure.PARTICIPANTS,
        )
    assert "unit_not_persons" in error_codes(exc)
    with pytest.raises(ValidationFailed) as exc:
        services.add_target(
            coordinator,
            created.pk,
            code="x",
            name_pl="X",
            unit=TargetUnit.PERSONS,
            target_value=0,
            measure=TargetMeasure.PARTICIPANTS,
            criterion_min_age=30,
            criterion_max_age=18,
        )
    assert {"invalid_target_value", "age_range_reversed"} <= error_codes(exc)


# --- list queries ------------------------------------------------------------------------------


def _project_with_data(actor, i, persons):
    created = project(actor, code=f"p{i}", total_budget="1000", center_share="500")
    services.add_funding_source(actor, created.pk, kind=FundingKind.EFS, amount="800")
    services.add_partner(actor, created.pk, name=f"Partner {i}")
    services.add_target(
        actor,
        created.pk,
        code="carers",
        name_pl="Opiekunowie",
        unit=TargetUnit.PERSONS,
        target_value=80,
        measure=TargetMeasure.PARTICIPANTS,
        criterion_characteristic=Characteristic.CARES_FOR_CHILD_UNDER_3,
    )
    recorded = services.add_target(
        actor,
        created.pk,
        code="centers",
        name_pl="Placówki",
        unit=TargetUnit.FACILITIES,
        target_value=2,
        measure=TargetMeasure.RECORDED,
    )
    services.record_achievement(actor, recorded.pk, value=1, achieved_on=D(2017, 5, 1))
    for p in persons:
        services.enrol_participant(
            actor,
            created.pk,
            person_id=p.pk,
            pesel=p.pesel,
            enrolled_on=D(2017, 2, 1),
            labour_market_status=L.INACTIVE,
            characteristics=[Characteristic.CARES_FOR_CHILD_UNDER_3],
        )


# django-tenants sends "SET search_path" before each query: 4 SELECTs (projects with participant
# counts, targets with progress, funding sources, partners) are 8 statements, for any number of projects.
LIST_QUERIES = 8


def _list_and_read(actor):
    projects = services.list_projects(actor)
    for p in projects:
        assert p.participants_total == 2 and p.participants_active == 2
        assert {t.code: t.achieved for t in p.target_list} == {"carers": 2, "centers": Decimal(1)}
        assert [s.amount for s in p.funding_sources.all()] == [Decimal("800.00")]
        assert len(p.partners.all()) == 1
    return projects


def test_project_list_in_constant_queries(coordinator, django_assert_num_queries):
    persons = [person(f"P{i}", "N", Sex.FEMALE, D(1990, 1, 1 + i), serial=i) for i in range(2)]
    _project_with_data(coordinator, 0, persons)
    services.list_projects(coordinator)  # the caller's staff profile is looked up once per request
    with django_assert_num_queries(LIST_QUERIES):
        assert len(_list_and_read(coordinator)) == 1
    for i in range(1, 10):
        _project_with_data(coordinator, i, persons)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(_list_and_read(coordinator)) == 10


# --- permissions and audit ---------------------------------------------------------------------


def test_social_worker_denied(coordinator, social_worker):
    created = project(coordinator)
    with pytest.raises(PermissionDenied) as exc:
        services.list_projects(social_worker)
    assert exc.value.code == "role_required"
    with pytest.raises(PermissionDenied):
        services.get_project(social_worker, created.pk)
    with pytest.raises(PermissionDenied):
        project(social_worker, code="p2")
    assert Project.objects.count() == 1


def test_director_may_write_and_coordinator_must_run_projects(torun_schema, coordinator, social_worker):
    director = make_staff("dyrektor", Role.DEPUTY_DIRECTOR)
    created = project(director, coordinator_id=coordinator.pk)
    assert created.created_by == director and created.coordinator == coordinator
    with pytest.raises(ValidationFailed) as exc:
        services.update_project(director, created.pk, coordinator_id=social_worker.pk)
    assert "invalid_coordinator" in error_codes(exc)


def test_auditor_reads_but_cannot_write(coordinator, auditor):
    created = project(coordinator)
    p = person()
    participant = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=p.pk,
        pesel=p.pesel,
        enrolled_on=D(2017, 2, 1),
        labour_market_status=L.INACTIVE,
    )
    assert [x.code for x in services.list_projects(auditor)] == ["p1"]
    assert services.get_participant(auditor, participant.pk).person == p
    assert services.project_progress(auditor, created.pk) == []
    for call in (
        lambda: project(auditor, code="p2"),
        lambda: services.update_project(auditor, created.pk, title_en="X"),
        lambda: services.change_project_status(auditor, created.pk, ProjectStatus.FINISHED),
        lambda: services.enrol_participant(
            auditor,
            created.pk,
            person_id=p.pk,
            pesel=p.pesel,
            enrolled_on=D(2017, 3, 1),
            labour_market_status=L.INACTIVE,
        ),
        lambda: services.end_participation(
            auditor, participant.pk, exited_on=D(2017, 3, 1), exit_reason=ExitReason.COMPLETED
        ),
        lambda: services.add_partner(auditor, created.pk, name="CISTOR"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    created.refresh_from_db()
    assert created.title_en == "We support mothers" and created.status == ProjectStatus.RUNNING
    assert not created.partners.exists()


def test_unknown_project_is_not_found(coordinator):
    with pytest.raises(NotFound):
        services.update_project(coordinator, 987654, title_en="X")


def test_audit_entries(coordinator, auditor):
    created = project(coordinator, total_budget="1600000", center_share="1000000")
    entry = AuditEntry.objects.get(object_type="projects.project", object_id=str(created.pk), action="create")
    assert entry.actor == coordinator
    assert entry.changes["title_pl"] == [None, "Wspieramy mamy"]

    services.update_project(coordinator, created.pk, center_share="1100000")
    entry = AuditEntry.objects.get(object_type="projects.project", object_id=str(created.pk), action="update")
    assert entry.changes == {"center_share": ["1000000.00", "1100000"]} or entry.changes == {
        "center_share": ["1000000.00", "1100000.00"]
    }

    p = person()
    participant = services.enrol_participant(
        coordinator,
        created.pk,
        person_id=p.pk,
        pesel=p.pesel,
        enrolled_on=D(2017, 2, 1),
        labour_market_status=L.INACTIVE,
    )
    assert AuditEntry.objects.filter(
        object_type="projects.participant", object_id=str(participant.pk), action="create"
    ).exists()

    before = AuditEntry.objects.filter(object_type="cases.person", object_id=str(p.pk), action="read").count()
    services.list_participants(auditor, created.pk)
    services.get_participant(auditor, participant.pk)
    reads = AuditEntry.objects.filter(object_type="cases.person", object_id=str(p.pk), action="read")
    assert reads.count() == before + 2
    assert {r.actor for r in reads} == {auditor}


# --- amounts out of range ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, code",
    [
        ("1e30", "amount_too_large"),  # was InvalidOperation in quantize
        ("12345678901234567.99", "amount_too_large"),  # was a numeric field overflow in the database
        ("1000000000000", "amount_too_large"),  # one złoty beyond numeric(14, 2)
        ("NaN", "invalid_amount"),
        ("-Infinity", "invalid_amount"),
        ("1e-999999", "invalid_amount"),  # more than two decimal places: was accepted and stored as 0.00
        ("10.001", "invalid_amount"),
        ("dużo", "invalid_amount"),
        ("-1", "negative_amount"),
    ],
)
def test_a_budget_out_of_range_is_a_validation_error_and_creates_nothing(coordinator, value, code):
    with pytest.raises(ValidationFailed) as exc:
        project(coordinator, total_budget=value)
    assert [(e["field"], e["code"]) for e in exc.value.as_dicts()] == [("total_budget", code)]
    assert not Project.objects.exists()


def test_the_largest_budget_fits_and_negative_zero_is_zero(coordinator):
    created = project(coordinator, total_budget="999999999999.99", center_share="-0")
    created.refresh_from_db()
    assert created.total_budget == Decimal("999999999999.99")
    assert str(services.update_project(coordinator, created.pk, center_share="-0.00").center_share) == "0.00"
    with pytest.raises(ValidationFailed) as exc:
        services.update_project(coordinator, created.pk, center_share="1e30")
    assert error_codes(exc) == {"amount_too_large"}
    with pytest.raises(ValidationFailed) as exc:
        services.add_funding_source(coordinator, created.pk, kind=FundingKind.EFS, amount="1e30")
    assert error_codes(exc) == {"amount_too_large"}
    assert not created.funding_sources.exists()


def test_a_target_or_achievement_out_of_range_is_refused(coordinator):
    created = project(coordinator)
    target = dict(code="t", name_pl="T", unit=TargetUnit.FACILITIES, measure=TargetMeasure.RECORDED)
    for value, code in [
        ("1e30", "amount_too_large"),
        ("10000000000", "amount_too_large"),  # numeric(12, 2)
        ("NaN", "invalid_target_value"),
        ("1e-999999", "invalid_target_value"),  # rounds to zero: was accepted and stored as 0.00
    ]:
        with pytest.raises(ValidationFailed) as exc:
            services.add_target(coordinator, created.pk, target_value=value, **target)
        assert [(e["field"], e["code"]) for e in exc.value.as_dicts()] == [("target_value", code)], value
    added = services.add_target(coordinator, created.pk, target_value="2", **target)
    for value, code in [("1e30", "amount_too_large"), ("Infinity", "invalid_value"), ("0.001", "invalid_value")]:
        with pytest.raises(ValidationFailed) as exc:
            services.record_achievement(coordinator, added.pk, value=value, achieved_on=D(2017, 9, 1))
        assert [(e["field"], e["code"]) for e in exc.value.as_dicts()] == [("value", code)], value
    assert not added.achievements.exists()
