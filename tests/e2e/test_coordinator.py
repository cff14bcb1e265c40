"""A foster-care coordinator of Toruń tries to take a 16th family: the page refuses with the statutory limit
(art. 77: at most 15 families per coordinator) next to the coordinator field, and nothing changes."""

from datetime import date
from itertools import count

from django_tenants.utils import schema_context
from playwright.sync_api import expect

from e2e.browser import log_in, screenshot
from ostoja.modules.cases.models import Person, Sex
from ostoja.modules.cases.pesel import make_pesel
from ostoja.modules.foster_care import services
from ostoja.modules.foster_care.models import FamilyKind, FosterFamily, Relation
from ostoja.platform.staff.models import StaffProfile

_serial = count(700)


def new_family(actor, name: str) -> FosterFamily:
    adult = Person.objects.create(
        first_name="Ewa", last_name=name, pesel=make_pesel(date(1979, 4, 4), next(_serial), Sex.FEMALE), sex=Sex.FEMALE
    )
    return services.create_family(
        actor, name=f"Rodzina {name}", kind=FamilyKind.PROFESSIONAL, members=[(adult.pk, Relation.NOT_RELATED)]
    )


def test_coordinator_hits_the_15_family_limit(page, site):
    with schema_context("torun"):
        me = StaffProfile.objects.select_related("user").get(user__username="koordynator")
        director = StaffProfile.objects.get(user__username="dyrektor").user
        load = services.coordinator_load(me.pk)
        for n in range(load, 15):  # fill her caseload to the limit
            services.assign_coordinator(director, new_family(director, f"Pełna{n}").pk, me.pk)
        assert services.coordinator_load(me.pk) == 15
        waiting = new_family(director, "Szesnasta")

    log_in(page, site, "torun", "koordynator")
    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Piecza zastępcza").click()
    expect(page.get_by_text("15 / 15").first).to_be_visible()
    screenshot(page, "foster-care-families")

    page.goto(site.url("torun", f"/foster-care/families/{waiting.pk}/"))
    page.get_by_label("Koordynator", exact=True).select_option(label=me.user.get_full_name())
    page.get_by_role("button", name="Przydziel").click()

    field = page.locator(".field", has=page.get_by_label("Koordynator", exact=True))
    expect(field.locator(".errorlist")).to_contain_text("15")
    expect(page.get_by_label("Koordynator", exact=True)).to_have_attribute("aria-invalid", "true")
    screenshot(page, "foster-care-coordinator-limit")
    with schema_context("torun"):
        waiting.refresh_from_db()
        assert waiting.coordinator_id is None
        assert services.coordinator_load(me.pk) == 15
