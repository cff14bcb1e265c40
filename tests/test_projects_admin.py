"""Projects in the center's admin: every model registered, read-only, viewing a participant audited."""

import pytest
from django.contrib.auth import get_user_model

from ostoja.modules.projects import demo
from ostoja.modules.projects.models import Participant, Project
from ostoja.platform.admin_sites import center_admin_site
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db


def test_project_models_on_the_center_admin_read_only(torun, in_schema, client_for):
    from django.apps import apps

    models = list(apps.get_app_config("projects").get_models())
    assert models and all(model in center_admin_site._registry for model in models)
    with in_schema("torun"):
        demo.seed(torun)
        admin = get_user_model().objects.create_user(username="administrator", is_staff=True)
        StaffProfile.objects.create(user=admin, roles=[Role.ADMINISTRATOR])
        client = client_for("torun")
        client.force_login(admin)
        for model in models:
            response = client.get(f"/admin/projects/{model._meta.model_name}/")
            assert response.status_code == 200, model
        pilot = Project.objects.get(code="standardy-uslug-cistor")
        page = client.get(f"/admin/projects/project/{pilot.pk}/change/").content.decode()
        assert "CISTOR" in page and "1600000" in page.replace(" ", "").replace("\xa0", "")
        # Rules live in the services: no adding or changing here.
        assert client.get("/admin/projects/project/add/").status_code == 403
        response = client.post(f"/admin/projects/project/{pilot.pk}/change/", {"title_pl": "Zmieniony"})
        assert response.status_code == 403
        assert Project.objects.get(pk=pilot.pk).title_pl != "Zmieniony"

        participant = Participant.objects.select_related("person").first()
        response = client.get(f"/admin/projects/participant/{participant.pk}/change/")
        assert response.status_code == 200
        read = AuditEntry.objects.get(action="read", object_type="cases.person", object_id=str(participant.person_id))
        assert read.actor == admin


def test_social_worker_cannot_open_the_projects_admin(torun, in_schema, client_for):
    with in_schema("torun"):
        worker = get_user_model().objects.create_user(username="pracownik", is_staff=True)
        StaffProfile.objects.create(user=worker, roles=[Role.SOCIAL_WORKER])
        client = client_for("torun")
        client.force_login(worker)
        response = client.get("/admin/projects/project/")
        assert response.status_code in (302, 403)
