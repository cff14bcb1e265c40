"""Foster care in the center's admin: every model registered and its list page renders."""

import pytest
from django.contrib.auth import get_user_model

from ostoja.modules.foster_care import demo
from ostoja.modules.foster_care.models import FosterCareSettings, FosterFamily
from ostoja.platform.admin_sites import center_admin_site
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db


def test_every_foster_care_model_is_on_the_center_admin_and_lists_render(gdansk, in_schema, client_for):
    from django.apps import apps

    models = list(apps.get_app_config("foster_care").get_models())
    assert all(model in center_admin_site._registry for model in models)
    with in_schema("gdansk"):
        demo.seed(gdansk)
        admin = get_user_model().objects.create_user(username="administrator", is_staff=True)
        StaffProfile.objects.create(user=admin, roles=[Role.ADMINISTRATOR])
        client = client_for("gdansk")
        client.force_login(admin)
        for model in models:
            response = client.get(f"/admin/foster_care/{model._meta.model_name}/")
            assert response.status_code == 200, model
        family = FosterFamily.objects.first()
        family_page = client.get(f"/admin/foster_care/fosterfamily/{family.pk}/change/")
        assert family_page.status_code == 200 and family.name in family_page.content.decode()
        # The intervals are the one thing editable here, and they go through the service.
        settings_row = FosterCareSettings.load()
        response = client.post(
            f"/admin/foster_care/fostercaresettings/{settings_row.pk}/change/",
            {
                "child_under_3_interval_months": 3,
                "child_interval_months": 5,
                "family_first_assessment_months": 12,
                "family_second_assessment_months": 12,
                "family_interval_months": 36,
            },
        )
        assert response.status_code == 302
        assert FosterCareSettings.load().child_interval_months == 5
        entry = AuditEntry.objects.get(object_type="foster_care.fostercaresettings")
        assert entry.actor == admin and entry.changes == {"child_interval_months": [6, 5]}
