"""The scoped read querysets behind the cases connections (modules/cases/selectors.py), called directly."""

from datetime import date, timedelta

import pytest
from django_tenants.utils import schema_context
from test_graphql_cases import application, person, world

from ostoja.modules.cases import selectors, services
from ostoja.modules.cases.models import CaseStatus
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(torun):
    return world()


def test_overdue_cases_and_applications_on_a_given_day(w):
    received = date.today() - timedelta(days=10)
    app = application(w.director, person(w.director, "Termin", "7"), received)
    with schema_context("torun"):
        before_due = app.interview.due_on - timedelta(days=1)
        after_due = app.interview.due_on + timedelta(days=1)
        assert not selectors.cases(w.director, overdue=True, today=before_due).exists()
        assert list(selectors.cases(w.director, overdue=True, today=after_due)) == [app.case]
        assert list(selectors.interviews(w.director, overdue=True, today=after_due)) == [app.interview]
        after_decision_due = app.decision_due_on + timedelta(days=1)
        assert list(selectors.applications(w.director, overdue=True, today=after_decision_due)) == [app]
        assert not selectors.applications(w.director, overdue=True, today=app.decision_due_on).exists()
        services.close_case(w.director, app.case_id, reason="withdrawn")
        assert not selectors.cases(w.director, overdue=True, today=after_due).exists()
        assert not selectors.interviews(w.director, overdue=True, today=after_due).exists()
        assert selectors.cases(w.director, status=CaseStatus.CLOSED).count() == 1


def test_selectors_check_roles_and_districts(w):
    person(w.director, "Parzysta", "8")
    with schema_context("torun"):
        for selector in (selectors.persons, selectors.households, selectors.cases, selectors.applications):
            with pytest.raises(PermissionDenied) as refused:
                selector(w.coordinator)
            assert refused.value.code == "role_required"
            with pytest.raises(PermissionDenied) as refused:
                selector(w.worker1, district_id=w.two.pk)
            assert refused.value.code == "other_district"
        assert not selectors.persons(w.worker1).exists()
        assert selectors.persons(w.worker2).count() == 1
        assert selectors.persons(services.SYSTEM).count() == 1
        with pytest.raises(ValidationFailed) as refused:
            selectors.interviews(w.director, due_from=date(2026, 2, 1), due_to=date(2026, 1, 1))
        assert refused.value.code == "period_reversed" and refused.value.field == "due_to"


def test_case_notes_read_is_audited_each_time(w):
    app = application(w.director, person(w.director, "Notatka", "7"))
    with schema_context("torun"):
        services.add_case_note(w.director, app.case_id, text="Wizyta.", kind="visit")
        assert [n.text for n in selectors.case_notes(w.worker1, app.case_id)] == ["Wizyta."]
        assert not selectors.case_notes(w.worker1, app.case_id, kind="call").exists()
        reads = AuditEntry.objects.filter(action=AuditAction.READ, actor=w.worker1, object_id=str(app.case_id))
        assert reads.count() == 2
        with pytest.raises(PermissionDenied):
            selectors.case_notes(w.worker2, app.case_id)
