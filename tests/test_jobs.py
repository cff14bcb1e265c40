"""Background jobs (ostoja.platform.jobs): onboarding and programme grants as jobs with progress, idempotent start and
delivery, failures visible on the job and dead tasks visible to operators; permissions in both schemas. Eager mode
for most; one real worker test for onboarding and one for a programme grant (the fixtures of tests/test_celery.py)."""

import functools
import json
import uuid
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django_tenants.utils import schema_context, schema_exists
from test_celery import (  # noqa: F401 (fixtures)
    _demo_centers_after_this_module,
    celery_worker,
    committed_centers,
    eager,
    wait_for,
)
from test_graphql_benefits import nursing_benefit, programme_input, world  # noqa: F401 (fixture)

from ostoja.graphql.core.ids import to_global_id
from ostoja.modules.cases.models import BenefitProgramme, ProgrammeGrant
from ostoja.modules.cases.tasks import grant_programme_task, start_programme_grant
from ostoja.platform.accounts import services as accounts
from ostoja.platform.audit.models import AuditEntry
from ostoja.platform.errors import Conflict
from ostoja.platform.jobs import services as jobs
from ostoja.platform.jobs.models import FailedTask, Job, JobStatus
from ostoja.platform.staff.models import Role, StaffProfile
from ostoja.platform.tasks import task
from ostoja.tenants import onboarding
from ostoja.tenants.models import Center, Domain, PlatformRole
from ostoja.tenants.tasks import onboard_center_task
from ostoja.tenants.tasks_onboarding import ONBOARDING_KIND, start_center_onboarding

pytestmark = pytest.mark.django_db

ERRORS = "errors { field code message }"
START = f"""mutation($input: OnboardCenterInput!) {{
  startCenterOnboarding(input: $input) {{ started job {{ id kind key status percent stepsDone stepsTotal }} {ERRORS} }}
}}"""
JOB = """query($id: ID!) { job(id: $id) { id kind key status percent stepsDone stepsTotal stepLabel errorCode
  errorMessage result createdBy attempts startedAt finishedAt } }"""
JOBS = """query($kind: String, $status: JobStatus) { jobs(kind: $kind, status: $status) { totalCount
  edges { node { id key status } } } }"""
FAILED = """query($task: String) { failedTasks(taskName: $task) { totalCount
  edges { node { taskName schemaName argsSummary exceptionClass exceptionMessage } } } }"""
START_GRANT = f"""mutation($input: RunProgrammeGrantInput!) {{
  startProgrammeGrant(input: $input) {{ started job {{ id kind key status percent result }} {ERRORS} }}
}}"""
NODE_JOB = "query($id: ID!) { node(id: $id) { ... on Job { id status percent result errorCode } } }"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def operator(db):
    return accounts.create_platform_account(None, username="operator", email="op@ostoja.example", role="operator")


@pytest.fixture
def partner(slupsk, gdansk):
    pomorze = accounts.create_partnership(None, name="Partnerzy", centers=["slupsk", "gdansk"])
    return accounts.create_platform_account(
        None, username="partner", email="p@pomorze.example", role=PlatformRole.PARTNER, partnership=pomorze
    )


def onboarding_input(slug="malbork", **extra):
    values = {
        "slug": slug,
        "name": "Miejski Ośrodek Pomocy Społecznej w Malborku",
        "kind": "MOPS",
        "city": "Malbork",
        "voivodeship": "POMORSKIE",
        "administrator": {"username": "admin", "email": "admin@malbork.example"},
    }
    values.update(extra)
    return values


def public_gid(type_name, pk):
    with schema_context("public"):
        return to_global_id(type_name, pk)


# --- onboarding as a job (eager) ------------------------------------------------------------------


