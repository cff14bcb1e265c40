"""Benefits in the staff schema: decisions, payments, programme grants, social contracts, forms of help and income
criterion rates — reads scoped like the services, mutations that change nothing when refused, IDs bound to one
center, and list queries in a constant number of SQL statements."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from ostoja.graphql.core.ids import to_global_id
from ostoja.modules.cases import services
from ostoja.modules.cases.models import (
    BenefitProgramme,
    Decision,
    FormOfHelp,
    IncomeCriterionRate,
    Payment,
    ProgrammeGrant,
    Sex,
    SocialContract,
)
from ostoja.modules.cases.pesel import make_pesel
from ostoja.platform.accounts.tokens import create_api_token
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.tenants.configuration.models import District, DistrictStreet

pytestmark = pytest.mark.django_db

_serial = count(600)

ERRORS = "errors { field code message }"
ISSUE = f"""mutation($input: IssueDecisionInput!) {{
  issueDecision(input: $input) {{
    decision {{ id kind status amount periodStart periodEnd late case {{ id }} form {{ code }} person {{ lastName }} }}
    {ERRORS}
  }}
}}"""
MARK_PAID = f"""mutation($id: ID!, $paidOn: Date) {{
  markPaymentPaid(id: $id, paidOn: $paidOn) {{ payment {{ id status paidOn }} {ERRORS} }}
}}"""
CANCEL = f"""mutation($id: ID!, $reason: String!) {{
  cancelPayment(id: $id, reason: $reason) {{ payment {{ id status cancelledReason }} {ERRORS} }}
}}"""
RUN_PROGRAMME = f"""mutation($input: RunProgrammeGrantInput!) {{
  runProgrammeGrant(input: $input) {{ programme {{ id code monthlyAmount form {{ code }} }} granted alreadyGranted
    skipped {ERRORS} }}
}}"""
CONCLUDE = f"""mutation($input: ConcludeSocialContractInput!) {{
  concludeSocialContract(input: $input) {{ socialContract {{ id status goals case {{ id }} }} {ERRORS} }}
}}"""
EVALUATE = f"""mutation($id: ID!, $status: SocialContractStatus!, $evaluation: String!) {{
  evaluateSocialContract(id: $id, status: $status, evaluation: $evaluation) {{
    socialContract {{ id status evaluation evaluatedOn }} {ERRORS}
  }}
}}"""
ADD_RATE = f"""mutation($input: AddIncomeCriterionRateInput!) {{
  addIncomeCriterionRate(input: $input) {{ incomeCriterionRate {{ id validFrom singlePerson }} {ERRORS} }}
}}"""
DECISIONS = """query($first: Int, $case: ID, $kind: [DecisionKind!], $status: DecisionStatus, $from: Date, $to: Date,
  $district: ID, $orderBy: DecisionOrder) {
  decisions(first: $first, caseId: $case, kind: $kind, status: $status, issuedFrom: $from, issuedTo: $to,
    districtId: $district, orderBy: $orderBy) {
    totalCount
    edges { node { id kind status issuedOn amount form { code name } person { lastName district { name } } } }
  }
}"""
PAYMENTS = """query($first: Int, $decision: ID, $status: PaymentStatus, $from: Date, $to: Date,
  $orderBy: PaymentOrder) {
  payments(first: $first, decisionId: $decision, status: $status, monthFrom: $from, monthTo: $to, orderBy: $orderBy) {
    totalCount
    edges { node { id month amount status form { code } person { lastName district { name } }
      decision { kind case { id } } } }
  }
}"""
NODE = "query($id: ID!) { node(id: $id) { id __typename } }"


# --- set-up ---------------------------------------------------------------------------------------


def gid(type_name, pk):
    """A global ID issued by Toruń (IDs are bound to the schema they are issued in)."""
    with schema_context("torun"):
        return to_global_id(type_name, pk)


def make_staff(slug, username, *roles, districts=()):
    with schema_context(slug):
        user = get_user_model().objects.create_user(username=username, first_name=username.title(), last_name="Test")
        profile = StaffProfile.objects.create(user=user, roles=list(roles))
        profile.districts.set(districts)
    return user


def new_person(actor, number, last_name="Kowalska"):
    values = dict(
        first_name="Zofia", last_name=last_name, pesel=make_pesel(date(1980, 5, 17), next(_serial), Sex.FEMALE)
    )
    values.update(street="ul. Testowa", building=number, city="Toruń")
    return services.create_person(actor, **values).person


def ready_for_decision(actor, worker, person, received_on):
    """An application whose community interview was carried out: the case awaits a decision."""
    application = services.register_application(actor, person.pk, received_on=received_on, reasons=("ubostwo",))
    interview = application.interview
    services.assign_interview(actor, interview.pk, StaffProfile.objects.get(user=worker).pk, assigned_on=received_on)
    services.record_interview(actor, interview.pk, conducted_on=received_on + timedelta(days=1), findings="Trudno.")
    return application


class World:
    """Toruń with two test districts (odd numbers of Testowa in I, even in II), its staff, a person in each
    district awaiting a decision, and a Gdańsk director (the foreign center)."""


@pytest.fixture
def world(torun, gdansk):
    w = World()
    with schema_context("torun"):
        w.one = District.objects.create(code="test-rejon-1", name="Rejon I (test)")
        w.two = District.objects.create(code="test-rejon-2", name="Rejon II (test)")
        DistrictStreet.objects.create(district=w.one, street="Testowa", numbers="odd")
        DistrictStreet.objects.create(district=w.two, street="Testowa", numbers="even")
    w.director = make_staff("torun", "dyrektorka", Role.DIRECTOR)
    w.clerk = make_staff("torun", "swiadczenia", Role.BENEFITS_CLERK)
    w.auditor = make_staff("torun", "audytor", Role.AUDITOR)
    with schema_context("torun"):
        w.worker1 = make_staff("torun", "pracownik1", Role.SOCIAL_WORKER, districts=[w.one])
        w.worker2 = make_staff("torun", "pracownik2", Role.SOCIAL_WORKER, districts=[w.two])
        w.person1 = new_person(w.director, "7", "Kowalska")
        services.create_household(w.director, w.person1.pk, head_income=400)
        w.application1 = ready_for_decision(w.director, w.worker1, w.person1, date(2026, 11, 2))
        w.person2 = new_person(w.director, "8", "Nowak")
        services.create_household(w.director, w.person2.pk, head_income=300)
        w.application2 = ready_for_decision(w.director, w.worker2, w.person2, date(2026, 11, 2))
        w.case1 = gid("Case", w.application1.case_id)
        w.case2 = gid("Case", w.application2.case_id)
        w.forms = {f.code: gid("FormOfHelp", f.pk) for f in FormOfHelp.objects.all()}
    w.gdansk_director = make_staff("gdansk", "dyrektor-gdansk", Role.DIRECTOR)
    w.gdansk_clerk = make_staff("gdansk", "swiadczenia-gdansk", Role.BENEFITS_CLERK)
    return w


def grant_input(world, case=None, **extra):
    values = {
        "caseId": case or world.case1,
        "kind": "GRANT",
        "formId": world.forms["zasilek-okresowy"],
        "amount": "450.50",
        "periodStart": "2026-11-15",
        "periodEnd": "2027-02-28",
        "issuedOn": "2026-11-10",
        "justification": "Niski dochód.",
    }
    values.update(extra)
    return values


def granted(world, case=None):
    """Grant the periodic allowance in case 1 (or ``case``) as the director; returns the decision payload."""
    with schema_context("torun"):
        case_id = case or world.application1.case_id
        decision = services.issue_decision(
            world.director,
            case_id,
            kind="grant",
            form="zasilek-okresowy",
            amount="450.50",
            period_start=date(2026, 11, 15),
            period_end=date(2027, 2, 28),
            issued_on=date(2026, 11, 10),
        )
        return decision, [gid("Payment", p.pk) for p in decision.payments.order_by("month")]


def in_torun(function):
    with schema_context("torun"):
        return function()


# --- issueDecision --------------------------------------------------------------------------------


def test_issue_decision_grants_and_schedules_payments(gql, world):
    payload = gql("torun", user=world.director).mutate(ISSUE, {"input": grant_input(world)})
    assert payload["errors"] == []
    decision = payload["decision"]
    assert decision["kind"] == "GRANT" and decision["status"] == "IN_FORCE" and decision["amount"] == "450.50"
    assert decision["case"]["id"] == world.case1 and decision["form"]["code"] == "zasilek-okresowy"
    assert decision["person"]["lastName"] == "Kowalska" and decision["late"] is False

    data = gql("torun", user=world.clerk).data(PAYMENTS, {"decision": decision["id"]})
    months = [(e["node"]["month"], e["node"]["amount"], e["node"]["status"]) for e in data["payments"]["edges"]]
    assert months == [
        ("2026-11-01", "450.50", "PLANNED"),
        ("2026-12-01", "450.50", "PLANNED"),
        ("2027-01-01", "450.50", "PLANNED"),
        ("2027-02-01", "450.50", "PLANNED"),
    ]


def test_issue_decision_validation_errors_change_nothing(gql, world, codes):
    client = gql("torun", user=world.director)
    before = in_torun(lambda: (Decision.objects.count(), Payment.objects.count()))

    payload = client.mutate(ISSUE, {"input": grant_input(world, amount=None)})
    assert codes(payload) == ["INVALID_AMOUNT"] and payload["errors"][0]["field"] == "amount"
    assert payload["decision"] is None
    payload = client.mutate(ISSUE, {"input": grant_input(world, periodEnd=None)})
    assert codes(payload) == ["REQUIRED"] and payload["errors"][0]["field"] == "periodEnd"
    payload = client.mutate(ISSUE, {"input": grant_input(world, periodEnd="2026-11-01")})
    assert codes(payload) == ["PERIOD_REVERSED"]
    payload = client.mutate(ISSUE, {"input": grant_input(world, issuedOn="2099-01-01")})
    assert codes(payload) == ["FUTURE_DATE"] and payload["errors"][0]["field"] == "issuedOn"
    payload = client.mutate(ISSUE, {"input": grant_input(world, formId=world.forms["posilek"], periodEnd="2026-12-31")})
    assert codes(payload) == ["NO_AMOUNT"]
    payload = client.mutate(ISSUE, {"input": grant_input(world, caseId="not-an-id")})
    assert codes(payload) == ["INVALID_ID"] and payload["errors"][0]["field"] == "caseId"
    payload = client.mutate(ISSUE, {"input": grant_input(world, formId=world.case1)})
    assert codes(payload) == ["INVALID_ID"] and payload["errors"][0]["field"] == "formId"
    # Amendments need the decision they amend.
    payload = client.mutate(ISSUE, {"input": grant_input(world, kind="SUSPEND", formId=None, amount=None)})
    assert codes(payload) == ["REQUIRED"] and payload["errors"][0]["field"] == "amendsId"

    assert in_torun(lambda: (Decision.objects.count(), Payment.objects.count())) == before


def test_a_late_decision_needs_the_reason_for_the_delay(gql, world, codes):
    with schema_context("torun"):
        application = ready_for_decision(world.director, world.worker1, world.person1, date(2026, 9, 1))
    terms = grant_input(
        world,
        formId=world.forms["zasilek-celowy"],
        caseId=gid("Case", application.case_id),
        applicationId=gid("Application", application.pk),
        amount="200",
        periodStart="2026-10-05",
        periodEnd=None,
        issuedOn="2026-10-05",
    )
    client = gql("torun", user=world.director)
    assert codes(client.mutate(ISSUE, {"input": terms})) == ["DELAY_REASON_REQUIRED"]
    payload = client.mutate(ISSUE, {"input": {**terms, "delayReason": "Oczekiwanie na dokumenty."}})
    assert payload["errors"] == [] and payload["decision"]["late"] is True


def test_issue_decision_refused_by_role_district_and_anonymous(gql, world, codes):
    before = in_torun(lambda: Decision.objects.count())
    for user, code in ((world.clerk, "ROLE_REQUIRED"), (world.auditor, "ROLE_REQUIRED")):
        assert codes(gql("torun", user=user).mutate(ISSUE, {"input": grant_input(world)})) == [code]
    # A social worker of district II may not decide in a case of district I.
    assert codes(gql("torun", user=world.worker2).mutate(ISSUE, {"input": grant_input(world)})) == ["OTHER_DISTRICT"]
    assert codes(gql("torun").mutate(ISSUE, {"input": grant_input(world)})) == ["NOT_AUTHENTICATED"]
    assert in_torun(lambda: Decision.objects.count()) == before
    # The social worker of the district may.
    assert gql("torun", user=world.worker1).mutate(ISSUE, {"input": grant_input(world)})["errors"] == []


def test_issue_decision_with_a_torun_case_id_on_gdansk_is_not_found(gql, world, codes):
    payload = gql("gdansk", user=world.gdansk_director).mutate(ISSUE, {"input": grant_input(world)})
    assert codes(payload) == ["NOT_FOUND"] and payload["decision"] is None
    assert in_torun(lambda: Decision.objects.count()) == 0
    with schema_context("gdansk"):
        assert Decision.objects.count() == 0


def test_suspend_and_repeal_amend_a_grant(gql, world, codes):
    decision, payments = granted(world)
    client = gql("torun", user=world.director)
    amends = gid("Decision", decision.pk)
    suspend = {
        "caseId": world.case1,
        "kind": "SUSPEND",
        "amendsId": amends,
        "periodStart": "2026-12-01",
        "periodEnd": "2026-12-31",
        "issuedOn": "2026-11-20",
    }
    payload = client.mutate(ISSUE, {"input": suspend})
    assert payload["errors"] == [] and payload["decision"]["kind"] == "SUSPEND"
    statuses = client.data(PAYMENTS, {"decision": amends})["payments"]["edges"]
    assert [e["node"]["status"] for e in statuses] == ["PLANNED", "CANCELLED", "PLANNED", "PLANNED"]
    assert client.data(NODE, {"id": amends})["node"]["__typename"] == "Decision"
    data = client.data("query($id: ID!) { node(id: $id) { ... on Decision { status } } }", {"id": amends})
    assert data["node"]["status"] == "SUSPENDED"

    # A suspension of a suspended grant is refused; a decision of another case is not found.
    assert codes(client.mutate(ISSUE, {"input": suspend})) == ["DECISION_NOT_IN_FORCE"]
    assert codes(client.mutate(ISSUE, {"input": {**suspend, "caseId": world.case2}})) == ["DECISION_NOT_FOUND"]

    repeal = {"caseId": world.case1, "kind": "REPEAL", "amendsId": amends, "periodStart": "2027-01-01"}
    assert client.mutate(ISSUE, {"input": {**repeal, "issuedOn": "2026-11-21"}})["errors"] == []
    with schema_context("torun"):
        planned = Payment.objects.filter(decision=decision, status="planned").values_list("month", flat=True)
        assert list(planned) == [date(2026, 11, 1)]  # the months before the repeal stay
        assert Decision.objects.get(pk=decision.pk).status == Decision.Status.REPEALED


# --- payments -------------------------------------------------------------------------------------


def test_mark_paid_and_cancel_payments(gql, world, codes):
    _decision, payments = granted(world)
    client = gql("torun", user=world.clerk)
    payload = client.mutate(MARK_PAID, {"id": payments[0], "paidOn": "2026-11-16"})
    assert payload["errors"] == [] and payload["payment"] == {
        "id": payments[0],
        "status": "PAID",
        "paidOn": "2026-11-16",
    }
    payload = client.mutate(CANCEL, {"id": payments[1], "reason": "Zmiana konta."})
    assert payload["errors"] == [] and payload["payment"]["status"] == "CANCELLED"
    assert payload["payment"]["cancelledReason"] == "Zmiana konta."

    # Neither a paid nor a cancelled payment can be paid or cancelled again.
    assert codes(client.mutate(CANCEL, {"id": payments[0], "reason": "pomyłka"})) == ["PAYMENT_NOT_PLANNED"]
    assert codes(client.mutate(MARK_PAID, {"id": payments[1]})) == ["PAYMENT_NOT_PLANNED"]


def test_payment_mutations_validate_and_change_nothing(gql, world, codes):
    _decision, payments = granted(world)
    client = gql("torun", user=world.clerk)
    payload = client.mutate(MARK_PAID, {"id": payments[0], "paidOn": "2099-01-01"})
    assert codes(payload) == ["FUTURE_DATE"] and payload["errors"][0]["field"] == "paidOn"
    payload = client.mutate(CANCEL, {"id": payments[0], "reason": "  "})
    assert codes(payload) == ["REQUIRED"] and payload["errors"][0]["field"] == "reason"
    assert codes(client.mutate(MARK_PAID, {"id": world.case1})) == ["INVALID_ID"]
    assert codes(client.mutate(MARK_PAID, {"id": gid("Payment", 999999)})) == ["PAYMENT_NOT_FOUND"]
    assert in_torun(lambda: set(Payment.objects.values_list("status", flat=True))) == {"planned"}


def test_payment_mutations_need_the_payment_role(gql, world, codes):
    _decision, payments = granted(world)
    for user in (world.worker1, world.auditor):
        assert codes(gql("torun", user=user).mutate(MARK_PAID, {"id": payments[0]})) == ["ROLE_REQUIRED"]
        assert codes(gql("torun", user=user).mutate(CANCEL, {"id": payments[0], "reason": "x"})) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(MARK_PAID, {"id": payments[0]})) == ["NOT_AUTHENTICATED"]
    assert in_torun(lambda: set(Payment.objects.values_list("status", flat=True))) == {"planned"}


def test_a_torun_payment_id_on_gdansk_is_not_found(gql, world, codes):
    _decision, payments = granted(world)
    client = gql("gdansk", user=world.gdansk_clerk)
    assert codes(client.mutate(MARK_PAID, {"id": payments[0]})) == ["NOT_FOUND"]
    assert codes(client.mutate(CANCEL, {"id": payments[0], "reason": "x"})) == ["NOT_FOUND"]
    body = client(NODE, {"id": payments[0]})
    assert body["data"]["node"] is None and codes(body) == ["not_found"]
    assert in_torun(lambda: set(Payment.objects.values_list("status", flat=True))) == {"planned"}


# --- programme grants -----------------------------------------------------------------------------


def nursing_benefit(world, number, start, end):
    with schema_context("torun"):
        person = new_person(world.director, number, f"Opiekun{number}")
        application = ready_for_decision(world.director, world.worker1, person, date(2013, 11, 4))
        return services.issue_decision(
            world.director,
            application.case_id,
            kind="grant",
            form="swiadczenie-pielegnacyjne",
            amount=620,
            period_start=start,
            period_end=end,
            issued_on=date(2013, 11, 20),
        )


def programme_input(world, **extra):
    values = {
        "code": "program-sp-2014",
        "namePl": "Rządowy program wspierania osób pobierających świadczenie pielęgnacyjne (I–III 2014)",
        "nameEn": "Government programme supporting nursing-benefit recipients (Jan–Mar 2014)",
        "sourceFormId": world.forms["swiadczenie-pielegnacyjne"],
        "formId": world.forms["pomoc-programu-rzadowego"],
        "monthlyAmount": "200",
        "firstMonth": "2014-01-01",
        "lastMonth": "2014-03-01",
        "issuedOn": "2014-01-10",
    }
    values.update(extra)
    return values


def test_run_programme_grant_is_idempotent_and_listed(gql, world, codes):
    nursing_benefit(world, "1", date(2013, 12, 1), date(2014, 12, 31))
    nursing_benefit(world, "3", date(2013, 12, 1), date(2014, 2, 28))
    client = gql("torun", user=world.clerk)
    payload = client.mutate(RUN_PROGRAMME, {"input": programme_input(world)})
    assert payload["errors"] == []
    assert (payload["granted"], payload["alreadyGranted"], payload["skipped"]) == (2, 0, 0)
    assert payload["programme"]["monthlyAmount"] == "200.00"
    assert payload["programme"]["form"]["code"] == "pomoc-programu-rzadowego"
    again = client.mutate(RUN_PROGRAMME, {"input": programme_input(world)})
    assert (again["granted"], again["alreadyGranted"]) == (0, 2)

    programme = payload["programme"]["id"]
    data = client.data(
        """query($programme: ID!) {
          benefitProgrammes(activeOn: "2014-02-15") { totalCount edges { node { id code name } } }
          programmeGrants(programmeId: $programme) { totalCount
            edges { node { person { lastName } decision { amount kind } programme { code } } } }
          decisions(programmeId: $programme) { totalCount }
        }""",
        {"programme": programme},
    )
    assert [e["node"]["id"] for e in data["benefitProgrammes"]["edges"]] == [programme]
    grants = data["programmeGrants"]["edges"]
    assert [g["node"]["person"]["lastName"] for g in grants] == ["Opiekun1", "Opiekun3"]
    assert {g["node"]["decision"]["amount"] for g in grants} == {"200.00"}
    assert data["decisions"]["totalCount"] == 2
    # A worker of district II sees no grant of a person of district I.
    mine = gql("torun", user=world.worker2).data("{ programmeGrants { totalCount } }")
    assert mine["programmeGrants"]["totalCount"] == 0


def test_run_programme_grant_validation_and_conflict_change_nothing(gql, world, codes):
    nursing_benefit(world, "1", date(2013, 12, 1), date(2014, 12, 31))
    client = gql("torun", user=world.clerk)
    payload = client.mutate(RUN_PROGRAMME, {"input": programme_input(world, lastMonth="2013-12-01")})
    assert codes(payload) == ["PERIOD_REVERSED"] and payload["errors"][0]["field"] == "lastMonth"
    payload = client.mutate(RUN_PROGRAMME, {"input": programme_input(world, formId=world.forms["zasilek-celowy"])})
    assert codes(payload) == ["NOT_MONTHLY"]
    payload = client.mutate(RUN_PROGRAMME, {"input": programme_input(world, monthlyAmount="0")})
    assert codes(payload) == ["INVALID_AMOUNT"] and payload["errors"][0]["field"] == "monthlyAmount"
    payload = client.mutate(RUN_PROGRAMME, {"input": programme_input(world, code="zły kod!", namePl=" ")})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("code", "INVALID_CODE"), ("namePl", "REQUIRED")]
    payload = client.mutate(RUN_PROGRAMME, {"input": programme_input(world, code="x" * 61, legalBasis="a" * 301)})
    assert codes(payload) == ["INVALID_CODE", "TOO_LONG"]
    assert in_torun(lambda: (BenefitProgramme.objects.count(), ProgrammeGrant.objects.count())) == (0, 0)

    assert client.mutate(RUN_PROGRAMME, {"input": programme_input(world)})["errors"] == []
    before = in_torun(lambda: (Decision.objects.count(), Payment.objects.count()))
    payload = client.mutate(RUN_PROGRAMME, {"input": programme_input(world, monthlyAmount="300")})
    assert codes(payload) == ["PROGRAMME_MISMATCH"]
    assert in_torun(lambda: (Decision.objects.count(), Payment.objects.count())) == before


def test_run_programme_grant_needs_the_payment_role_and_this_centers_forms(gql, world, codes):
    nursing_benefit(world, "1", date(2013, 12, 1), date(2014, 12, 31))
    for user in (world.worker1, world.auditor):
        payload = gql("torun", user=user).mutate(RUN_PROGRAMME, {"input": programme_input(world)})
        assert codes(payload) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(RUN_PROGRAMME, {"input": programme_input(world)})) == ["NOT_AUTHENTICATED"]
    # Toruń's form IDs mean nothing in Gdańsk.
    payload = gql("gdansk", user=world.gdansk_clerk).mutate(RUN_PROGRAMME, {"input": programme_input(world)})
    assert codes(payload) == ["NOT_FOUND"]
    assert in_torun(lambda: BenefitProgramme.objects.count()) == 0
    with schema_context("gdansk"):
        assert not BenefitProgramme.objects.filter(code="program-sp-2014").exists()


# --- social contracts -----------------------------------------------------------------------------


def contract_input(world, **extra):
    values = {
        "caseId": world.case1,
        "concludedOn": "2026-11-05",
        "validUntil": "2027-05-05",
        "goals": "Podjęcie zatrudnienia.",
        "clientObligations": "Rejestracja w urzędzie pracy.",
        "centerObligations": "Pokrycie kosztów kursu.",
    }
    values.update(extra)
    return values


def test_conclude_and_evaluate_a_social_contract(gql, world, codes):
    client = gql("torun", user=world.worker1)
    payload = client.mutate(CONCLUDE, {"input": contract_input(world)})
    assert payload["errors"] == []
    contract = payload["socialContract"]
    assert contract["status"] == "ACTIVE" and contract["case"]["id"] == world.case1
    assert codes(client.mutate(CONCLUDE, {"input": contract_input(world)})) == ["CONTRACT_IN_FORCE"]

    payload = client.mutate(EVALUATE, {"id": contract["id"], "status": "COMPLETED", "evaluation": "Cel osiągnięty."})
    assert payload["errors"] == [] and payload["socialContract"]["status"] == "COMPLETED"
    again = client.mutate(EVALUATE, {"id": contract["id"], "status": "BROKEN", "evaluation": "x"})
    assert codes(again) == ["CONTRACT_CLOSED"]

    data = client.data(
        "query($case: ID) { socialContracts(caseId: $case, status: COMPLETED) { totalCount edges { node { id "
        "person { lastName } evaluation } } } }",
        {"case": world.case1},
    )
    assert data["socialContracts"]["totalCount"] == 1
    assert data["socialContracts"]["edges"][0]["node"]["person"]["lastName"] == "Kowalska"


def test_social_contract_validation_changes_nothing(gql, world, codes):
    client = gql("torun", user=world.worker1)
    payload = client.mutate(CONCLUDE, {"input": contract_input(world, goals=" ", centerObligations="")})
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("centerObligations", "REQUIRED"),
        ("goals", "REQUIRED"),
    ]
    payload = client.mutate(CONCLUDE, {"input": contract_input(world, validUntil="2026-11-01")})
    assert codes(payload) == ["PERIOD_REVERSED"] and payload["errors"][0]["field"] == "validUntil"
    assert in_torun(lambda: SocialContract.objects.count()) == 0

    contract = client.mutate(CONCLUDE, {"input": contract_input(world)})["socialContract"]
    payload = client.mutate(EVALUATE, {"id": contract["id"], "status": "ACTIVE", "evaluation": "x"})
    assert codes(payload) == ["INVALID_CHOICE"] and payload["errors"][0]["field"] == "status"
    payload = client.mutate(EVALUATE, {"id": contract["id"], "status": "COMPLETED", "evaluation": ""})
    assert codes(payload) == ["REQUIRED"]
    assert in_torun(lambda: SocialContract.objects.get().status) == "active"


def test_social_contracts_refused_by_district_role_and_center(gql, world, codes):
    assert codes(gql("torun", user=world.worker2).mutate(CONCLUDE, {"input": contract_input(world)})) == [
        "OTHER_DISTRICT"
    ]
    assert codes(gql("torun", user=world.auditor).mutate(CONCLUDE, {"input": contract_input(world)})) == [
        "ROLE_REQUIRED"
    ]
    assert codes(gql("gdansk", user=world.gdansk_director).mutate(CONCLUDE, {"input": contract_input(world)})) == [
        "NOT_FOUND"
    ]
    assert in_torun(lambda: SocialContract.objects.count()) == 0

    contract = gql("torun", user=world.worker1).mutate(CONCLUDE, {"input": contract_input(world)})["socialContract"]
    evaluation = {"id": contract["id"], "status": "BROKEN", "evaluation": "Nie zgłosił się."}
    assert codes(gql("torun", user=world.worker2).mutate(EVALUATE, evaluation)) == ["OTHER_DISTRICT"]
    assert codes(gql("gdansk", user=world.gdansk_director).mutate(EVALUATE, evaluation)) == ["NOT_FOUND"]
    assert codes(gql("torun").mutate(EVALUATE, evaluation)) == ["NOT_AUTHENTICATED"]
    assert in_torun(lambda: SocialContract.objects.get().status) == "active"
    # Nor can a worker of district II read it.
    body = gql("torun", user=world.worker2)(NODE, {"id": contract["id"]})
    assert body["data"]["node"] is None and codes(body) == ["other_district"]
    assert gql("torun", user=world.worker2).data("{ socialContracts { totalCount } }")["socialContracts"] == {
        "totalCount": 0
    }


# --- income criterion rates and forms of help -----------------------------------------------------


def rate_input(**extra):
    return {"validFrom": "2027-10-01", "singlePerson": "1100", "perPersonInFamily": "900", **extra}


def test_add_income_criterion_rate_and_read_the_one_in_force(gql, world, codes):
    client = gql("torun", user=world.director)
    payload = client.mutate(ADD_RATE, {"input": rate_input(legalBasis="Dz.U. 2027 poz. 1")})
    assert payload["errors"] == []
    assert payload["incomeCriterionRate"]["validFrom"] == "2027-10-01"
    assert payload["incomeCriterionRate"]["singlePerson"] == "1100.00"
    data = gql("torun", user=world.worker1).data(
        """{ now: incomeCriterionRates(validOn: "2027-09-30") { edges { node { validFrom singlePerson } } }
             later: incomeCriterionRates(validOn: "2030-01-01") { edges { node { validFrom } } }
             none: incomeCriterionRates(validOn: "1990-01-01") { totalCount } }"""
    )
    assert data["now"]["edges"] == [{"node": {"validFrom": "2025-01-01", "singlePerson": "1010.00"}}]
    assert data["later"]["edges"] == [{"node": {"validFrom": "2027-10-01"}}]
    assert data["none"]["totalCount"] == 0


def test_add_income_criterion_rate_refusals_change_nothing(gql, world, codes):
    before = in_torun(lambda: IncomeCriterionRate.objects.count())
    client = gql("torun", user=world.director)
    payload = client.mutate(ADD_RATE, {"input": rate_input(singlePerson="0")})
    assert codes(payload) == ["INVALID_AMOUNT"] and payload["errors"][0]["field"] == "singlePerson"
    assert codes(client.mutate(ADD_RATE, {"input": rate_input(validFrom="2025-01-01")})) == ["RATE_EXISTS"]
    for user in (world.worker1, world.clerk, world.auditor):
        assert codes(gql("torun", user=user).mutate(ADD_RATE, {"input": rate_input()})) == ["ROLE_REQUIRED"]
    assert codes(gql("torun").mutate(ADD_RATE, {"input": rate_input()})) == ["NOT_AUTHENTICATED"]
    # A Gdańsk token is refused on Toruń's host before anything runs.
    with schema_context("gdansk"):
        token = create_api_token(world.gdansk_director, name="skrypt")[1]
    response = gql("torun", token=token).post(ADD_RATE, {"input": rate_input()})
    assert response.status_code == 401 and "data" not in response.json()
    assert in_torun(lambda: IncomeCriterionRate.objects.count()) == before


def test_forms_of_help_by_category_and_search(gql, world, codes):
    client = gql("torun", user=world.auditor)
    data = client.data(
        """{ family: formsOfHelp(category: FAMILY_BENEFIT) { edges { node { code category isCash } } }
             search: formsOfHelp(search: "okresowy") { edges { node { id code schedule name } } } }"""
    )
    assert {e["node"]["code"] for e in data["family"]["edges"]} >= {"swiadczenie-pielegnacyjne"}
    assert {e["node"]["category"] for e in data["family"]["edges"]} == {"FAMILY_BENEFIT"}
    [periodic] = data["search"]["edges"]
    assert periodic["node"]["code"] == "zasilek-okresowy" and periodic["node"]["schedule"] == "MONTHLY"
    assert client.data(NODE, {"id": periodic["node"]["id"]})["node"]["__typename"] == "FormOfHelp"
    assert codes(gql("torun")("{ formsOfHelp { totalCount } }")) == ["not_authenticated"]
    body = gql("gdansk", user=world.gdansk_director)(NODE, {"id": periodic["node"]["id"]})
    assert body["data"]["node"] is None and codes(body) == ["not_found"]


# --- decision and payment lists -------------------------------------------------------------------


def test_decision_list_is_scoped_filtered_and_ordered(gql, world, codes):
    first, _ = granted(world)
    with schema_context("torun"):
        refusal = services.issue_decision(
            world.director,
            world.application2.case_id,
            kind="refuse",
            form="zasilek-celowy",
            period_start=date(2026, 11, 3),
            issued_on=date(2026, 11, 4),
        )
    first_id, refusal_id = gid("Decision", first.pk), gid("Decision", refusal.pk)

    def ids(user, **variables):
        data = gql("torun", user=user).data(DECISIONS, variables)["decisions"]
        return [e["node"]["id"] for e in data["edges"]]

    assert ids(world.director) == [first_id, refusal_id]  # newest first
    assert ids(world.director, orderBy="ISSUED_ASC") == [refusal_id, first_id]
    assert ids(world.auditor) == ids(world.clerk) == [first_id, refusal_id]
    assert ids(world.worker1) == [first_id] and ids(world.worker2) == [refusal_id]
    assert ids(world.director, kind=["REFUSE"]) == [refusal_id]
    assert ids(world.director, kind=["GRANT", "CHANGE"], status="IN_FORCE") == [first_id]
    assert ids(world.director, **{"from": "2026-11-05"}) == [first_id]
    assert ids(world.director, to="2026-11-05") == [refusal_id]
    assert ids(world.director, case=world.case2) == [refusal_id]
    assert ids(world.worker1, case=world.case2) == []  # not theirs: nothing, not an error
    assert ids(world.director, district=gid("District", world.two.pk)) == [refusal_id]

    by = gql("torun", user=world.director).data(
        """query($person: ID, $form: ID) {
          byPerson: decisions(personId: $person) { edges { node { id } } }
          byForm: decisions(formId: $form, late: false) { edges { node { id } } }
          late: decisions(late: true) { totalCount }
        }""",
        {"person": gid("Person", world.person2.pk), "form": world.forms["zasilek-okresowy"]},
    )
    assert [e["node"]["id"] for e in by["byPerson"]["edges"]] == [refusal_id]
    assert [e["node"]["id"] for e in by["byForm"]["edges"]] == [first_id] and by["late"]["totalCount"] == 0

    node = gql("torun", user=world.director).data(DECISIONS, {})["decisions"]["edges"][0]["node"]
    assert node["person"] == {"lastName": "Kowalska", "district": {"name": "Rejon I (test)"}}
    assert node["form"]["name"] and node["amount"] == "450.50"


def test_decision_list_refusals(gql, world, codes):
    granted(world)
    district_two = gid("District", world.two.pk)
    body = gql("torun", user=world.worker1)(DECISIONS, {"district": district_two})
    assert codes(body) == ["other_district"] and body["data"]["decisions"] is None
    assert codes(gql("torun")(DECISIONS)) == ["not_authenticated"]
    assert codes(gql("torun", user=world.director)(DECISIONS, {"first": 101})) == ["page_size"]
    assert codes(gql("torun", user=world.director)(DECISIONS, {"case": "bogus"})) == ["invalid_id"]
    body = gql("torun", user=world.director)(DECISIONS, {"from": "2026-11-05", "to": "2026-11-01"})
    assert codes(body) == ["period_reversed"] and body["errors"][0]["extensions"]["field"] == "issuedTo"
    # Toruń's IDs on Gdańsk: not found, never Gdańsk's rows with the same keys.
    body = gql("gdansk", user=world.gdansk_director)(DECISIONS, {"case": world.case1})
    assert codes(body) == ["not_found"] and body["data"]["decisions"] is None
    decision_id = gid("Decision", in_torun(lambda: Decision.objects.get().pk))
    body = gql("gdansk", user=world.gdansk_director)(NODE, {"id": decision_id})
    assert body["data"]["node"] is None and codes(body) == ["not_found"]
    body = gql("torun", user=world.worker2)(NODE, {"id": decision_id})
    assert body["data"]["node"] is None and codes(body) == ["other_district"]


def test_payment_list_filters_by_month_and_status(gql, world):
    _decision, payments = granted(world)
    client = gql("torun", user=world.clerk)
    assert client.mutate(MARK_PAID, {"id": payments[0], "paidOn": "2026-11-16"})["errors"] == []

    def months(user=world.clerk, **variables):
        data = gql("torun", user=user).data(PAYMENTS, variables)["payments"]
        return [e["node"]["month"] for e in data["edges"]]

    assert months() == ["2026-11-01", "2026-12-01", "2027-01-01", "2027-02-01"]
    assert months(status="PAID") == ["2026-11-01"]
    assert months(**{"from": "2026-12-15", "to": "2027-01-31"}) == ["2026-12-01", "2027-01-01"]
    assert months(orderBy="MONTH_DESC")[0] == "2027-02-01"
    assert months(user=world.worker1, status="PLANNED") == ["2026-12-01", "2027-01-01", "2027-02-01"]
    assert months(user=world.worker2) == []
    search = """query($q: String) { payments(search: $q) { totalCount } decisions(search: $q) { totalCount }
      socialContracts(search: $q) { totalCount } programmeGrants(search: $q) { totalCount } }"""
    assert client.data(search, {"q": "kowal"})["payments"]["totalCount"] == 4
    assert client.data(search, {"q": "zofia kowal"})["decisions"]["totalCount"] == 1
    assert client.data(search, {"q": world.person1.pesel[:6]})["payments"]["totalCount"] == 4
    assert client.data(search, {"q": "nowak"})["payments"]["totalCount"] == 0
    body = client(PAYMENTS, {"from": "2027-02-01", "to": "2026-12-31"})
    assert [e["extensions"]["code"] for e in body["errors"]] == ["period_reversed"]
    node = client.data(PAYMENTS, {"first": 1})["payments"]["edges"][0]["node"]
    assert node["decision"] == {"kind": "GRANT", "case": {"id": world.case1}}
    assert node["person"]["district"] == {"name": "Rejon I (test)"}


# --- SQL statements per list ----------------------------------------------------------------------


def bulk_decisions(world, n):
    """``n`` grants with a payment, a programme grant and a social contract each, spread over persons of both
    districts (rows written directly: the test is about reading them)."""
    with schema_context("torun"):
        persons = [new_person(world.director, str(7 + i), f"Osoba{i}") for i in range(4)]
        cases = [services.register_application(world.director, p.pk, received_on=date(2026, 11, 2)) for p in persons]
        form = FormOfHelp.objects.get(code="zasilek-celowy")
        decisions = Decision.objects.bulk_create(
            [
                Decision(
                    case_id=cases[i % 4].case_id,
                    kind="grant",
                    form=form,
                    amount=Decimal(100 + i),
                    period_start=date(2026, 11, 3),
                    issued_on=date(2026, 11, 3),
                )
                for i in range(n)
            ]
        )
        Payment.objects.bulk_create(
            [
                Payment(
                    decision=d,
                    person_id=cases[i % 4].case.person_id,
                    form=form,
                    month=date(2026, 11, 1),
                    amount=d.amount,
                    due_on=date(2026, 11, 3),
                )
                for i, d in enumerate(decisions)
            ]
        )
        target = FormOfHelp.objects.get(code="pomoc-programu-rzadowego")
        programmes = BenefitProgramme.objects.bulk_create(
            [
                BenefitProgramme(
                    code=f"program-{i}",
                    name_pl=f"Program {i}",
                    name_en=f"Programme {i}",
                    source_form=form,
                    form=target,
                    monthly_amount=Decimal(200),
                    first_month=date(2026, 11, 1),
                    last_month=date(2026, 12, 1),
                )
                for i in range(n)
            ]
        )
        ProgrammeGrant.objects.bulk_create(
            [
                ProgrammeGrant(programme=p, person_id=cases[i % 4].case.person_id, decision=decisions[i])
                for i, p in enumerate(programmes)
            ]
        )
        SocialContract.objects.bulk_create(
            [
                SocialContract(
                    case_id=cases[i % 4].case_id,
                    concluded_on=date(2026, 11, 3),
                    valid_until=date(2027, 5, 3),
                    goals="Cel.",
                    client_obligations="Zobowiązania osoby.",
                    center_obligations="Zobowiązania ośrodka.",
                )
                for i in range(n)
            ]
        )


def list_statements(gql, user, count_sql, query, field) -> dict:
    """Statements a page of 5 and a page of 50 cost beyond what every request costs (host → center, session,
    user), each page checked to be full."""
    client = gql("torun", user=user)
    client.data(query, {"first": 1})  # the session is warm: what follows is what a page costs
    with count_sql() as baseline:
        client.data("{ __typename }")
    statements = {}
    for first in (5, 50):
        with count_sql() as sql:
            data = client.data(query, {"first": first})
        assert len(data[field]["edges"]) == min(first, data[field]["totalCount"])
        statements[first] = sql.n - baseline.n
    return statements


@pytest.mark.parametrize(
    "query, field",
    [
        (DECISIONS, "decisions"),
        (
            "query($first: Int) { decisions(first: $first) { totalCount edges { node { kind "
            "payments { month status form { code } person { lastName district { name } } decision { kind } } } } } }",
            "decisions",
        ),
        (PAYMENTS, "payments"),
        (
            "query($first: Int) { programmeGrants(first: $first) { totalCount edges { node { person { lastName "
            "district { name } } decision { amount form { code } } programme { code } } } } }",
            "programmeGrants",
        ),
        (
            "query($first: Int) { socialContracts(first: $first) { totalCount edges { node { case { id } "
            "person { lastName district { name } } } } } }",
            "socialContracts",
        ),
        (
            "query($first: Int) { formsOfHelp(first: $first) { totalCount edges { node { code name } } } }",
            "formsOfHelp",
        ),
    ],
)
def test_lists_run_in_constant_sql_whatever_the_page_size(gql, world, count_sql, query, field):
    bulk_decisions(world, 60)
    statements = list_statements(gql, world.clerk, count_sql, query, field)
    # Left: the staff profile, COUNT, the page with its joins, and the payments when a decision's are asked for.
    assert statements[5] == statements[50] <= 6, (
        f"{field} must load its page with persons, districts, forms and decisions joined (select_related, one "
        "prefetch for a nested list), not one query per row: staff page through thousands of decisions and "
        f"payments, and an N+1 would cost 100+ statements a page. Got {statements} beyond the request's own."
    )


def test_a_social_worker_list_is_constant_too(gql, world, count_sql):
    """A social worker's scope costs one statement more (their districts); still none per row."""
    bulk_decisions(world, 60)
    statements = list_statements(gql, world.worker1, count_sql, DECISIONS, "decisions")
    data = gql("torun", user=world.worker1).data(DECISIONS, {"first": 50})
    assert {e["node"]["person"]["district"]["name"] for e in data["decisions"]["edges"]} == {"Rejon I (test)"}
    assert statements[5] == statements[50] <= 6, (
        "a social worker's decision list: the district scope is one statement, nested fields must not add one per "
        f"row. Got {statements} beyond the request's own."
    )


