"""The YAML configuration loader: idempotent, precise error paths, nothing written on invalid data."""

import copy
from datetime import time

import pytest

from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.errors import ValidationFailed
from ostoja.tenants.config_loader import demo_config, load_center_config, validate_center_config
from ostoja.tenants.configuration.districts import district_for
from ostoja.tenants.configuration.models import (
    Address,
    Contact,
    Department,
    District,
    DistrictStreet,
    Schedule,
    ScheduleRule,
)

pytestmark = pytest.mark.django_db

MODELS = [Address, Contact, Department, District, DistrictStreet, Schedule, ScheduleRule]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_configs_are_valid():
    for slug in ("torun", "slupsk", "gdansk"):
        validate_center_config(demo_config(slug))
    with pytest.raises(ValidationFailed) as failure:
        demo_config("../etc/passwd")
    assert failure.value.code == "no_demo_config"


def test_demo_data_from_the_seeds(torun, in_schema):
    with in_schema("torun"):
        seat = Address.objects.get(kind="seat")
        assert str(seat) == "ul. Konstytucji 3 Maja 40, 87-100 Toruń"
        assert set(Contact.objects.values_list("kind", "value")) == {("phone", "+48566508565"), ("fax", "+48566486447")}
        assert Department.objects.count() == 5
    with in_schema("slupsk"):
        assert Contact.objects.get().kind == "phone_fax"
        assert Schedule.objects.filter(kind="reception", district__isnull=False).count() == 5
        assert Address.objects.count() == 2
    with in_schema("gdansk"):
        assert not Address.objects.exists()  # the seed gives none, none is invented
        assert list(Contact.objects.values_list("value", "label")) == [
            ("+48583423136", "p.o. Dyrektora MOPR"),
            ("+48583423134", "Z-ca Dyrektora ds. Rodziny i Dziecka"),
            ("+48583423130", "Z-ca Dyrektora ds. Usług Społecznych"),
        ]
        assert [(r.weekday, r.opens, r.closes) for r in ScheduleRule.objects.all()] == [(3, time(9), time(11))]


@pytest.mark.parametrize("slug", ["torun", "slupsk", "gdansk"])
def test_loading_twice_changes_nothing(slug, in_schema, db):
    with in_schema(slug):
        before, audit_before = counts(), AuditEntry.objects.count()
        result = load_center_config(demo_config(slug), actor=None)
        assert result["changes"] == 0
        assert counts() == before
        assert AuditEntry.objects.count() == audit_before
    if slug == "slupsk":
        assert result["districts"] == 5 and result["schedules"] == 6 and result["district_streets"] == 23


def test_loading_into_an_empty_center_then_again(in_schema, db):
    with in_schema("gdansk"):
        data = demo_config("slupsk")
        first = load_center_config(data, actor=None)
        assert first["changes"] > 0
        after_first = counts()
        assert load_center_config(data, actor=None)["changes"] == 0
        assert counts() == after_first
        assert district_for("Wojska Polskiego", "5").district.name == "Rejon I"


def test_changes_are_applied_in_place(in_schema, slupsk):
    data = demo_config("slupsk")
    # Jaracza moves from Rejon I to Rejon II; Rejon I gets reception on Saturday too; the phone's label changes
    data["districts"][0]["streets"].remove("Jaracza")
    data["districts"][1]["streets"].append("Jaracza")
    data["schedules"][0]["rules"].append({"days": "sat", "opens": "09:00", "closes": "11:00"})
    data["contacts"][0]["label"] = "Sekretariat MOPR"
    with in_schema("slupsk"):
        before = counts()
        result = load_center_config(data, actor=None)
        assert result["changes"] == 4  # a street deleted and one added, a rule added, a contact changed
        assert district_for("Jaracza", 5).district.name == "Rejon II"
        assert counts()["ScheduleRule"] == before["ScheduleRule"] + 1
        assert Contact.objects.get().label == "Sekretariat MOPR"


