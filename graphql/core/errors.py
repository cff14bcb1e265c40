"""How errors leave the API: service errors keep their code, message (in the user's language) and field; anything
unexpected is logged and reported as a bare "internal error" — no stack trace, no SQL."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from graphql import GraphQLError

from ostoja.platform.errors import ServiceError

logger = logging.getLogger("ostoja.graphql")


def camel(name: str | None) -> str | None:
    if not name:
        return name
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def format_error(error) -> dict:
    if not isinstance(error, GraphQLError):  # an HTTP-level error raised by the view
        return {"message": str(error), "extensions": {"code": "bad_request"}}
    original = error.original_error
    formatted = error.formatted
    if original is None or isinstance(original, GraphQLError):  # syntax, validation and limit errors
        formatted.setdefault("extensions", {}).setdefault("code", "graphql_validation_failed")
        return formatted
    if isinstance(original, ServiceError):
        formatted["message"] = original.message
        extensions = {"code": original.code}
        if original.field:
            extensions["field"] = camel(original.field)
        formatted["extensions"] = extensions
        return formatted
    logger.error("GraphQL resolver failed at %s", formatted.get("path"), exc_info=original)
    return {
        "message": _("Internal error. It has been logged; please try again later."),
        "locations": formatted.get("locations"),
        "path": formatted.get("path"),
        "extensions": {"code": "internal_error"},
    }