# --- amendments, programme and rate reads ---------------------------------------------------------


def test_a_change_replaces_the_planned_payments(gql, world, codes):
    decision, _payments = granted(world)
    change = {
        "caseId": world.case1,
        "kind": "CHANGE",
        "amendsId": gid("Decision", decision.pk),
        "amount": "500",
        "periodStart": "2027-01-01",
        "periodEnd": "2027-02-28",
        "issuedOn": "2026-11-20",
    }
    client = gql("torun", user=world.director)
    assert codes(client.mutate(ISSUE, {"input": {**change, "periodStart": "2026-10-01"}})) == ["OUTSIDE_PERIOD"]
    payload = client.mutate(ISSUE, {"input": change})
    assert payload["errors"] == [] and payload["decision"]["kind"] == "CHANGE"
    rows = client.data(PAYMENTS, {"status": "PLANNED"})["payments"]["edges"]
    assert [(e["node"]["month"], e["node"]["amount"], e["node"]["decision"]["kind"]) for e in rows] == [
        ("2026-11-01", "450.50", "GRANT"),
        ("2026-12-01", "450.50", "GRANT"),
        ("2027-01-01", "500.00", "CHANGE"),
        ("2027-02-01", "500.00", "CHANGE"),
    ]
    data = client.data(
        "query($id: ID!) { node(id: $id) { ... on Decision { status payments { month status } } } }",
        {"id": gid("Decision", decision.pk)},
    )
    assert data["node"]["status"] == "CHANGED"
    assert [(p["month"], p["status"]) for p in data["node"]["payments"]] == [
        ("2026-11-01", "PLANNED"),
        ("2026-12-01", "PLANNED"),
        ("2027-01-01", "CANCELLED"),
        ("2027-02-01", "CANCELLED"),
    ]


