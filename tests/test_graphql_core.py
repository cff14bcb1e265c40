"""What both GraphQL endpoints share: authentication (session with CSRF, API tokens bound to one host), IDs bound
to one center, typed mutation errors in the user's language, limits, and errors that leak nothing."""

from datetime import timedelta

import graphene
import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from graphql import GraphQLError, parse, validate

from ostoja.graphql.core.errors import format_error
from ostoja.graphql.core.ids import decode_id, to_global_id
from ostoja.graphql.core.limits import validation_rules
from ostoja.graphql.core.mutations import ServiceMutation
from ostoja.platform.accounts.models import ApiToken
from ostoja.platform.accounts.tokens import create_api_token
from ostoja.platform.errors import NotFound, ValidationFailed
from ostoja.platform.staff.models import Role, StaffProfile

pytestmark = pytest.mark.django_db

ME = "{ me { username roles } }"
CREATE_TOKEN = """mutation($name: String!, $days: Int) {
  createApiToken(name: $name, expiresInDays: $days) {
    token apiToken { id name isActive } errors { field code message }
  }
}"""
REVOKE_TOKEN = "mutation($id: ID!) { revokeApiToken(id: $id) { apiToken { isActive } errors { code } } }"


def make_staff(slug, username, *roles, language="pl"):
    from django_tenants.utils import schema_context

    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, preferred_language=language)
        StaffProfile.objects.create(user=user, roles=list(roles))
    return user


@pytest.fixture
def alicja(torun):
    return make_staff("torun", "alicja", Role.SOCIAL_WORKER)


@pytest.fixture
def token(alicja, in_schema):
    with in_schema("torun"):
        return create_api_token(alicja, name="skrypt")[1]


# --- authentication --------------------------------------------------------------------------------


def test_session_user_reads_me_and_anonymous_gets_a_typed_error(gql, alicja, codes):
    assert gql("torun", user=alicja).data(ME) == {"me": {"username": "alicja", "roles": ["SOCIAL_WORKER"]}}
    body = gql("torun")(ME)
    assert codes(body) == ["not_authenticated"]
    assert body["data"] is None


def test_api_token_is_shown_once_stored_hashed_and_works_as_bearer(gql, alicja, in_schema):
    payload = gql("torun", user=alicja).mutate(CREATE_TOKEN, {"name": "raporty"})
    assert payload["errors"] == []
    raw = payload["token"]
    assert raw.startswith("ostoja.torun.")
    with in_schema("torun"):
        stored = ApiToken.objects.get(name="raporty")
        assert raw not in {stored.digest, stored.prefix} and len(stored.digest) == 64
    assert gql("torun", token=raw).data(ME)["me"]["username"] == "alicja"
    with in_schema("torun"):
        assert ApiToken.objects.get(name="raporty").last_used_at is not None


def test_a_torun_token_is_refused_on_slupsk_and_on_the_platform(gql, token, slupsk):
    for slug in ("slupsk", None):
        response = gql(slug, token=token).post(ME)
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "invalid_token"
        assert "data" not in response.json()


def test_a_forged_token_naming_another_center_is_not_found_there(gql, token, slupsk):
    forged = token.replace("ostoja.torun.", "ostoja.slupsk.")
    response = gql("slupsk", token=forged).post(ME)
    assert response.status_code == 401


