"""The cases demo seeder: data for every screen, valid PESELs, social workers of the person's district,
the seed-004 programme in Gdańsk, and a second run that changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from stdnum.pl import pesel as pesel_number

from ostoja.modules.cases import demo, services
from ostoja.modules.cases.models import (
    BenefitProgramme,
    Case,
    CaseStatus,
    Decision,
    Household,
    Interview,
    Payment,
    Person,
    ProgrammeGrant,
)
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import District, DistrictStreet

pytestmark = pytest.mark.django_db


def _district_with_worker(code, street, username):
    district = District.objects.create(code=code, name=code.title())
    DistrictStreet.objects.create(district=district, street=street)
    user = get_user_model().objects.create_user(username=username)
    profile = StaffProfile.objects.create(user=user, roles=[Role.SOCIAL_WORKER])
    profile.districts.set([district])
    return district, profile


def test_demo_seeds_every_screen_and_is_idempotent(torun, in_schema):
    with in_schema("torun"):
        one, worker_one = _district_with_worker("demo-a", "Demowa", "pracownik-a")
        two, worker_two = _district_with_worker("demo-b", "Przykładowa", "pracownik-b")
        counts = demo.seed(torun)
        assert counts["persons"] >= demo.PERSONS and counts["cases"] >= 20 and counts["decisions"] > 5

        persons = Person.objects.filter(pesel__isnull=False)
        assert persons.count() >= demo.PERSONS
        assert all(pesel_number.is_valid(p.pesel) for p in persons)
        assert all(p.district_id in (one.pk, two.pk) for p in persons)
        assert Household.objects.count() >= 20
        assert set(Case.objects.values_list("status", flat=True)) >= {
            CaseStatus.OPEN,
            CaseStatus.INTERVIEW,
            CaseStatus.ACTIVE_HELP,
        }
        # Interviews go to the social worker of the person's district.
        assigned = Interview.objects.filter(assigned_to__isnull=False).select_related("case__person")
        assert assigned.exists()
        for interview in assigned:
            expected = worker_one if interview.case.person.district_id == one.pk else worker_two
            assert interview.assigned_to_id == expected.pk
        assert Payment.objects.filter(status="paid").exists() and Payment.objects.filter(status="planned").exists()
        # The overdue screens have rows too.
        assert services.overdue_interviews(services.SYSTEM) and services.overdue_decisions(services.SYSTEM)

        before = (Person.objects.count(), Case.objects.count(), Decision.objects.count(), Payment.objects.count())
        assert demo.seed(torun) == {"persons": 0, "cases": 0, "decisions": 0}
        after = (Person.objects.count(), Case.objects.count(), Decision.objects.count(), Payment.objects.count())
        assert after == before


def test_demo_in_gdansk_runs_the_nursing_benefit_programme(gdansk, in_schema):
    with in_schema("gdansk"):
        demo.seed(gdansk)
        programme = BenefitProgramme.objects.get(code="program-swiadczenie-pielegnacyjne-2014")
        assert programme.monthly_amount == 200
        grants = ProgrammeGrant.objects.filter(programme=programme)
        assert grants.count() == 6
        months = Payment.objects.filter(decision__programme=programme).values_list("month", flat=True)
        assert sorted({m.month for m in months}) == [1, 2, 3] and len(months) == 18


def test_demo_in_a_center_without_districts_uses_its_social_worker(torun, in_schema):
    with in_schema("torun"):
        if District.objects.exists():
            pytest.skip("this center has districts")
        user = get_user_model().objects.create_user(username="pracownik-bez-rejonu")
        worker = StaffProfile.objects.create(user=user, roles=[Role.SOCIAL_WORKER])
        demo.seed(torun)
        assert Interview.objects.filter(assigned_to=worker).exists()
        assert not Interview.objects.exclude(assigned_to=worker).exclude(assigned_to__isnull=True).exists()
        assert Decision.objects.filter(kind="grant").exists() and Payment.objects.exists()
