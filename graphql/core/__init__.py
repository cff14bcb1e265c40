"""What both GraphQL schemas share: center-bound global IDs, connections, typed mutation errors, limits, the view.

Model help texts become field descriptions lazily (graphene-django would force them into the language active at
import time): introspection answers in the user's language and the committed SDL is rendered in English."""

from graphene_django import converter as _converter


def _lazy_description(field):
    return field.help_text or None


_converter.get_django_field_description = _lazy_description
