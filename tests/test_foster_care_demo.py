"""Foster-care demo data: loads in a center, valid PESEL numbers, every family kind, idempotent."""

import pytest
from django.contrib.auth import get_user_model
from stdnum.pl import pesel

from ostoja.modules.cases.models import Person
from ostoja.modules.foster_care import demo
from ostoja.modules.foster_care.models import (
    Assessment,
    FamilyKind,
    FosterChild,
    FosterFamily,
    IrregularityReport,
    Notification,
    ParentMeeting,
    Placement,
)
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db


def test_demo_seed_loads_every_kind_and_is_idempotent(slupsk, in_schema):
    with in_schema("slupsk"):
        user = get_user_model().objects.create_user(username="koordynator")
        coordinator = StaffProfile.objects.create(user=user, roles=[Role.FOSTER_CARE_COORDINATOR])

        counts = demo.seed(slupsk)
        assert counts["families"] == 12 and counts["children"] > 20
        assert set(FosterFamily.objects.values_list("kind", flat=True)) == set(FamilyKind.values)
        assert FosterFamily.objects.filter(coordinator=coordinator).count() == 12
        assert all(pesel.is_valid(number) for number in Person.objects.values_list("pesel", flat=True))
        assert (
            Placement.objects.filter(end_on__isnull=True).count()
            == FosterChild.objects.filter(status="in_care").count()
        )
        assert Placement.objects.filter(siblings_together=True).exists()
        assert Assessment.objects.filter(status="done").exists() and Assessment.objects.filter(status="planned")
        assert set(ParentMeeting.objects.values_list("status", flat=True)) == {"planned", "held", "cancelled"}
        report = IrregularityReport.objects.get()
        assert sorted(Notification.objects.filter(report=report).values_list("recipient", "status")) == [
            ("prosecutor", "pending"),
            ("voivode", "sent"),
        ]
        assert FosterChild.objects.filter(leaving_care__education_support__isnull=False).count() == 1

        persons = Person.objects.count()
        assert demo.seed(slupsk) == {"families": 0, "children": 0}
        assert Person.objects.count() == persons and FosterFamily.objects.count() == 12


def test_make_pesel_encodes_birth_date_and_sex():
    from datetime import date

    number = demo.make_pesel(date(2012, 3, 4), 123, "F")
    assert pesel.is_valid(number) and pesel.get_birth_date(number) == date(2012, 3, 4)
    assert pesel.get_gender(number) == "F"
    assert pesel.get_gender(demo.make_pesel(date(1960, 12, 31), 7, "M")) == "M"
