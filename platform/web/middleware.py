"""The interface language: the one chosen with the switch (cookie), else the user's preferred language, else
Polish. The browser's Accept-Language never changes it: a Polish center's pages are Polish by default."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str:
    available = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in available:
        return chosen
    user = getattr(request, "user", None)
    preferred = getattr(user, "preferred_language", "") if user is not None and user.is_authenticated else ""
    return preferred if preferred in available else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Replaces django.middleware.locale.LocaleMiddleware (placed after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
