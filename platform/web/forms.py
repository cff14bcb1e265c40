"""Forms of the web interface call the service layer; a ServiceError comes back next to the field it names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.db import transaction
from django.forms.renderers import DjangoTemplates

from ostoja.platform.errors import ServiceError


class Renderer(DjangoTemplates):
    """Every form renders label, help text, errors and widget together (``{{ form }}`` or
    ``{{ form.field.as_field_group }}``); errors are tied to the widget with aria-describedby."""

    form_template_name = "web/form.html"
    field_template_name = "web/field.html"


def add_service_error(form: forms.BaseForm, error: ServiceError, fields: Mapping[str, str] | None = None) -> None:
    """Attach each error of ``error`` to the form field it names (``fields`` maps the service's field names to
    the form's, when they differ); errors about no field of the form go to the form as a whole."""
    items = getattr(error, "errors", None) or [error]
    for item in items:
        name = (fields or {}).get(item.field or "", item.field)
        target = name if name in form.fields else None
        form.add_error(target, forms.ValidationError(item.message, code=item.code))


def submit(form: forms.BaseForm, action: Callable[[], Any], fields: Mapping[str, str] | None = None):
    """Run ``action`` in a transaction. Returns ``(True, result)``, or ``(False, None)`` with the service's
    errors added to ``form`` (nothing is changed then)."""
    try:
        with transaction.atomic():
            return True, action()
    except ServiceError as exc:
        add_service_error(form, exc, fields)
        return False, None


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
