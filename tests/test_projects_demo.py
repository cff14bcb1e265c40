"""modules/projects demo seeder: the seeds' projects per center, idempotent."""

import datetime
from decimal import Decimal

from stdnum.pl import pesel as pesel_lib

from ostoja.modules.cases.models import Person
from ostoja.modules.projects import demo, services
from ostoja.modules.projects.models import (
    CenterRole,
    FundingKind,
    FundingSource,
    Participant,
    Partner,
    Project,
    ProjectStatus,
    Target,
)
from ostoja.platform.staff.models import Role, StaffProfile


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Project, Target, Partner, FundingSource, Participant, Person)
    }


def test_torun_gets_the_five_seed_projects_idempotently(torun, in_schema):
    with in_schema("torun"):
        first = demo.seed(torun)
        after_first = counts()
        second = demo.seed(torun)
        assert counts() == after_first
        assert first["projects"] == 5 and first["participants"] > 0
        assert set(second.values()) == {0}

        assert set(Project.objects.values_list("code", flat=True)) == {
            "rodzina-w-centrum",
            "wsparcie-zatrudnienia-opiekunow",
            "wspieramy-mamy",
            "sila-w-rodzinie",
            "standardy-uslug-cistor",
        }
        # Every Toruń project has a few participants, all of them persons with valid PESEL numbers.
        for project in Project.objects.all():
            assert project.participants.count() >= 2, project.code
        assert all(pesel_lib.is_valid(p.pesel) for p in Person.objects.filter(project_participations__isnull=False))

        carers = Project.objects.get(code="wsparcie-zatrudnienia-opiekunow")
        assert (carers.start_date, carers.end_date) == (datetime.date(2017, 1, 1), datetime.date(2018, 6, 30))
        assert carers.targets.get().target_value == 80
        assert Project.objects.get(code="wspieramy-mamy").targets.get().target_value == 200
        family = Project.objects.get(code="rodzina-w-centrum")
        assert family.period_label == "2014–2020" and family.title_en == "Family in the center"

        pilot = Project.objects.get(code="standardy-uslug-cistor")
        assert pilot.total_budget == Decimal("1600000") and pilot.center_share == Decimal("1100000")
        assert pilot.start_date is None and pilot.end_date is None  # the seed gives no dates
        assert FundingKind.EFS in set(pilot.funding_sources.values_list("kind", flat=True))
        assert list(pilot.partners.values_list("name", flat=True)) == ['Stowarzyszenie Partnerstwo Społeczne "CISTOR"']

        # The seeded data is readable through the services, with progress counted from participants.
        from ostoja.platform.accounts.models import User

        user = User.objects.create_user(username="koordynator-demo", password="x-unused-password")
        StaffProfile.objects.create(user=user, roles=[Role.PROJECT_COORDINATOR])
        listed = {p.code: p for p in services.list_projects(user)}
        assert [t.achieved for t in listed["wsparcie-zatrudnienia-opiekunow"].target_list] == [4]
        assert listed["wsparcie-zatrudnienia-opiekunow"].status == ProjectStatus.FINISHED


def test_slupsk_gets_the_streetworking_project(slupsk, in_schema):
    with in_schema("slupsk"):
        demo.seed(slupsk)
        demo.seed(slupsk)
        project = Project.objects.get()
        assert project.code == "streetworking-dzialanie-3"
        assert project.center_role == CenterRole.PARTNER
        assert project.action == "Działanie 3"
        assert "streetworkera" in project.center_tasks
        names = set(project.partners.values_list("name", flat=True))
        assert "Uniwersytet Gdański" in names and "Miejski Ośrodek Pomocy Rodzinie w Słupsku" not in names
        assert project.partners.count() == 9


def test_gdansk_gets_no_projects(gdansk, in_schema):
    with in_schema("gdansk"):
        assert demo.seed(gdansk)["projects"] == 0
        assert not Project.objects.exists()
        assert not Participant.objects.exists()


def test_demo_pesel_numbers_are_valid_and_match_birth_date_and_sex():
    for _first, _last, sex, birth, serial in demo.DEMO_PERSONS:
        number = demo.make_pesel(birth, serial, sex)
        assert pesel_lib.get_birth_date(number) == birth
        assert pesel_lib.get_gender(number) == sex
    assert pesel_lib.get_birth_date(demo.make_pesel(datetime.date(2002, 2, 26), 1, "M")).year == 2002