def test_programme_grant_and_rate_reads_are_refused_outside_the_scope(gql, world, codes):
    nursing_benefit(world, "1", date(2013, 12, 1), date(2014, 12, 31))
    payload = gql("torun", user=world.clerk).mutate(RUN_PROGRAMME, {"input": programme_input(world)})
    programme = payload["programme"]["id"]
    with schema_context("torun"):
        grant = gid("ProgrammeGrant", ProgrammeGrant.objects.get().pk)
        rate = gid("IncomeCriterionRate", IncomeCriterionRate.objects.first().pk)

    anonymous = gql("torun")
    for query in (
        "{ benefitProgrammes { totalCount } }",
        "{ programmeGrants { totalCount } }",
        "{ incomeCriterionRates { totalCount } }",
        "{ payments { totalCount } }",
        "{ socialContracts { totalCount } }",
    ):
        assert codes(anonymous(query)) == ["not_authenticated"], query

    worker1 = gql("torun", user=world.worker1)
    assert worker1.data(NODE, {"id": grant})["node"]["__typename"] == "ProgrammeGrant"
    assert worker1.data(NODE, {"id": programme})["node"]["__typename"] == "BenefitProgramme"
    assert worker1.data(NODE, {"id": rate})["node"]["__typename"] == "IncomeCriterionRate"
    assert codes(gql("torun", user=world.worker2)(NODE, {"id": grant})) == ["other_district"]
    body = worker1(
        "query($d: ID) { programmeGrants(districtId: $d) { totalCount } }", {"d": gid("District", world.two.pk)}
    )
    assert codes(body) == ["other_district"]
    body = worker1("query($p: ID) { programmeGrants(programmeId: $p) { totalCount } }", {"p": grant})
    assert codes(body) == ["invalid_id"]

    gdansk = gql("gdansk", user=world.gdansk_director)
    for node_id in (grant, programme, rate):
        body = gdansk(NODE, {"id": node_id})
        assert body["data"]["node"] is None and codes(body) == ["not_found"]
    body = gdansk("query($p: ID) { programmeGrants(programmeId: $p) { totalCount } }", {"p": programme})
    assert codes(body) == ["not_found"] and body["data"]["programmeGrants"] is None