def test_start_center_onboarding_runs_it_with_progress(gql, operator, eager, django_capture_on_commit_callbacks):  # noqa: F811
    client = gql(user=operator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payload = client.mutate(START, {"input": onboarding_input()})
    assert payload["errors"] == [] and payload["started"] is True
    assert sum(isinstance(c, functools.partial) for c in callbacks) == 1  # one task sent
    job_id = payload["job"]["id"]
    job = client.data(JOB, {"id": job_id})["job"]
    assert (job["kind"], job["key"], job["status"]) == (ONBOARDING_KIND, "malbork", "SUCCEEDED")
    assert (job["stepsDone"], job["stepsTotal"], job["percent"], job["attempts"]) == (6, 6, 100, 1)
    assert job["createdBy"] == "operator" and job["errorCode"] == ""
    result = job["result"] if isinstance(job["result"], dict) else json.loads(job["result"])
    assert result["created"] is True and result["slug"] == "malbork" and result["administrator"] == "admin"
    assert result["set_password_url"]  # no password travelled: the administrator chooses one
    assert jobs.PRIVATE_KEYS not in result
    # another operator sees the job and its result, but not the administrator's set-password link
    other = accounts.create_platform_account(None, username="operator2", email="op2@ostoja.example", role="operator")
    seen = gql(user=other).data(JOB, {"id": job_id})["job"]
    seen = seen["result"] if isinstance(seen["result"], dict) else json.loads(seen["result"])
    assert seen["slug"] == "malbork" and "set_password_url" not in seen and jobs.PRIVATE_KEYS not in seen
    stored = Job.objects.get(kind=ONBOARDING_KIND, key="malbork")
    assert jobs.visible_result(other, stored)["administrator"] == "admin"
    assert "set_password_url" not in jobs.visible_result(other, stored)
    assert jobs.visible_result(None, stored).get("set_password_url") is None
    assert jobs.visible_result(operator, stored)["set_password_url"] == result["set_password_url"]
    assert Center.objects.filter(schema_name="malbork").exists() and schema_exists("malbork")
    with schema_context("malbork"):
        assert get_user_model().objects.get(username="admin").email == "admin@malbork.example"

    listed = client.data(JOBS, {"kind": ONBOARDING_KIND, "status": "SUCCEEDED"})["jobs"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["key"] == "malbork"
    assert client.data(JOBS, {"status": "FAILED"})["jobs"]["totalCount"] == 0
    # the list hides the private part from other operators too
    listed_results = """{ jobs(status: SUCCEEDED) { edges { node { key result } } } }"""
    for user, sees_link in ((operator, True), (other, False)):
        (edge,) = gql(user=user).data(listed_results)["jobs"]["edges"]
        shown = edge["node"]["result"]
        shown = shown if isinstance(shown, dict) else json.loads(shown)
        assert ("set_password_url" in shown) is sees_link and jobs.PRIVATE_KEYS not in shown


def test_asking_twice_gives_the_same_job_and_sends_one_task(gql, operator, codes, django_capture_on_commit_callbacks):
    client = gql(user=operator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.mutate(START, {"input": onboarding_input()})
        second = client.mutate(START, {"input": onboarding_input()})  # a double click
    assert (first["started"], second["started"]) == (True, False)
    assert first["job"]["id"] == second["job"]["id"] and second["job"]["status"] == "QUEUED"
    assert sum(isinstance(c, functools.partial) for c in callbacks) == 1
    other = client.mutate(START, {"input": onboarding_input(city="Malbork", name="Inna nazwa")})
    assert codes(other) == ["JOB_EXISTS_DIFFERENT"]
    assert Job.objects.filter(kind=ONBOARDING_KIND).count() == 1
    assert not Center.objects.filter(schema_name="malbork").exists()  # nothing runs before the task
    refused = client.mutate(START, {"input": onboarding_input(administrator={"username": "a", "password": "x"})})
    assert codes(refused) == ["PASSWORD_NOT_ALLOWED"]
    assert codes(client.mutate(START, {"input": onboarding_input(slug="Zły slug!")})) == ["INVALID_SLUG"]


def queued_onboarding(slug="malbork", **extra):
    params = dict(name="MOPS Malbork", kind="MOPS", city="Malbork", voivodeship="pomorskie")
    params.update(extra)
    with transaction.atomic():
        job, started = start_center_onboarding(None, slug=slug, admin={"username": "admin"}, **params)
    assert started
    return job


def test_a_duplicated_delivery_creates_one_center(eager):  # noqa: F811
    job = queued_onboarding()
    first = onboard_center_task.delay(job.pk).get()
    second = onboard_center_task.delay(job.pk).get()  # delivered again (a lost acknowledgement)
    assert first == second and first["created"] is True
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1
    # Even a job run again in full (a worker died after the commit, before the job said so) changes nothing:
    # onboard_center is idempotent with the same parameters.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    third = onboard_center_task.delay(job.pk).get()
    assert third["created"] is False and third["center_id"] == first["center_id"]
    assert Center.objects.filter(schema_name="malbork").count() == 1
    assert list(Domain.objects.filter(tenant__schema_name="malbork").values_list("domain", flat=True)) == [
        first["domains"][0]
    ]


def test_a_failing_onboarding_leaves_nothing_and_shows_the_error(eager, monkeypatch, torun):  # noqa: F811
    def refuse(result, admin, domain):
        raise Conflict("Administrator refused for the test.", code="admin_exists_different")

    monkeypatch.setattr(onboarding, "_ensure_admin", refuse)  # the last step, after the schema was cloned
    job = queued_onboarding()
    assert onboard_center_task.delay(job.pk).get() is None  # a service error ends the task normally
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert (job.error_code, job.error_message) == ("admin_exists_different", "Administrator refused for the test.")
    assert not Center.objects.filter(schema_name="malbork").exists()
    assert not schema_exists("malbork") and not Domain.objects.filter(domain__startswith="malbork.").exists()
    assert not FailedTask.objects.exists()  # not a dead task: the job says why

    # Started again (a failed job may be): the same job, queued again; a host of another center fails it early.
    monkeypatch.undo()
    with transaction.atomic():
        again, started = start_center_onboarding(
            None,
            slug="malbork",
            name="MOPS Malbork",
            kind="MOPS",
            city="Malbork",
            voivodeship="pomorskie",
            domain=Domain.objects.get(tenant=torun, is_primary=True).domain,
        )
    assert started and again.pk == job.pk and again.status == JobStatus.QUEUED and again.error_code == ""
    onboard_center_task.delay(job.pk).get()
    job.refresh_from_db()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "domain_taken")
    assert "torun" in job.error_message and not schema_exists("malbork")


def test_an_unexpected_error_fails_the_job_and_the_dead_task_is_listed(eager, monkeypatch, gql, operator, partner):  # noqa: F811
    def crash(**kwargs):
        raise RuntimeError("disk full while writing 80051712345")

    monkeypatch.setattr(onboarding, "onboard_center", crash)
    job = queued_onboarding()
    with pytest.raises(RuntimeError):
        onboard_center_task.delay(job.pk).get()
    job.refresh_from_db()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "internal_error")
    assert "80051712345" not in job.error_message  # the job shows a safe message only

    failed = gql(user=operator).data(FAILED, {"task": "tenants.onboard_center"})["failedTasks"]
    assert failed["totalCount"] == 1
    node = failed["edges"][0]["node"]
    assert node["schemaName"] == "public" and node["exceptionClass"] == "builtins.RuntimeError"
    assert node["argsSummary"] == str(job.pk)
    # the exception's text may carry personal data (a PESEL here): only its class and a fixed text are kept
    assert "80051712345" not in node["exceptionMessage"] and "disk full" not in node["exceptionMessage"]
    assert node["exceptionMessage"] == jobs.UNEXPECTED_EXCEPTION_MESSAGE
    body = gql(user=partner)(FAILED)
    assert body["errors"] and not body["data"]["failedTasks"]


def test_a_task_that_dies_after_its_retries_is_recorded_without_personal_data(eager, torun):  # noqa: F811
    from django.db import OperationalError

    @task(name="tests.always_down", max_retries=1, retry_backoff=False, default_retry_delay=0)
    def always_down(person_id: int, pesel: str, note=None):
        raise OperationalError("the database is down")

    with schema_context("torun"):
        always_down.delay(7, "80051712345", note={"name": "Anna"})
    (dead,) = FailedTask.objects.filter(task_name="tests.always_down")
    assert dead.schema_name == "torun" and dead.exception_class.endswith("OperationalError")
    assert dead.args_summary == "7, <text:11>, note=<1 keys>" and "8005" not in dead.args_summary
    assert dead.retries == 1
    assert dead.exception_message == jobs.UNEXPECTED_EXCEPTION_MESSAGE


def test_a_dead_task_keeps_the_code_and_message_of_our_own_errors_only():
    refused = Conflict("A job for “%(key)s” exists.", code="job_exists_different", params={"key": "x"})
    assert jobs.safe_exception_message(refused) == "job_exists_different: A job for “x” exists."
    assert jobs.safe_exception_message(ValueError("PESEL 80051712345 is wrong")) == jobs.UNEXPECTED_EXCEPTION_MESSAGE
    dead = jobs.record_failed_task(
        task_name="t", task_id="1", schema="torun", args=(), kwargs={}, exception=KeyError("80051712345")
    )
    assert dead.exception_class == "builtins.KeyError" and "8005" not in dead.exception_message


def test_summarize_arguments_keeps_numbers_and_hides_text():
    assert jobs.summarize_arguments((1, "Kowalska", [1, 2], None, True), {"b": 2.5, "a": "x"}) == (
        "1, <text:8>, <2 items>, None, True, a=<text:1>, b=2.5"
    )


# --- permissions -----------------------------------------------------------------------------------


def test_only_operators_start_and_see_platform_jobs(gql, operator, partner, codes):
    job = queued_onboarding()
    job_id = public_gid("Job", job.pk)
    assert codes(gql().mutate(START, {"input": onboarding_input("elblag")})) == ["NOT_AUTHENTICATED"]
    assert codes(gql(user=partner).mutate(START, {"input": onboarding_input("elblag")})) == ["OPERATOR_REQUIRED"]
    for client in (gql(), gql(user=partner)):
        for query, variables in ((JOB, {"id": job_id}), (JOBS, {})):
            body = client(query, variables)
            assert body["errors"] and not any((body.get("data") or {}).values())
    assert gql(user=operator).data(JOB, {"id": job_id})["job"]["key"] == "malbork"
    with pytest.raises(Exception) as refused:
        jobs.list_jobs(partner)
    assert refused.value.code == "operator_required"
    assert Job.objects.filter(key="elblag").count() == 0


# --- programme grants as a job ---------------------------------------------------------------------


def test_start_programme_grant_runs_it_with_the_counts(gql, world, eager, codes, django_capture_on_commit_callbacks):  # noqa: F811
    nursing_benefit(world, "1", date(2013, 12, 1), date(2014, 12, 31))
    nursing_benefit(world, "3", date(2013, 12, 1), date(2014, 2, 28))
    clerk = gql("torun", user=world.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        payload = clerk.mutate(START_GRANT, {"input": programme_input(world)})
    assert payload["errors"] == [] and payload["started"] is True
    job_id = payload["job"]["id"]
    node = clerk.data(NODE_JOB, {"id": job_id})["node"]
    assert (node["status"], node["percent"]) == ("SUCCEEDED", 100)
    result = node["result"] if isinstance(node["result"], dict) else json.loads(node["result"])
    assert (result["granted"], result["already_granted"], result["skipped"]) == (2, 0, 0)
    with schema_context("torun"):
        assert ProgrammeGrant.objects.count() == 2
        job = Job.objects.get()
        assert (job.kind, job.key, job.steps_done, job.steps_total) == (
            "cases.grant_programme",
            "program-sp-2014",
            2,
            2,
        )

    # A programme may be run again once it succeeded (it is idempotent): the same job, nothing granted twice.
    with django_capture_on_commit_callbacks(execute=True):
        again = clerk.mutate(START_GRANT, {"input": programme_input(world)})
    assert again["started"] is True and again["job"]["id"] == job_id
    result = clerk.data(NODE_JOB, {"id": job_id})["node"]["result"]
    result = result if isinstance(result, dict) else json.loads(result)
    assert (result["granted"], result["already_granted"]) == (0, 2)

    # The director sees the clerk's job; a social worker neither starts one nor sees it; Gdańsk does not see it.
    assert gql("torun", user=world.director).data(NODE_JOB, {"id": job_id})["node"]["status"] == "SUCCEEDED"
    assert codes(gql("torun", user=world.worker1).mutate(START_GRANT, {"input": programme_input(world)})) == [
        "ROLE_REQUIRED"
    ]
    for client in (gql("torun", user=world.worker1), gql("gdansk", user=world.gdansk_director), gql("torun")):
        body = client(NODE_JOB, {"id": job_id})
        assert not (body.get("data") or {}).get("node")
    with schema_context("gdansk"):
        assert jobs.list_jobs(world.gdansk_director).count() == 0
    with schema_context("torun"):
        assert jobs.list_jobs(world.worker1).count() == 0 and jobs.list_jobs(world.clerk).count() == 1


def test_a_failing_grant_shows_the_error_on_the_job(world, eager):  # noqa: F811
    with schema_context("torun"):
        with transaction.atomic():
            job, _ = start_programme_grant(
                world.clerk,
                code="program-x",
                name_pl="Program",
                name_en="Programme",
                source_form="swiadczenie-pielegnacyjne",
                form="pomoc-programu-rzadowego",
                monthly_amount="200",
                first_month=date(2014, 1, 1),
                last_month=date(2014, 3, 1),
            )
        BenefitProgramme.objects.create(
            code="program-x",
            name_pl="Program",
            name_en="Programme",
            source_form=job_form("swiadczenie-pielegnacyjne"),
            form=job_form("pomoc-programu-rzadowego"),
            monthly_amount="300",
            first_month=date(2014, 1, 1),
            last_month=date(2014, 3, 1),
        )  # the same code with other terms, created meanwhile
        grant_programme_task.delay(job.pk).get()
        job.refresh_from_db()
        assert (job.status, job.error_code) == (JobStatus.FAILED, "programme_mismatch")


def job_form(code):
    from ostoja.modules.cases.models import FormOfHelp

    return FormOfHelp.objects.get(code=code)


# --- a real worker ---------------------------------------------------------------------------------


def drop_center(slug):
    connection.set_schema_to_public()
    center = Center.objects.filter(schema_name=slug).first()
    if center is not None:
        center.domains.all().delete()
        center.delete(force_drop=True)
    assert not schema_exists(slug)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_onboards_a_center_once_however_often_delivered(committed_centers, celery_worker):  # noqa: F811
    slug = f"w{uuid.uuid4().hex[:8]}"
    try:
        job = queued_onboarding(slug)  # committed: the task is sent
        onboard_center_task.delay(job.pk)  # and delivered once more
        log = celery_worker.log

        def finished():
            job.refresh_from_db()
            return job.finished

        wait_for(finished, what="the onboarding job", log=log, timeout=60)
        assert job.status == JobStatus.SUCCEEDED, (job.error_code, job.error_message, "\n".join(log[-40:]))
        assert (job.steps_done, job.steps_total, job.percent, job.attempts) == (6, 6, 100, 1)
        assert job.result["created"] is True and job.result["slug"] == slug
        wait_for(lambda: sum(" succeeded in " in line for line in log) >= 2, what="both deliveries", log=log)
        assert Center.objects.filter(schema_name=slug).count() == 1 and schema_exists(slug)
        with schema_context(slug):
            assert get_user_model().objects.filter(username="admin").exists()
    finally:
        drop_center(slug)
    assert set(Center.objects.values_list("schema_name", flat=True)) >= {"torun", "slupsk", "gdansk"}


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_programme_grant_in_the_centers_schema(committed_centers, celery_worker):  # noqa: F811
    code = f"program-{uuid.uuid4().hex[:8]}"
    with schema_context("torun"):
        user = get_user_model().objects.create_user(username=f"clerk-{code}")
        StaffProfile.objects.create(user=user, roles=[Role.BENEFITS_CLERK])
    try:
        with schema_context("torun"), transaction.atomic():
            job, started = start_programme_grant(
                user,
                code=code,
                name_pl="Program",
                name_en="Programme",
                source_form="swiadczenie-pielegnacyjne",
                form="pomoc-programu-rzadowego",
                monthly_amount="200",
                first_month=date(2014, 1, 1),
                last_month=date(2014, 3, 1),
            )
        assert started

        def finished():
            with schema_context("torun"):
                job.refresh_from_db()
            return job.finished

        wait_for(finished, what="the grant job", log=celery_worker.log)
        assert job.status == JobStatus.SUCCEEDED, (job.error_code, job.error_message)
        assert job.result["granted"] == 0 and job.steps_done == job.steps_total == 2
        with schema_context("torun"):
            assert BenefitProgramme.objects.filter(code=code).exists()
        with schema_context("gdansk"):
            assert not Job.objects.filter(key=code).exists() and not BenefitProgramme.objects.filter(code=code).exists()
    finally:
        with schema_context("torun"):
            Job.objects.filter(key=code).delete()
            programme = BenefitProgramme.objects.filter(code=code).first()
            AuditEntry.objects.filter(actor=user).delete()
            if programme is not None:
                AuditEntry.objects.filter(
                    object_id=str(programme.pk), object_type__endswith="benefitprogramme"
                ).delete()
                programme.delete()
            StaffProfile.objects.filter(user=user).delete()
            user.delete()


def test_onboard_command_with_async_queues_a_job(eager, django_capture_on_commit_callbacks):  # noqa: F811
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    args = ["elblag", "--name", "MOPS Elbląg", "--city", "Elbląg", "--voivodeship", "warmińsko-mazurskie", "--async"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command("onboard", *args, stdout=out)
        call_command("onboard", *args, stdout=out)  # asked again: the same job, nothing more queued
    job = Job.objects.get(kind=ONBOARDING_KIND, key="elblag")
    assert f"queued as job {job.pk}" in out.getvalue() and "already queued" in out.getvalue()
    assert sum(isinstance(c, functools.partial) for c in callbacks) == 1
    assert job.params["admin"] == {"username": "admin"} and job.created_by is None
    assert not Center.objects.filter(schema_name="elblag").exists()  # a worker does it
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and Center.objects.filter(schema_name="elblag").exists()
