"""Social assistance in the center's admin: every model registered, list and change pages render, opening a
person or a case is audited (a case with special-category reasons as a sensitive read), rates go through
the service."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from ostoja.modules.cases import demo
from ostoja.modules.cases.models import Case, CaseReason, HelpReason, IncomeCriterionRate, Person
from ostoja.platform.admin_sites import center_admin_site
from ostoja.platform.audit.models import AuditAction, AuditEntry
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db


def test_every_cases_model_is_on_the_center_admin_and_pages_render(slupsk, in_schema, client_for):
    models = list(apps.get_app_config("cases").get_models())
    assert all(model in center_admin_site._registry for model in models)
    with in_schema("slupsk"):
        demo.seed(slupsk)
        admin = get_user_model().objects.create_user(username="administrator-cases", is_staff=True)
        StaffProfile.objects.create(user=admin, roles=[Role.ADMINISTRATOR])
        client = client_for("slupsk")
        client.force_login(admin)
        for model in models:
            response = client.get(f"/admin/cases/{model._meta.model_name}/")
            assert response.status_code == 200, model
            assert client.get(f"/admin/cases/{model._meta.model_name}/add/").status_code == (
                200 if model is IncomeCriterionRate else 403
            ), model

        person = Person.objects.filter(cases__isnull=False).first()
        page = client.get(f"/admin/cases/person/{person.pk}/change/")
        assert page.status_code == 200 and person.last_name in page.content.decode()
        assert AuditEntry.objects.filter(
            actor=admin, action=AuditAction.READ, object_type="cases.person", object_id=str(person.pk)
        ).exists()

        case = Case.objects.filter(person=person).first()
        CaseReason.objects.get_or_create(
            case=case, reason=HelpReason.objects.get(code="przemoc-domowa"), defaults={"noted_on": case.opened_on}
        )
        assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 200
        sensitive = AuditEntry.objects.get(actor=admin, action=AuditAction.READ_SENSITIVE, object_id=str(case.pk))
        assert "przemoc-domowa" in sensitive.changes["reasons"][1]

        response = client.post(
            "/admin/cases/incomecriterionrate/add/",
            {"valid_from": "2027-10-01", "single_person": "1100", "per_person_in_family": "900", "legal_basis": ""},
        )
        assert response.status_code == 302
        rate = IncomeCriterionRate.objects.get(valid_from="2027-10-01")
        entry = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="cases.incomecriterionrate")
        assert entry.actor == admin and entry.object_id == str(rate.pk)