def test_list_filters_with_torun_ids_on_gdansk_are_not_found(gql, world, codes):
    decision, _payments = granted(world)
    gdansk = gql("gdansk", user=world.gdansk_director)
    for query, variables in (
        ("query($id: ID) { payments(decisionId: $id) { totalCount } }", {"id": gid("Decision", decision.pk)}),
        ("query($id: ID) { payments(caseId: $id) { totalCount } }", {"id": world.case1}),
        ("query($id: ID) { socialContracts(caseId: $id) { totalCount } }", {"id": world.case1}),
        ("query($id: ID) { decisions(formId: $id) { totalCount } }", {"id": world.forms["zasilek-okresowy"]}),
        ("query($id: ID) { payments(districtId: $id) { totalCount } }", {"id": gid("District", world.one.pk)}),
    ):
        body = gdansk(query, variables)
        assert codes(body) == ["not_found"] and list(body["data"].values()) == [None], query
    # Gdańsk's own lists hold nothing of Toruń's.
    data = gdansk.data("{ decisions { totalCount } payments { totalCount } socialContracts { totalCount } }")
    assert data == {"decisions": {"totalCount": 0}, "payments": {"totalCount": 0}, "socialContracts": {"totalCount": 0}}
    assert codes(gql("torun", user=world.director)("{ formsOfHelp(first: 500) { totalCount } }")) == ["page_size"]
