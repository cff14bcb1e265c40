"""Personal API tokens, the same in both schemas: list your tokens, create one (its text is shown once), revoke."""

from __future__ import annotations

import graphene
from graphene_django import DjangoObjectType

from ostoja.graphql.core.ids import Node, decode_id
from ostoja.graphql.core.mutations import ServiceMutation, actor
from ostoja.platform.accounts import tokens
from ostoja.platform.accounts.models import ApiToken as ApiTokenModel
from ostoja.platform.errors import NotFound


class ApiToken(DjangoObjectType):
    """One of your API tokens (never its text: only its first characters)."""

    class Meta:
        model = ApiTokenModel
        fields = ("name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
        interfaces = (Node,)

    is_active = graphene.Boolean(required=True)

    def resolve_is_active(self, info):
        return self.revoked_at is None and not tokens._expired(self)

    @classmethod
    def get_node(cls, info, id):
        token = next((t for t in tokens.list_api_tokens(actor(info)) if t.pk == int(id)), None)
        if token is None:
            raise NotFound(code="not_found")
        return token


class TokenQueries(graphene.ObjectType):
    api_tokens = graphene.List(graphene.NonNull(ApiToken), required=True, description="Your API tokens, newest first.")

    def resolve_api_tokens(self, info):
        return tokens.list_api_tokens(actor(info))


class CreateApiToken(ServiceMutation):
    """Create a personal API token for this host. Send it as ``Authorization: Bearer <token>``."""

    class Meta:
        error_codes = ("name_required", "name_too_long", "invalid_lifetime", "too_many_tokens")

    class Arguments:
        name = graphene.String(required=True)
        expires_in_days = graphene.Int(default_value=90, description="1–366 days; null for a token that never expires.")

    api_token = graphene.Field(ApiToken)
    token = graphene.String(description="The token's text. Shown only in this response: store it now.")

    @classmethod
    def perform(cls, info, name, expires_in_days=90):
        token, raw = tokens.create_api_token(actor(info), name=name, expires_in_days=expires_in_days)
        return {"api_token": token, "token": raw}


class RevokeApiToken(ServiceMutation):
    """Revoke one of your API tokens; requests using it are refused from now on."""

    class Meta:
        error_codes = ("token_not_found",)

    class Arguments:
        id = graphene.ID(required=True)

    api_token = graphene.Field(ApiToken)

    @classmethod
    def perform(cls, info, id):
        return {"api_token": tokens.revoke_api_token(actor(info), decode_id(id, "ApiToken"))}


class TokenMutations(graphene.ObjectType):
    create_api_token = CreateApiToken.Field()
    revoke_api_token = RevokeApiToken.Field()
