"""The ``/graphql/`` endpoint of both hosts.

Authentication: the host's session (then CSRF applies to POST, as for any form), or ``Authorization: Bearer
<token>`` with a personal API token of this host's schema (no cookies involved, so no CSRF). Messages follow the
user's preferred language. Documents are checked against the limits before they run; errors never carry stack
traces or SQL."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView, HttpError

from ostoja.graphql.core.errors import format_error
from ostoja.graphql.core.limits import validation_rules
from ostoja.graphql.core.middleware import RefuseNulCharacters
from ostoja.platform.accounts.tokens import authenticate_token
from ostoja.platform.errors import PermissionDenied


def _json_error(status: int, message: str, code: str) -> HttpResponse:
    body = {"errors": [{"message": str(message), "extensions": {"code": code}}]}
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="ostoja"'
    return response


@method_decorator(csrf_exempt, name="dispatch")  # checked below for session requests only
class OstojaGraphQLView(GraphQLView):
    def dispatch(self, request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            scheme, _sep, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                return _json_error(401, _("Use the header “Authorization: Bearer <token>”."), "invalid_token")
            try:
                request.user = authenticate_token(raw)
            except PermissionDenied as exc:
                return _json_error(401, exc.message, exc.code)
            request.api_token_used = True
        elif settings.SESSION_COOKIE_NAME in request.COOKIES:  # CSRF guards what a session cookie authorises
            rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejected is not None:
                return _json_error(
                    403, _("CSRF check failed: send the csrftoken cookie value in X-CSRFToken."), "csrf_failed"
                )
        language = getattr(request.user, "preferred_language", None) if request.user.is_authenticated else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        self.validation_rules = validation_rules()
        self.middleware = [RefuseNulCharacters()]
        return super().dispatch(request, *args, **kwargs)

    def can_display_graphiql(self, request, data):
        return (
            settings.OSTOJA_GRAPHIQL and request.user.is_authenticated and super().can_display_graphiql(request, data)
        )

    @staticmethod
    def format_error(error):
        return format_error(error)


class BatchGraphQLView(OstojaGraphQLView):
    """``/graphql/batch/``: a JSON list of operations, at most OSTOJA_GRAPHQL_MAX_BATCH of them."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if isinstance(data, list) and len(data) > settings.OSTOJA_GRAPHQL_MAX_BATCH:
            from django.http import HttpResponseBadRequest

            raise HttpError(
                HttpResponseBadRequest(
                    _("At most %(max)s operations per batch.") % {"max": settings.OSTOJA_GRAPHQL_MAX_BATCH}
                )
            )
        return data


def graphql_urls(schema):
    from django.urls import path

    return [
        path("graphql/", OstojaGraphQLView.as_view(schema=schema, graphiql=True), name="graphql"),
        path("graphql/batch/", BatchGraphQLView.as_view(schema=schema, batch=True), name="graphql_batch"),
    ]
