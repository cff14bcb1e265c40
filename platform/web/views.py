"""Pages of the web interface that belong to no module: the language switch, where a login lands, and the
staff dashboard."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ostoja.platform.accounts.services import is_operator, platform_role


@require_POST
def set_language(request):
    """Django's switch (it sets the language cookie), and the logged-in user's preferred language too, so
    e-mails and the API answer in it."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if (
        user.is_authenticated
        and language in {code for code, _name in settings.LANGUAGES}
        and user.preferred_language != language
    ):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


def start(request):
    """Where a login lands: staff on their dashboard, operators on the console, partners on their dashboard."""
    if not request.user.is_authenticated:
        return redirect("login")
    if getattr(request, "center", None) is not None:
        target = "web:dashboard"
    elif is_operator(request.user):
        target = "operators:centers"
    elif platform_role(request.user) == "partner":
        target = "partners:dashboard"
    else:
        target = "home"
    try:
        return redirect(reverse(target))
    except NoReverseMatch:
        return redirect("/")
