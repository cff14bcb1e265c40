"""The center's public home page: who the center is, where, how to reach it and when it is open."""

from zoneinfo import ZoneInfo

from django.shortcuts import render
from django.utils import timezone

from ostoja.tenants.configuration.hours import today_summary
from ostoja.tenants.configuration.models import Address, CenterSettings, Contact, Department


def current_time():
    """Now (one place, so the page can be rendered for a given moment in tests)."""
    return timezone.now()


def center_home(request):
    center_settings = CenterSettings.objects.filter(pk=1).first()
    contacts = list(Contact.objects.filter(department__isnull=True))
    values = {c.value for c in contacts}
    if center_settings and center_settings.email and center_settings.email not in values:
        contacts.append(Contact(kind=Contact.Kind.EMAIL, value=center_settings.email))
    if center_settings and center_settings.website and center_settings.website not in values:
        contacts.append(Contact(kind=Contact.Kind.WEBSITE, value=center_settings.website))
    tz = ZoneInfo(center_settings.timezone if center_settings else "Europe/Warsaw")
    now = current_time()
    context = {
        "settings_row": center_settings,
        "addresses": list(Address.objects.all()),
        "contacts": contacts,
        "departments": list(Department.objects.prefetch_related("contacts")),
        "hours": today_summary(now),
        "now": timezone.localtime(now, tz),
    }
    return render(request, "center/home.html", context)