def bad(data, path_start, code=None):
    with pytest.raises(ValidationFailed) as failure:
        validate_center_config(data)
    fields = [e.field for e in failure.value.errors]
    assert any(f.startswith(path_start) for f in fields), fields
    assert path_start in failure.value.message or any(path_start in e.message for e in failure.value.errors)
    if code:
        assert code in [e.code for e in failure.value.errors]
    return failure.value


def test_precise_error_paths():
    data = demo_config("slupsk")
    broken = copy.deepcopy(data)
    broken["districts"][2]["streets"][0] = {"street": "Szczecińska", "numbers": "range", "from": 60, "to": 1}
    bad(broken, "districts[2].streets[0].to", "range_reversed")

    broken = copy.deepcopy(data)
    broken["districts"][4]["streets"].append({"street": "Wojska Polskiego", "numbers": "even"})
    error = bad(broken, "districts[4].streets[5]", "district_overlap")
    assert "districts[1].streets[0]" in error.message

    broken = copy.deepcopy(data)
    broken["schedules"][5]["rules"].append({"days": "wed", "opens": "09:00", "closes": "12:00"})
    bad(broken, "schedules[5].rules[1]", "hours_overlap")

    broken = copy.deepcopy(data)
    broken["schedules"][0]["rules"][0]["opens"] = 480  # what YAML makes of an unquoted 8:00
    bad(broken, "schedules[0].rules[0].opens", "invalid_time")

    broken = copy.deepcopy(data)
    broken["contacts"][0]["value"] = "12 34"
    bad(broken, "contacts[0].value", "invalid_phone")

    broken = copy.deepcopy(data)
    broken["schedules"][0]["district"] = "rejon-9"
    bad(broken, "schedules[0].district", "unknown_district")

    bad(
        {"addresses": [{"street": "Długa", "building": "1", "postcode": "76200", "city": "Słupsk"}]},
        "addresses[0].postcode",
    )
    bad({"colours": []}, "colours", "unknown_section")
    bad({"settings": {"timezone": "Mars/Olympus"}}, "settings.timezone", "invalid_timezone")
    bad({"closures": [{"date": "2026-13-01", "reason": "x"}]}, "closures[0].date", "invalid_date")
    bad(
        {"schedules": [{"kind": "office", "rules": [{"days": "mon-xyz", "opens": "8:00", "closes": "9:00"}]}]},
        "schedules[0].rules[0].days",
    )


def test_nothing_written_on_invalid_data(torun, in_schema):
    data = {
        "departments": [{"code": "nowy-dzial", "name": "Nowy dział"}],
        "closures": [{"date": "2026-12-24", "reason": "Wigilia", "closes_early_at": "12"}],
    }
    with in_schema("torun"):
        before, audit_before = counts(), AuditEntry.objects.count()
        with pytest.raises(ValidationFailed) as failure:
            load_center_config(data, actor=None)
        assert failure.value.field == "closures[0].closes_early_at"
        assert counts() == before
        assert AuditEntry.objects.count() == audit_before


def test_conflict_with_existing_data_rolls_back_with_path(slupsk, in_schema):
    data = {
        "departments": [{"code": "nowy-dzial", "name": "Nowy dział"}],
        "districts": [{"code": "rejon-6", "name": "Rejon VI", "streets": ["Długa", "Sienkiewicza"]}],
    }
    with in_schema("slupsk"):
        before = counts()
        with pytest.raises(ValidationFailed) as failure:
            load_center_config(data, actor=None)
        assert failure.value.code == "district_overlap"
        assert failure.value.field.startswith("districts[0].streets[1]")
        assert "Rejon II" in failure.value.message
        assert counts() == before
        assert not Department.objects.filter(code="nowy-dzial").exists()


def test_loader_needs_a_writer_role(torun, in_schema):
    from django.contrib.auth import get_user_model

    from ostoja.platform.errors import PermissionDenied
    from ostoja.platform.staff.models import StaffProfile

    with in_schema("torun"):
        user = get_user_model().objects.create_user(username="pracownik", password="Długie-hasło-123")
        StaffProfile.objects.create(user=user, roles=["social_worker"])
        with pytest.raises(PermissionDenied):
            load_center_config({"departments": [{"code": "x", "name": "X"}]}, actor=user)
        assert not Department.objects.filter(code="x").exists()
