"""The platform host's start page: the public directory of centers (no login needed)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ostoja.tenants import directory
from ostoja.tenants.models import CenterKind, Voivodeship

PAGE_SIZE = 25


class DirectoryFilters(forms.Form):
    q = forms.CharField(label=_("Name or city"), required=False, max_length=100)
    voivodeship = forms.ChoiceField(
        label=_("Voivodeship"), required=False, choices=[("", _("all"))] + list(Voivodeship.choices)
    )
    kind = forms.ChoiceField(
        label=_("Kind of center"), required=False, choices=[("", _("all"))] + list(CenterKind.choices)
    )


def platform_home(request):
    """Every active center (suspended ones are hidden) with a link to its host, its contacts, addresses and today's
    and weekly opening hours; a fixed number of SQL statements per page (tenants/directory.py)."""
    filters = DirectoryFilters(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    centers = directory.public_centers(
        search=values.get("q", ""), voivodeship=values.get("voivodeship", ""), kind=values.get("kind", "")
    )
    page = Paginator(centers, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = directory.directory_entries(page.object_list)
    for entry in entries:
        entry.url = directory.host_url(request, entry.domain) if entry.domain else ""
    context = {
        "filters": filters,
        "filtered": bool(values and any(values.values())),
        "page_obj": page,
        "entries": entries,
    }
    return render(request, "directory/home.html", context)
