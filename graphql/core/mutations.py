"""Mutations in the Saleor style: each returns its object(s) and ``errors { field code message }``, where ``code``
is an enum of that mutation's own codes (declared in ``Meta.error_codes``, plus the ones every mutation can
return). ``perform`` calls one service; a service error rolls the whole mutation back and comes back as errors."""

from __future__ import annotations

import logging

import graphene
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from graphene.types.mutation import MutationOptions

from ostoja.graphql.core.errors import camel
from ostoja.platform.errors import Conflict, NotFound, PermissionDenied, ServiceError, ValidationFailed

logger = logging.getLogger("ostoja.graphql")

COMMON_ERROR_CODES = (
    "invalid",
    "invalid_id",
    "not_found",
    "conflict",
    "permission_denied",
    "not_authenticated",
    "not_staff",
    "role_required",
)

_FALLBACK = ((NotFound, "not_found"), (PermissionDenied, "permission_denied"), (Conflict, "conflict"))


class ServiceMutationOptions(MutationOptions):
    error_codes: tuple[str, ...] = ()
    error_type = None


class ServiceMutation(graphene.Mutation):
    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(cls, error_codes=(), _meta=None, **options):
        _meta = _meta or ServiceMutationOptions(cls)
        name = options.get("name") or cls.__name__
        codes = tuple(sorted(set(COMMON_ERROR_CODES) | set(error_codes)))
        code_enum = graphene.Enum(f"{name}ErrorCode", [(code.upper(), code) for code in codes])
        error_type = type(
            f"{name}Error",
            (graphene.ObjectType,),
            {
                "__doc__": f"Why {name} did not happen.",
                "field": graphene.String(description="The input field at fault (camelCase), if one is."),
                "code": graphene.Field(code_enum, required=True),
                "message": graphene.String(required=True, description="In the user's language."),
            },
        )
        _meta.error_codes = codes
        _meta.error_type = error_type
        super().__init_subclass_with_meta__(_meta=_meta, **options)
        cls._meta.fields["errors"] = graphene.Field(
            graphene.NonNull(graphene.List(graphene.NonNull(error_type))),
            description="Empty when the mutation succeeded; nothing was changed otherwise.",
        )

    @classmethod
    def perform(cls, info, **data) -> dict:
        """Call the service; return the payload's fields."""
        raise NotImplementedError

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            with transaction.atomic():
                payload = cls.perform(info, **data) or {}
        except ServiceError as exc:
            return cls(errors=cls.errors_from(exc))
        except DjangoValidationError as exc:
            return cls(errors=cls.errors_from(ValidationFailed.from_django(exc)))
        return cls(errors=[], **payload)

    @classmethod
    def errors_from(cls, exc: ServiceError) -> list:
        errors = []
        for item in exc.as_dicts():
            code = item["code"]
            if code not in cls._meta.error_codes:
                if settings.OSTOJA_GRAPHQL_STRICT_ERROR_CODES:  # the test suite: every code must be declared
                    raise AssertionError(f"{cls.__name__} does not declare the error code {code!r}") from exc
                fallback = next((c for kind, c in _FALLBACK if isinstance(exc, kind)), "invalid")
                logger.warning("%s: undeclared error code %r reported as %r", cls.__name__, code, fallback)
                code = fallback
            errors.append(cls._meta.error_type(field=camel(item["field"]), code=code, message=str(item["message"])))
        return errors


def actor(info):
    """The authenticated user behind the request (session or API token); services check what it may do."""
    return info.context.user