@pytest.mark.parametrize("header", ["Token abc", "Bearer ", "Bearer ostoja.torun", "Basic dXNlcjpwYXNz"])
def test_malformed_authorization_headers_are_refused(client_for, header, torun):
    response = client_for("torun").post(
        "/graphql/", data={"query": ME}, content_type="application/json", HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "invalid_token"


def test_revoked_and_expired_tokens_are_refused(gql, alicja, token, in_schema, codes):
    session = gql("torun", user=alicja)
    token_id = session.data("{ apiTokens { id name } }")["apiTokens"][0]["id"]
    assert session.mutate(REVOKE_TOKEN, {"id": token_id}) == {"apiToken": {"isActive": False}, "errors": []}
    assert gql("torun", token=token).post(ME).status_code == 401

    with in_schema("torun"):
        _token, raw = create_api_token(alicja, name="stary", expires_in_days=1)
        ApiToken.objects.filter(name="stary").update(expires_at=timezone.now() - timedelta(seconds=1))
    response = gql("torun", token=raw).post(ME)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "token_expired"


def test_a_deactivated_user_token_stops_working(gql, alicja, token, in_schema):
    with in_schema("torun"):
        get_user_model().objects.filter(pk=alicja.pk).update(is_active=False)
    assert gql("torun", token=token).post(ME).status_code == 401


def test_another_users_token_cannot_be_revoked(gql, alicja, token, torun, in_schema, codes):
    other = make_staff("torun", "bogdan", Role.SOCIAL_WORKER)
    alicja_token_id = gql("torun", user=alicja).data("{ apiTokens { id } }")["apiTokens"][0]["id"]
    payload = gql("torun", user=other).mutate(REVOKE_TOKEN, {"id": alicja_token_id})
    assert codes(payload) == ["TOKEN_NOT_FOUND"]
    with in_schema("torun"):
        assert ApiToken.objects.get(user=alicja).revoked_at is None


def test_session_mutations_need_the_csrf_token_but_token_requests_do_not(gql, alicja, token, in_schema):
    session = gql("torun", user=alicja, enforce_csrf_checks=True)
    response = session.post(CREATE_TOKEN, {"name": "bez csrf"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "csrf_failed"
    with in_schema("torun"):
        assert not ApiToken.objects.filter(name="bez csrf").exists()

    session.client.get("/graphql/", {"query": ME})  # the endpoint sets the csrftoken cookie
    csrf = session.client.cookies["csrftoken"].value
    response = session.post(CREATE_TOKEN, {"name": "z csrf"}, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200 and response.json()["data"]["createApiToken"]["errors"] == []

    bearer = gql("torun", token=token, enforce_csrf_checks=True)
    assert bearer.mutate(CREATE_TOKEN, {"name": "skryptem"})["errors"] == []


def test_a_request_without_session_cookie_or_token_is_anonymous_not_a_csrf_failure(client_for, torun, codes):
    client = client_for("torun", enforce_csrf_checks=True)
    response = client.post("/graphql/", data={"query": ME}, content_type="application/json")
    assert response.status_code == 200 and codes(response.json()) == ["not_authenticated"]


def test_mutations_are_refused_over_get(client_for, torun):
    response = client_for("torun").get("/graphql/", {"query": 'mutation { createApiToken(name: "x") { token } }'})
    assert response.status_code == 405


# --- typed errors, language, atomicity ------------------------------------------------------------


def test_validation_errors_are_typed_per_field_and_change_nothing(gql, alicja, in_schema):
    payload = gql("torun", user=alicja).mutate(CREATE_TOKEN, {"name": " ", "days": 0})
    assert payload["token"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("name", "NAME_REQUIRED"),
        ("expiresInDays", "INVALID_LIFETIME"),
    ]
    with in_schema("torun"):
        assert not ApiToken.objects.exists()


def test_error_messages_follow_the_users_language(gql, torun):
    polish = make_staff("torun", "zofia", Role.SOCIAL_WORKER, language="pl")
    english = make_staff("torun", "jane", Role.SOCIAL_WORKER, language="en")
    message = {}
    for user in (polish, english):
        (error,) = gql("torun", user=user).mutate(CREATE_TOKEN, {"name": ""})["errors"]
        message[user.preferred_language] = error["message"]
    assert message == {"en": "Give the token a name.", "pl": "Nadaj tokenowi nazwę."}


def test_each_mutation_has_its_own_error_code_enum():
    from ostoja.graphql.staff.schema import schema

    enum = schema.graphql_schema.get_type("CreateApiTokenErrorCode")
    assert {"NAME_REQUIRED", "INVALID_LIFETIME", "TOO_MANY_TOKENS", "PERMISSION_DENIED"} <= set(enum.values)
    assert "TOKEN_NOT_FOUND" not in enum.values


def test_an_undeclared_error_code_fails_loudly_in_tests_and_is_generic_in_production(settings):
    class Probe(ServiceMutation):
        class Meta:
            error_codes = ("declared",)

        ok = graphene.Boolean()

    exc = ValidationFailed("x", code="surprise", field="some_field")
    with pytest.raises(AssertionError, match="surprise"):
        Probe.errors_from(exc)
    settings.OSTOJA_GRAPHQL_STRICT_ERROR_CODES = False
    (error,) = Probe.errors_from(exc)
    assert (error.code, error.field) == ("invalid", "someField")
    (error,) = Probe.errors_from(NotFound(code="gone"))
    assert error.code == "not_found"


def test_unexpected_errors_do_not_leak_details():
    secret = RuntimeError('relation "torun.cases_person" does not exist: SELECT pesel FROM …')
    formatted = format_error(GraphQLError("boom", original_error=secret, path=["persons"]))
    assert formatted["extensions"] == {"code": "internal_error"}
    assert "SELECT" not in str(formatted) and "torun" not in str(formatted) and "Traceback" not in str(formatted)


# --- IDs bound to a center -------------------------------------------------------------------------


def test_global_ids_name_their_center_and_are_not_found_elsewhere(gql, alicja, in_schema, codes, slupsk):
    with in_schema("torun"):
        torun_pk = StaffProfile.objects.get(user=alicja).pk
        member_id = to_global_id("StaffMember", torun_pk)
        assert decode_id(member_id, "StaffMember") == torun_pk
    query = "query($id: ID!) { node(id: $id) { id ... on StaffMember { username } } }"
    assert gql("torun", user=alicja).data(query, {"id": member_id})["node"]["username"] == "alicja"

    # Słupsk's staff member with the same primary key exists, but a Toruń ID never reaches it.
    slupsk_user = make_staff("slupsk", "slupszczanin", Role.DIRECTOR)
    with in_schema("slupsk"):
        StaffProfile.objects.filter(user=slupsk_user).update(id=torun_pk)
    body = gql("slupsk", user=slupsk_user)(query, {"id": member_id})
    assert body["data"]["node"] is None and codes(body) == ["not_found"]


@pytest.mark.parametrize("bad_id", ["", "not-base64!", "U3RhZmZNZW1iZXI6MQ=="])  # the last is "StaffMember:1"
def test_malformed_ids_are_invalid_not_errors(gql, alicja, codes, bad_id):
    body = gql("torun", user=alicja)("query($id: ID!) { node(id: $id) { id } }", {"id": bad_id})
    assert codes(body) == ["invalid_id"]


def test_an_id_of_another_type_is_refused_by_mutations(gql, alicja, in_schema, codes):
    with in_schema("torun"):
        member_id = to_global_id("StaffMember", StaffProfile.objects.get(user=alicja).pk)
    payload = gql("torun", user=alicja).mutate(REVOKE_TOKEN, {"id": member_id})
    assert codes(payload) == ["INVALID_ID"]


# --- limits -----------------------------------------------------------------------------------------


class _Item(graphene.ObjectType):
    name = graphene.String()
    children = graphene.Field(
        graphene.List(lambda: _Item), first=graphene.Int(), last=graphene.Int(), description="connection-like"
    )


class _Query(graphene.ObjectType):
    items = graphene.Field(graphene.List(_Item), first=graphene.Int())
    item = graphene.Field(_Item)


_probe_schema = graphene.Schema(query=_Query).graphql_schema


def _limit_codes(document: str) -> list[str]:
    errors = validate(_probe_schema, parse(document), validation_rules())
    return [e.extensions.get("code") if e.extensions else e.message for e in errors]


def test_cost_multiplies_page_sizes_and_counts_fragments(settings):
    settings.OSTOJA_GRAPHQL_MAX_COST = 1000
    assert _limit_codes("{ items(first: 10) { name children(first: 10) { name } } }") == []
    # 100 × 100 names: refused before anything runs
    assert _limit_codes("{ items(first: 100) { children(first: 100) { name } } }") == ["query_too_expensive"]
    # a missing or variable page size counts as the largest page
    assert _limit_codes("{ items { children { name } } }") == ["query_too_expensive"]
    assert _limit_codes("query($n: Int) { items(first: $n) { children(first: 20) { name } } }") == [
        "query_too_expensive"
    ]
    fragment = "fragment F on _Item { children(first: 100) { name } } { items(first: 100) { ...F } }"
    assert _limit_codes(fragment) == ["query_too_expensive"]


def test_depth_and_alias_limits(settings):
    settings.OSTOJA_GRAPHQL_MAX_DEPTH = 3
    settings.OSTOJA_GRAPHQL_MAX_COST = 10**9  # only depth is under test here
    assert _limit_codes("{ item { children { name } } }") == []
    (error,) = _limit_codes("{ item { children { children { children { name } } } } }")
    assert "exceeds maximum operation depth" in error
    settings.OSTOJA_GRAPHQL_MAX_ALIASES = 2
    assert _limit_codes("{ a: item { name } b: item { name } c: item { name } }") == ["too_many_aliases"]


def test_limits_are_enforced_by_the_endpoint(gql, alicja, settings, codes):
    settings.OSTOJA_GRAPHQL_MAX_ALIASES = 3
    query = "{ " + " ".join(f"m{i}: me {{ username }}" for i in range(4)) + " }"
    response = gql("torun", user=alicja).post(query)
    assert response.status_code == 400
    assert codes(response.json()) == ["too_many_aliases"]


def test_introspection_can_be_turned_off(gql, alicja, codes):
    query = "{ __schema { queryType { name } } }"
    assert gql("torun", user=alicja).data(query)["__schema"]["queryType"]["name"] == "Query"
    with override_settings(OSTOJA_GRAPHQL_INTROSPECTION=False):
        response = gql("torun", user=alicja).post(query)
    assert response.status_code == 400
    assert "introspection is disabled" in response.json()["errors"][0]["message"]


def test_batches_are_limited(client_for, alicja, settings, in_schema):
    import json

    settings.OSTOJA_GRAPHQL_MAX_BATCH = 2
    client = client_for("torun")
    with in_schema("torun"):
        client.force_login(alicja)

    def batch(n):
        body = json.dumps([{"query": ME} for _ in range(n)])
        return client.post("/graphql/batch/", data=body, content_type="application/json")

    response = batch(2)
    assert response.status_code == 200
    assert [item["data"]["me"]["username"] for item in response.json()] == ["alicja", "alicja"]
    assert batch(3).status_code == 400


def test_graphiql_only_for_logged_in_users_when_enabled(client_for, alicja, settings, in_schema):
    settings.OSTOJA_GRAPHIQL = True
    client = client_for("torun")
    assert b"graphiql" not in client.get("/graphql/", HTTP_ACCEPT="text/html").content.lower()
    with in_schema("torun"):
        client.force_login(alicja)
    assert b"graphiql" in client.get("/graphql/", HTTP_ACCEPT="text/html").content.lower()
    settings.OSTOJA_GRAPHIQL = False
    assert b"graphiql" not in client.get("/graphql/", HTTP_ACCEPT="text/html").content.lower()


def test_the_standard_validation_rules_still_apply(gql, alicja, codes):
    """Our limits are added to graphql-core's rules, not instead of them: unknown fields and wrong types are refused."""
    response = gql("torun", user=alicja).post("{ me { username noSuchField } }")
    assert response.status_code == 400
    assert "noSuchField" in response.json()["errors"][0]["message"]
    response = gql("torun", user=alicja).post("{ partnerStatistics(from: 1) { __typename } }")  # a platform field
    assert response.status_code == 400 and "data" not in response.json()


def test_nul_characters_are_refused_with_a_typed_error(gql, alicja, codes, in_schema):
    body = gql("torun", user=alicja)("query($q: String) { persons(search: $q) { totalCount } }", {"q": "ab\x00c"})
    assert codes(body) == ["invalid_characters"]
    payload = gql("torun", user=alicja)(CREATE_TOKEN, {"name": "x\x00"})
    assert codes(payload) == ["invalid_characters"] and payload["data"]["createApiToken"] is None
    with in_schema("torun"):
        assert not ApiToken.objects.exists()
