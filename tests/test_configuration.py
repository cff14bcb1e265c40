"""Configuration services: validation (phones, e-mail, URL, postcode, hours), roles, audit, admin."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.errors import NotFound, PermissionDenied, ValidationFailed
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration import services
from ostoja.tenants.configuration.models import Address, Contact, Department, Schedule, ScheduleRule
from ostoja.tenants.configuration.phones import display_phone, normalize_phone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("(56) 65 08 565", "+48566508565"),
        ("(56) 64 86 447", "+48566486447"),
        ("0598428126", "+48598428126"),  # Słupsk, with the old trunk prefix
        ("58 342 31 36", "+48583423136"),
        ("+48 600 100 200", "+48600100200"),
    ],
)
def test_valid_phones_are_normalised(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "12", "56 65 08", "not a phone", "+48 00 000 00 00"])
def test_invalid_phones_are_refused(raw):
    with pytest.raises(ValidationError) as failure:
        normalize_phone(raw)
    assert failure.value.code == "invalid_phone"


def test_display_format():
    assert display_phone("+48566508565") == "56 650 85 65"


def test_contacts_are_validated_and_normalised(torun, in_schema):
    with in_schema("torun"):
        phone = services.create_contact(None, kind="phone", value="(56) 611 22 33", label="Dział Pomocy Środowiskowej")
        assert phone.value == "+48566112233"
        email = services.create_contact(None, kind="email", value=" Kadry@MOPR.torun.pl ")
        assert email.value == "kadry@mopr.torun.pl"
        for kind, value, code in [
            ("phone", "123", "invalid_phone"),
            ("fax", "fax me", "invalid_phone"),
            ("email", "sekretariat@", "invalid_email"),
            ("website", "mopr.torun", "invalid_url"),
            ("website", "ftp://mopr.torun.pl", "invalid_url"),
        ]:
            with pytest.raises(ValidationFailed) as failure:
                services.create_contact(None, kind=kind, value=value)
            assert failure.value.code == code
            assert failure.value.field == "value"
        assert not Contact.objects.filter(value__in=["123", "sekretariat@"]).exists()


def test_address_postcode_and_single_seat(slupsk, in_schema):
    with in_schema("slupsk"):
        with pytest.raises(ValidationFailed) as failure:
            services.create_address(None, street="Długa", building="1", postcode="76200", city="Słupsk")
        assert failure.value.code == "invalid_postcode"
        with pytest.raises(ValidationFailed):
            services.create_address(None, kind="seat", street="Długa", building="1", postcode="76-200", city="Słupsk")
        assert Address.objects.count() == 2
        assert [str(a) for a in Address.objects.all()] == [
            "ul. Sienkiewicza 19, 76-200 Słupsk",
            "ul. Jaracza 5, 76-200 Słupsk",
        ]


def test_department_names_by_language(torun, in_schema):
    from django.utils import translation

    with in_schema("torun"):
        department = Department.objects.get(code="organizacyjno-administracyjny")
        with translation.override("pl"):
            assert department.display_name == "Dział Organizacyjno-Administracyjny"
        with translation.override("en"):
            assert department.display_name == "Organizational and Administrative Department"
        services.update_department(None, department, name_en="")
        department.refresh_from_db()
        with translation.override("en"):
            assert department.display_name == "Dział Organizacyjno-Administracyjny"  # falls back to Polish


def test_teams_with_districts(slupsk, in_schema):
    from ostoja.tenants.configuration.models import District

    with in_schema("slupsk"):
        team = services.create_team(None, name="Zespół Pracy Socjalnej Północ")
        services.set_team_districts(None, team, District.objects.filter(code__in=["rejon-1", "rejon-2"]))
        assert sorted(team.districts.values_list("code", flat=True)) == ["rejon-1", "rejon-2"]
        with pytest.raises(ValidationFailed):
            services.create_team(None, name="Zespół Pracy Socjalnej Północ")


def test_schedule_intervals_must_not_overlap(torun, in_schema):
    with in_schema("torun"):
        office = Schedule.objects.get(kind="office")
        with pytest.raises(ValidationFailed) as failure:
            services.add_schedule_rule(None, office, weekday=0, opens=time(15), closes=time(17))
        assert failure.value.code == "hours_overlap"
        with pytest.raises(ValidationFailed) as failure:
            services.add_schedule_rule(None, office, weekday=0, opens=time(17), closes=time(16))
        assert failure.value.code == "hours_reversed"
        services.add_schedule_rule(None, office, weekday=0, opens=time(15, 30), closes=time(17))  # touching is fine
        services.add_schedule_rule(None, office, weekday=5, opens=time(9), closes=time(12))  # another weekday
        assert office.rules.filter(weekday=0).count() == 2
        with pytest.raises(ValidationFailed):
            services.create_schedule(None, kind="office")  # one general schedule per kind


def test_unknown_field_and_missing_object(torun, in_schema):
    with in_schema("torun"):
        with pytest.raises(ValidationFailed) as failure:
            services.create_department(None, code="x", name="X", colour="red")
        assert failure.value.code == "unknown_field"
        with pytest.raises(NotFound):
            services.update_department(None, 999999, name="Y")


def test_settings_are_validated(gdansk, in_schema):
    with in_schema("gdansk"):
        with pytest.raises(ValidationFailed) as failure:
            services.update_settings(None, timezone="Europe/Gdansk")
        assert failure.value.code == "invalid_timezone"
        with pytest.raises(ValidationFailed):
            services.update_settings(None, email="not-an-address")
        updated = services.update_settings(None, website="https://www.mopr.gda.pl")
        assert updated.website == "https://www.mopr.gda.pl"


def _staff(username, roles):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password="Długie-hasło-123")
    StaffProfile.objects.create(user=user, roles=roles)
    return user


def test_writes_need_administrator_or_director(torun, in_schema):
    with in_schema("torun"):
        worker = _staff("pracownik", [Role.SOCIAL_WORKER])
        auditor = _staff("audytor", [Role.AUDITOR])
        director = _staff("dyrektor", [Role.DIRECTOR])
        admin = _staff("administrator", [Role.ADMINISTRATOR])
        for actor in (worker, auditor):
            with pytest.raises(PermissionDenied):
                services.create_department(actor, code="nowy", name="Nowy dział")
            with pytest.raises(PermissionDenied):
                services.delete_department(actor, Department.objects.first())
        assert not Department.objects.filter(code="nowy").exists()
        department = services.create_department(director, code="nowy", name="Nowy dział", name_en="New department")
        pk = department.pk
        services.update_department(admin, department, name="Dział Nowy")
        services.delete_department(admin, department)
        assert not Department.objects.filter(pk=pk).exists()
        entries = list(
            AuditEntry.objects.filter(object_type="configuration.department", object_id=str(pk)).order_by("id")
        )
        assert [(e.action, e.actor_label) for e in entries] == [
            ("create", "dyrektor"),
            ("update", "administrator"),
            ("delete", "administrator"),
        ]
        assert entries[1].changes == {"name": ["Nowy dział", "Dział Nowy"]}


def test_system_actions_are_audited_without_actor(torun, in_schema):
    with in_schema("torun"):
        services.create_closure(None, date="2026-12-24", reason="Wigilia")
        entry = AuditEntry.objects.filter(object_type="configuration.closure").latest("id")
        assert entry.action == "create" and entry.actor is None and entry.actor_label == ""


def test_admin_refuses_overlapping_hours(torun, in_schema, client_for):
    from django.contrib.auth import get_user_model

    with in_schema("torun"):
        admin = _staff("admin-torun", [Role.ADMINISTRATOR])
        admin.is_staff = True
        admin.save()
        office = Schedule.objects.get(kind="office")
        rules = list(office.rules.all())
        client = client_for("torun")
        client.force_login(admin)  # the session and last_login live in the center's schema
    form = {
        "kind": "office",
        "district": "",
        "label": office.label,
        "label_en": office.label_en,
        "note": "",
        "rules-TOTAL_FORMS": str(len(rules) + 2),
        "rules-INITIAL_FORMS": str(len(rules)),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
    }
    for i, rule in enumerate(rules):
        form.update(
            {
                f"rules-{i}-id": str(rule.pk),
                f"rules-{i}-schedule": str(office.pk),
                f"rules-{i}-weekday": str(rule.weekday),
                f"rules-{i}-opens": f"{rule.opens:%H:%M}",
                f"rules-{i}-closes": f"{rule.closes:%H:%M}",
            }
        )
    n = len(rules)
    form.update({f"rules-{n}-weekday": "5", f"rules-{n}-opens": "09:00", f"rules-{n}-closes": "12:00"})
    form.update({f"rules-{n + 1}-weekday": "5", f"rules-{n + 1}-opens": "11:00", f"rules-{n + 1}-closes": "13:00"})
    url = f"/admin/configuration/schedule/{office.pk}/change/"
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with the error
    with in_schema("torun"):
        assert not ScheduleRule.objects.filter(schedule=office, weekday=5).exists()
    form[f"rules-{n + 1}-opens"] = "12:00"
    response = client.post(url, form)
    assert response.status_code == 302
    with in_schema("torun"):
        assert ScheduleRule.objects.filter(schedule=office, weekday=5).count() == 2
        assert AuditEntry.objects.filter(object_type="configuration.schedulerule", actor=admin).count() == 2
        assert get_user_model().objects.filter(username="admin-torun").exists()


def test_admin_district_lookup_tester(slupsk, in_schema, client_for):
    with in_schema("slupsk"):
        admin = _staff("admin-slupsk", [Role.ADMINISTRATOR])
        admin.is_staff = True
        admin.save()
        client = client_for("slupsk")
        client.force_login(admin)
    response = client.get("/admin/configuration/district/lookup/", {"street": "Wojska Polskiego", "number": "19A"})
    assert response.status_code == 200
    assert "Rejon I" in response.content.decode()
    response = client.get("/admin/configuration/district/")
    assert response.status_code == 200
