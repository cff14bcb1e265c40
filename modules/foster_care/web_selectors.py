"""Reads the foster-care web pages need beyond services.py: each checks the caller's foster-care role first,
like the service's own querysets."""

from __future__ import annotations

from django.db.models import Count, Q

from ostoja.modules.cases import selectors as case_selectors
from ostoja.modules.cases.models import Person
from ostoja.modules.foster_care import services
from ostoja.modules.foster_care.models import FosterFamily
from ostoja.platform.staff.models import Role
from ostoja.platform.staff.services import staff_profiles


def person_by_pesel(actor, pesel: str) -> Person | None:
    """The person with this PESEL, to make them a family member (the services take a person's id). Only for
    callers who may change foster care; the person's name is all the page shows."""
    services._check(actor)
    return case_selectors.person_by_pesel(pesel)


def coordinators(actor, *, active: bool | None = True):
    """Foster-care coordinators of the center, each with ``load``: the families (not dissolved) they look
    after, as assign_coordinator counts them."""
    services._check(actor, write=False)
    load = Count("foster_families", filter=~Q(foster_families__status=FosterFamily.Status.DISSOLVED))
    return staff_profiles(actor, role=Role.FOSTER_CARE_COORDINATOR, active=active).annotate(load=load)
