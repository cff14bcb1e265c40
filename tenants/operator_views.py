"""The operator console on the platform host (namespace "operators"): centers with their status, hosts and usage;
onboarding a center as a background job with live progress; a center's hosts and its suspension or removal;
partnerships and regional partners' accounts.

Every page is for platform operators only (``platform_page("operator")``) and calls the same services as the
platform GraphQL API (registry, onboarding, tasks_onboarding, jobs, accounts), which check the operator again."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ostoja.platform.accounts import services as accounts
from ostoja.platform.audit.models import AuditAction
from ostoja.platform.audit.services import record
from ostoja.platform.errors import Conflict, ServiceError
from ostoja.platform.jobs import services as jobs
from ostoja.platform.jobs.models import JobStatus
from ostoja.platform.web import forms as web_forms
from ostoja.platform.web.access import platform_page
from ostoja.tenants import onboarding, registry
from ostoja.tenants.directory import host_url, primary_domain, with_request_port
from ostoja.tenants.models import Center, CenterKind, Domain, PlatformRole, Voivodeship
from ostoja.tenants.operator_forms import (
    ACCOUNT_FIELDS,
    ONBOARDING_FIELDS,
    AccountFilters,
    AccountForm,
    CenterFilters,
    DeleteCenterForm,
    DomainForm,
    JobFilters,
    OnboardingForm,
    PartnershipForm,
)
from ostoja.tenants.tasks_onboarding import ONBOARDING_KIND, start_center_onboarding

PAGE_SIZE = 25
operator_page = platform_page("operator")


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _usage(user, centers) -> dict:
    """Usage figures of ``centers`` (one SQL statement for all of them: registry.center_usage)."""
    return registry.center_usage(user, centers) if centers else {}


# --- Centers ----------------------------------------------------------------------------------------------------


@operator_page
def centers(request):
    filters = CenterFilters(request.GET or None)
    values = filters.cleaned_data if filters.is_valid() else {}
    queryset = registry.list_centers(
        request.user,
        status=values.get("status") or None,
        kind=values.get("kind") or None,
        voivodeship=values.get("voivodeship") or None,
        search=values.get("q") or None,
        order_by=values.get("order") or "short_name",
    )
    page = _page(request, queryset)
    usage = _usage(request.user, list(page.object_list))
    rows = []
    for center in page.object_list:
        domain = primary_domain(center)
        rows.append(
            {
                "center": center,
                "domains": center.domain_rows,
                "url": host_url(request, domain) if domain else "",
                "usage": usage.get(center.schema_name, {}),
            }
        )
    recent = list(jobs.list_jobs(request.user, kind=ONBOARDING_KIND)[:5])
    context = {
        "filters": filters,
        "filtered": bool(values and any(values.get(k) for k in ("q", "status", "kind", "voivodeship"))),
        "page_obj": page,
        "rows": rows,
        "recent_jobs": recent,
        "figures": registry.USAGE_FIGURES,
    }
    return render(request, "operators/centers.html", context)


def _center_context(request, center, **forms) -> dict:
    domains = sorted(center.domains.all(), key=lambda d: (not d.is_primary, d.domain))
    primary = next((d.domain for d in domains if d.is_primary), None)
    return {
        "shown": center,  # not "center": the layout takes that for the center whose host serves the page
        "domains": [{"domain": d, "url": host_url(request, d.domain)} for d in domains],
        "url": host_url(request, primary) if primary else "",
        "usage": _usage(request.user, [center]).get(center.schema_name, {}),
        "partnerships": list(center.partnerships.order_by("name")),
        "domain_form": forms.get("domain_form") or DomainForm(prefix="domain"),
        "delete_form": forms.get("delete_form") or DeleteCenterForm(prefix="delete", center=center),
    }


@operator_page
def center(request, pk):
    center = registry.get_center(request.user, pk)
    return render(request, "operators/center.html", _center_context(request, center))


@require_POST
@operator_page
def center_deactivate(request, pk):
    center = registry.get_center(request.user, pk)
    if onboarding.deactivate_center(request.user, center.pk):
        messages.success(
            request, _("%(center)s is suspended: its pages answer “service suspended”.") % {"center": center}
        )
    else:
        messages.info(request, _("%(center)s was already suspended.") % {"center": center})
    return redirect("operators:center", pk=center.pk)


@require_POST
@operator_page
def center_reactivate(request, pk):
    center = registry.get_center(request.user, pk)
    if onboarding.reactivate_center(request.user, center.pk):
        messages.success(request, _("%(center)s is active again.") % {"center": center})
    else:
        messages.info(request, _("%(center)s was already active.") % {"center": center})
    return redirect("operators:center", pk=center.pk)


@require_POST
@operator_page
def center_delete(request, pk):
    center = registry.get_center(request.user, pk)
    form = DeleteCenterForm(request.POST, prefix="delete", center=center)
    if form.is_valid():
        label = str(center)
        done, _result = web_forms.submit(
            form,
            lambda: onboarding.delete_center(request.user, center.pk, confirm=True),
            fields={"slug": "confirm_slug"},
        )
        if done:
            messages.success(request, _("%(center)s was deleted with all its data.") % {"center": label})
            return redirect("operators:centers")
    return render(request, "operators/center.html", _center_context(request, center, delete_form=form))


@require_POST
@operator_page
def domain_add(request, pk):
    center = registry.get_center(request.user, pk)
    form = DomainForm(request.POST, prefix="domain")
    if form.is_valid():
        done, added = web_forms.submit(
            form,
            lambda: onboarding.add_domain(
                request.user, center.pk, form.cleaned_data["domain"], primary=form.cleaned_data["primary"]
            ),
        )
        if done:
            messages.success(
                request,
                _("%(center)s also answers on %(domain)s now.")
                % {
                    "center": center,
                    "domain": added.domain,
                },
            )
            return redirect("operators:center", pk=center.pk)
    return render(request, "operators/center.html", _center_context(request, center, domain_form=form))


def _domain_action(request, pk, action, success_message):
    domain = onboarding.get_domain(request.user, pk)
    try:
        action(request.user, domain.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success_message % {"domain": domain.domain})
    return redirect("operators:center", pk=domain.tenant_id)


@require_POST
@operator_page
def domain_primary(request, pk):
    return _domain_action(request, pk, onboarding.set_primary_domain, _("%(domain)s is the primary host now."))


@require_POST
@operator_page
def domain_remove(request, pk):
    return _domain_action(request, pk, onboarding.remove_domain, _("%(domain)s no longer serves the center."))


# --- Onboarding and its job -------------------------------------------------------------------------------------


def _check_free(slug: str, domain: str) -> None:
    """What ``start_center_onboarding`` leaves for the task to find (a taken slug or host), told at once: the
    form can show it next to its field instead of a failed job a moment later."""
    if Center.objects.filter(schema_name__iexact=slug).exists():
        raise Conflict(
            gettext_lazy("The slug “%(slug)s” is taken."), code="slug_taken", field="slug", params={"slug": slug}
        )
    owner = Domain.objects.filter(domain=domain).select_related("tenant").first()
    if owner is not None:
        raise Conflict(
            gettext_lazy("The host “%(domain)s” already serves another center (%(other)s)."),
            code="domain_taken",
            field="domain",
            params={"domain": domain, "other": owner.tenant.schema_name},
        )


def _initial_from_job(request) -> dict:
    """The parameters of an earlier (failed) onboarding job, to correct and try again (``?job=<id>``)."""
    try:
        pk = int(request.GET.get("job", ""))
    except ValueError:
        return {}
    try:
        job = jobs.access_job(request.user, pk)
    except ServiceError:
        return {}
    if job.kind != ONBOARDING_KIND:
        return {}
    params = job.params or {}
    admin = params.get("admin") or {}
    initial = {k: params.get(k) or "" for k in ("slug", "name", "short_name", "kind", "city", "voivodeship", "domain")}
    initial.update({f"admin_{k}": admin.get(k) or "" for k in ("username", "email", "first_name", "last_name")})
    return initial


@operator_page
def onboard(request):
    if request.method != "POST":
        form = OnboardingForm(initial=_initial_from_job(request))
        return render(request, "operators/onboard.html", {"form": form})
    form = OnboardingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def start():
            slug = onboarding.resolve_slug(data["slug"], data["city"])
            domain = onboarding.normalize_domain(data["domain"]) if data["domain"] else None
            _check_free(slug, domain or onboarding.normalize_domain(f"{slug}.{settings.BASE_DOMAIN}"))
            return start_center_onboarding(
                request.user,
                slug=slug,
                name=data["name"],
                short_name=data["short_name"] or None,
                kind=data["kind"],
                city=data["city"],
                voivodeship=data["voivodeship"],
                domain=domain,
                admin=form.administrator(),
            )

        done, result = web_forms.submit(form, start, fields=ONBOARDING_FIELDS)
        if done:
            job, started = result
            if started:
                messages.success(request, _("The onboarding of “%(name)s” has started.") % {"name": data["name"]})
            else:
                messages.info(request, _("This onboarding had already been started: here is its progress."))
            return redirect("operators:job", pk=job.pk)
    return render(request, "operators/onboard.html", {"form": form})


@operator_page
def job_list(request):
    filters = JobFilters(request.GET or None)
    status = filters.cleaned_data.get("status") if filters.is_valid() else None
    page = _page(request, jobs.list_jobs(request.user, kind=ONBOARDING_KIND, status=status or None))
    return render(request, "operators/jobs.html", {"filters": filters, "page_obj": page, "filtered": bool(status)})


def _job_context(request, pk) -> dict:
    job = jobs.access_job(request.user, pk)  # its result as this operator may see it (private keys of others')
    result = job.result or {}
    params = dict(job.params or {})
    labels = {"kind": dict(CenterKind.choices), "voivodeship": dict(Voivodeship.choices)}
    for name, choices in labels.items():  # shown by their labels ("warmińsko-mazurskie")
        if params.get(name) in choices:
            params[f"{name}_label"] = choices[params[name]]
    context = {"job": job, "result": result, "params": params, "onboarding": job.kind == ONBOARDING_KIND}
    if job.status == JobStatus.SUCCEEDED and context["onboarding"]:
        domains = result.get("domains") or []
        context["center_url"] = host_url(request, domains[0]) if domains else ""
        context["set_password_url"] = with_request_port(request, result.get("set_password_url") or "")
        center_id = result.get("center_id")
        if center_id and Center.objects.filter(pk=center_id).exists():
            context["center_page"] = reverse("operators:center", kwargs={"pk": center_id})
    return context


@operator_page
def job(request, pk):
    return render(request, "operators/job.html", _job_context(request, pk))


@operator_page
def job_progress(request, pk):
    """The progress fragment alone: ``data-poll`` (web/ostoja.js) fetches it until the job has finished."""
    response = render(request, "operators/_job_progress.html", _job_context(request, pk))
    response["Cache-Control"] = "no-store"
    return response


# --- Partnerships and partner accounts -------------------------------------------------------------------------


def _partnerships(user):
    return accounts.list_partnerships(user)


@operator_page
def partners(request):
    partnerships = list(_partnerships(request.user))
    filters = AccountFilters(request.GET or None, partnerships=_partnerships(request.user))
    values = filters.cleaned_data if filters.is_valid() else {}
    active = {"yes": True, "no": False}.get(values.get("active") or "")
    queryset = accounts.list_platform_accounts(
        request.user,
        role=PlatformRole.PARTNER,
        partnership=values.get("partnership"),
        search=values.get("q") or None,
        is_active=active,
    )
    context = {
        "partnerships": partnerships,
        "filters": filters,
        "filtered": bool(values and any(values.values())),
        "page_obj": _page(request, queryset),
    }
    return render(request, "operators/partners.html", context)


def _center_choices(user):
    return registry.list_centers(user)


@operator_page
def partnership_new(request):
    form = PartnershipForm(request.POST or None, centers=_center_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, created = web_forms.submit(
            form,
            lambda: accounts.create_partnership(
                request.user, name=data["name"], description=data["description"], centers=list(data["centers"])
            ),
        )
        if done:
            messages.success(request, _("The partnership “%(name)s” was created.") % {"name": created.name})
            return redirect("operators:partners")
    return render(request, "operators/partnership_form.html", {"form": form, "partnership": None})


@operator_page
def partnership_edit(request, pk):
    partnership = accounts.get_partnership(request.user, pk)
    initial = {
        "name": partnership.name,
        "description": partnership.description,
        "centers": [c.pk for c in partnership.centers.all()],
    }
    form = PartnershipForm(request.POST or None, initial=initial, centers=_center_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, changed = web_forms.submit(
            form,
            lambda: accounts.update_partnership(
                request.user,
                partnership.pk,
                name=data["name"],
                description=data["description"],
                centers=list(data["centers"]),
            ),
        )
        if done:
            messages.success(request, _("The partnership “%(name)s” was saved.") % {"name": changed.name})
            return redirect("operators:partners")
    return render(request, "operators/partnership_form.html", {"form": form, "partnership": partnership})


def _show_set_password_link(request, user) -> None:
    from ostoja.platform.staff.services import set_password_link

    link = set_password_link(user, host=host_url(request, request.get_host().split(":")[0], path=""))
    record(request.user, AuditAction.UPDATE, user, message="one-time set-password link issued")
    messages.info(
        request,
        _("One-time set-password link for %(user)s (give it to this person only): %(link)s")
        % {"user": user.get_username(), "link": link},
    )


@operator_page
def account_new(request):
    form = AccountForm(
        request.POST or None,
        initial={"partnership": request.GET.get("partnership")},
        partnerships=_partnerships(request.user),
        creating=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, user = web_forms.submit(
            form,
            lambda: accounts.create_platform_account(
                request.user,
                username=data["username"],
                email=data["email"],
                role=PlatformRole.PARTNER,
                partnership=data["partnership"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                preferred_language=data["preferred_language"],
            ),
            fields=ACCOUNT_FIELDS,
        )
        if done:
            messages.success(request, _("The partner account “%(user)s” was created.") % {"user": user.username})
            _show_set_password_link(request, user)
            return redirect("operators:account", pk=user.pk)
    return render(request, "operators/account_form.html", {"form": form, "account": None})


@operator_page
def account(request, pk):
    user = accounts.get_platform_account(request.user, pk)
    is_partner = user.platform_account.role == PlatformRole.PARTNER
    initial = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "partnership": user.platform_account.partnership_id,
        "preferred_language": user.preferred_language,
    }
    form = AccountForm(
        request.POST or None,
        initial=initial,
        partnerships=_partnerships(request.user),
        creating=False,
        partner=is_partner,
    )
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        done, _saved = web_forms.submit(
            form, lambda: accounts.update_platform_account(request.user, user, **changes), fields=ACCOUNT_FIELDS
        )
        if done:
            messages.success(request, _("The account “%(user)s” was saved.") % {"user": user.username})
            return redirect("operators:account", pk=user.pk)
    return render(request, "operators/account_form.html", {"form": form, "account": user, "is_partner": is_partner})


def _account_active(request, pk, active: bool):
    user = accounts.get_platform_account(request.user, pk)
    try:
        accounts.update_platform_account(request.user, user, is_active=active)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        text = _("The account “%(user)s” is active again.") if active else _("The account “%(user)s” is deactivated.")
        messages.success(request, text % {"user": user.username})
    return redirect("operators:account", pk=user.pk)


@require_POST
@operator_page
def account_deactivate(request, pk):
    return _account_active(request, pk, False)


@require_POST
@operator_page
def account_reactivate(request, pk):
    return _account_active(request, pk, True)


@require_POST
@operator_page
def account_password_link(request, pk):
    user = accounts.get_platform_account(request.user, pk)
    try:
        _show_set_password_link(request, user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("operators:account", pk=user.pk)
