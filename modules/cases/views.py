"""Web pages of persons and cases (namespace "cases"). Every read and write goes through the same services and
selectors as GraphQL (``services``, ``selectors``, ``benefits``, the documents service): district scoping, the audit
of person reads and of special-category reasons, and every rule stay there. The pages only decide which buttons
to show (the services refuse again whatever a page lets through)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ostoja.modules.cases import audit_trail, benefits, selectors, services
from ostoja.modules.cases.forms import (
    INTAKE_POOL,
    ApplicationForm,
    AssignInterviewForm,
    CaseFilterForm,
    CaseNoteForm,
    CaseReasonsForm,
    CaseWorkerForm,
    CloseCaseForm,
    DecisionForm,
    DelayNoticeForm,
    DistrictForm,
    HouseholdForm,
    IncomeForm,
    MemberForm,
    PaymentCancelForm,
    PaymentPaidForm,
    PersonFilterForm,
    PersonForm,
    RecordInterviewForm,
    ReopenCaseForm,
)
from ostoja.modules.cases.models import Case, CaseStatus, Decision, DecisionKind, Interview, Payment, Person
from ostoja.platform.documents import services as documents
from ostoja.platform.documents.views_web import upload_page
from ostoja.platform.errors import NotFound, PermissionDenied, ServiceError
from ostoja.platform.staff.models import Role
from ostoja.platform.staff.services import staff_profiles
from ostoja.platform.web.access import staff_page
from ostoja.platform.web.forms import add_service_error, submit
from ostoja.tenants.configuration.models import District

PER_PAGE = 25
TRAIL_ON_PAGE = 15
FORM_METHODS = require_http_methods(["GET", "POST"])


# --- helpers ---------------------------------------------------------------------------------------


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _allowed(user, roles, district_id=None) -> bool:
    """May ``user`` change records of ``district_id`` with one of ``roles`` (the services' own scope rule)?"""
    try:
        scope = services.scope_for(user, roles, write=True)
    except PermissionDenied:
        return False
    return scope.allows(district_id)


def mask_pesel(pesel: str | None) -> str:
    """Lists show the birth-date part only; the full number is on the person's page (whose reading is audited)."""
    return f"{pesel[:6]}•••••" if pesel else ""


def _districts(user) -> list[District]:
    """The districts the caller may filter by: a social worker's own, everyone else's all."""
    scope = services.scope_for(user, services.READ_ROLES, write=False)
    queryset = District.objects.order_by("order", "name")
    if scope.districts is not None:
        queryset = queryset.filter(pk__in=scope.districts)
    return list(queryset)


def case_workers(user, person: Person):
    """The social workers who may take a case of ``person`` (as ``services.assign_case_worker`` allows them), and a
    note for the form when there can be none."""
    if person.district_id is not None:
        workers = staff_profiles(user, role=Role.SOCIAL_WORKER, district=person.district_id, active=True)
        return list(workers), ""
    if District.objects.exists():
        return [], gettext_lazy(
            "The person has no district: set it first, then a social worker of that district can be assigned."
        )
    return list(staff_profiles(user, role=Role.SOCIAL_WORKER, active=True)), ""


def _me_among(profile, workers) -> str:
    return str(profile.pk) if any(worker.pk == profile.pk for worker in workers) else ""


def _crumbs(*pairs):
    return [{"label": label, "url": url} for label, url in pairs]


def _case_crumbs(case, *more):
    return _crumbs(
        (_("Cases"), reverse("cases:cases")), (_("Case %(number)s") % {"number": case.pk}, _case_url(case)), *more
    )


def _case_url(case) -> str:
    return reverse("cases:case", args=[case.pk])


def _form_page(request, form, *, title, submit_label, back_url, breadcrumbs=(), intro="", confirm="", **extra):
    context = {
        "form": form,
        "title": title,
        "submit_label": submit_label,
        "back_url": back_url,
        "breadcrumbs": breadcrumbs,
        "intro": intro,
        "confirm": confirm,
        **extra,
    }
    return render(request, "cases/form_page.html", context)


def _writable_case(request, pk) -> Case:
    """The case if the caller may change it (no lock: the service locks when it writes)."""
    return services.access_case(request.user, pk, write=True)


# --- persons ---------------------------------------------------------------------------------------


@staff_page(*services.READ_ROLES)
def persons(request):
    user = request.user
    form = PersonFilterForm(request.GET, districts=_districts(user))
    rows = Person.objects.none()
    if form.is_valid():
        district = form.cleaned_data["district"]
        try:
            rows = selectors.persons(
                user,
                district_id=int(district) if district and district != INTAKE_POOL else None,
                without_district=True if district == INTAKE_POOL else None,
                search=form.cleaned_data["search"],
            ).order_by("last_name", "first_name", "id")
        except ServiceError as exc:
            add_service_error(form, exc, {"": "district"})
    page = _page(request, rows)
    people = list(page.object_list)
    open_cases = {}
    if people:
        cases = selectors.cases(user).filter(person__in=people).exclude(status=CaseStatus.CLOSED)
        for case in cases.order_by("-opened_on", "-id"):
            open_cases.setdefault(case.person_id, case)
    for person in people:
        person.open_case = open_cases.get(person.pk)
        person.masked_pesel = mask_pesel(person.pesel)
    page.object_list = people
    context = {
        "form": form,
        "page_obj": page,
        "has_districts": District.objects.exists(),
        "searched": any(form.data.get(name) for name in ("search", "district")),
        "can_register": _allowed(user, services.PERSON_ROLES),
    }
    return render(request, "cases/persons.html", context)


@FORM_METHODS
@staff_page(*services.PERSON_ROLES, write=True)
def person_new(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, result = submit(form, lambda: services.create_person(request.user, **form.values()))
        if ok:
            messages.success(request, _("%(name)s is registered.") % {"name": result.person})
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("cases:person", result.person.pk)
    return _form_page(
        request,
        form,
        title=_("Register a person"),
        submit_label=_("Register"),
        back_url=reverse("cases:persons"),
        breadcrumbs=_crumbs((_("Persons"), reverse("cases:persons"))),
    )


@FORM_METHODS
@staff_page(*services.PERSON_ROLES, write=True)
def person_edit(request, pk):
    user = request.user
    current = services.access_person(user, pk, write=True)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        ok, result = submit(form, lambda: services.update_person(user, pk, **changes))
        if ok:
            messages.success(request, _("The data of %(name)s is saved.") % {"name": result.person})
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("cases:person", pk)
    elif request.method == "GET":
        services.get_person(user, pk)  # the form shows the whole record: an audited read
    person_url = reverse("cases:person", args=[pk])
    return _form_page(
        request,
        form,
        title=_("Change the data of %(name)s") % {"name": current},
        submit_label=_("Save"),
        back_url=person_url,
        breadcrumbs=_crumbs((_("Persons"), reverse("cases:persons")), (str(current), person_url)),
    )


@staff_page(*services.READ_ROLES)
def person(request, pk):
    user = request.user
    person = services.get_person(user, pk)  # audited
    scope = selectors.read_scope(user)
    household = selectors.households(user).filter(members__person=person).first()
    members, income = [], None
    if household is not None:
        members = selectors.visible_members(scope, household)
        others = [member.person for member in members if member.person_id != person.pk]
        selectors.record_person_reads(user, others, already={person.pk}, message=_("read as a household member"))
        income = selectors.household_income(household)
    cases = list(selectors.cases(user).filter(person=person).order_by("-opened_on", "-id"))
    services.reveal_reasons(user, cases, include_sensitive=False)
    can_edit = _allowed(user, services.PERSON_ROLES, person.district_id)
    context = {
        "person": person,
        "household": household,
        "members": members,
        "hidden_members": (income.size - len(members)) if income else 0,
        "income": income,
        "cases": cases,
        "documents": list(documents.documents_of(user, "person", person.pk)),
        "can_edit": can_edit,
        "has_districts": District.objects.exists(),
        "can_apply": _allowed(user, services.CASE_ROLES, person.district_id),
        "here": request.get_full_path(),
    }
    return render(request, "cases/person.html", context)


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def person_apply(request, pk):
    """Register an application: a new case (or the person's open one), the interview scheduled, and the case
    worker assigned when one is chosen (by default the caller, when they may take the person's cases)."""
    user = request.user
    person = services.access_person(user, pk, write=True)
    workers, worker_note = case_workers(user, person)
    open_cases = list(
        selectors.cases(user).filter(person=person).exclude(status=CaseStatus.CLOSED).order_by("-opened_on", "-id")
    )
    # By default the application joins the person's open case and keeps its case worker; a new case gets the
    # caller as its case worker when they may take it.
    initial = {"worker": _me_among(request.staff, workers)}
    if open_cases:
        initial["case"] = str(open_cases[0].pk)
        if open_cases[0].worker_id is not None:
            initial["worker"] = str(open_cases[0].worker_id)
    form = ApplicationForm(
        request.POST or None,
        initial=initial,
        reasons=list(selectors.help_reasons(user).order_by("order", "id")),
        open_cases=open_cases,
        workers=workers,
        worker_note=worker_note,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def register():
            application = services.register_application(
                user,
                person.pk,
                received_on=data["received_on"],
                urgent=data["urgent"],
                submitted_by=data["submitted_by"],
                description=data["description"],
                reasons=data["reasons"],
                case_id=int(data["case"]) if data.get("case") else None,
            )
            if data["worker"]:
                services.assign_case_worker(user, application.case_id, int(data["worker"]))
            return application

        ok, application = submit(form, register, {"case_id": "case"})
        if ok:
            messages.success(
                request,
                _(
                    "The application is registered in case %(number)s. The community interview is due on "
                    "%(interview)s, the decision on %(decision)s."
                )
                % {
                    "number": application.case_id,
                    "interview": application.interview.due_on,
                    "decision": application.decision_due_on,
                },
            )
            return redirect("cases:case", application.case_id)
    person_url = reverse("cases:person", args=[pk])
    return _form_page(
        request,
        form,
        title=_("Register an application of %(name)s") % {"name": person},
        submit_label=_("Register the application"),
        back_url=person_url,
        breadcrumbs=_crumbs((_("Persons"), reverse("cases:persons")), (str(person), person_url)),
    )


@FORM_METHODS
@staff_page(*services.PERSON_ROLES, write=True)
def person_document(request, pk):
    person = services.access_person(request.user, pk, write=True)
    url = reverse("cases:person", args=[pk])
    return upload_page(
        request,
        "person",
        pk,
        owner_label=str(person),
        back_url=url,
        breadcrumbs=_crumbs((_("Persons"), reverse("cases:persons")), (str(person), url)),
    )


@FORM_METHODS
@staff_page(*services.PERSON_ROLES, write=True)
def person_household(request, pk):
    """The person's household: create it (the person as its head), add members by PESEL, change a member's
    income, remove a member. The income per person decides income-tested decisions."""
    user = request.user
    person = services.access_person(user, pk, write=True)
    household = selectors.households(user).filter(members__person=person).first()
    url = reverse("cases:person_household", args=[pk])
    forms_ = {"create": HouseholdForm(prefix="create"), "add": MemberForm(prefix="add")}
    incomes = {}
    members = selectors.visible_members(selectors.read_scope(user), household) if household else []
    for member in members:
        initial = {"monthly_income": member.monthly_income, "income_sources": member.income_sources}
        incomes[member.pk] = IncomeForm(prefix=f"m{member.pk}", initial=initial)
    if request.method == "POST":
        which, done = request.POST.get("form"), None
        if which == "create" and household is None:
            form = forms_["create"] = HouseholdForm(request.POST, prefix="create")
            if form.is_valid():
                data = form.cleaned_data
                ok, _household = submit(
                    form,
                    lambda: services.create_household(
                        user,
                        person.pk,
                        head_income=data["head_income"],
                        head_income_sources=data["head_income_sources"],
                    ),
                    {"head_income": "head_income", "monthly_income": "head_income"},
                )
                done = ok and _("The household is recorded with %(name)s as its head.") % {"name": person}
        elif which == "add" and household is not None:
            form = forms_["add"] = MemberForm(request.POST, prefix="add")
            if form.is_valid():
                data = form.cleaned_data
                pesel = data["pesel"].strip()
                member_person = selectors.persons(user, search=pesel).filter(pesel=pesel).first()
                if member_person is None:
                    form.add_error("pesel", _("No person with this PESEL is registered in a district of yours."))
                else:
                    ok, _member = submit(
                        form,
                        lambda: services.add_household_member(
                            user,
                            household.pk,
                            member_person.pk,
                            relation=data["relation"],
                            monthly_income=data["monthly_income"],
                            income_sources=data["income_sources"],
                        ),
                        {"person_id": "pesel"},
                    )
                    done = ok and _("%(name)s is added to the household.") % {"name": member_person}
        elif which == "income" and request.POST.get("member", "").isdigit():
            member_id = int(request.POST["member"])
            if member_id in incomes:
                form = incomes[member_id] = IncomeForm(request.POST, prefix=f"m{member_id}")
                if form.is_valid():
                    data = form.cleaned_data
                    ok, _member = submit(
                        form,
                        lambda: services.set_member_income(
                            user,
                            member_id,
                            monthly_income=data["monthly_income"],
                            income_sources=data["income_sources"],
                        ),
                    )
                    done = ok and _("The income is saved.")
        elif which == "remove" and request.POST.get("member", "").isdigit() and int(request.POST["member"]) in incomes:
            try:
                with transaction.atomic():
                    services.remove_household_member(user, int(request.POST["member"]))
            except ServiceError as exc:
                messages.error(request, exc.message)
                return redirect(url)
            done = _("The member is removed from the household.")
        if done:
            messages.success(request, done)
            return redirect(url)
    person_url = reverse("cases:person", args=[pk])
    context = {
        "person": person,
        "household": household,
        "rows": [{"member": member, "form": incomes[member.pk]} for member in members],
        "income": selectors.household_income(household) if household else None,
        "create_form": forms_["create"],
        "add_form": forms_["add"],
        "breadcrumbs": _crumbs((_("Persons"), reverse("cases:persons")), (str(person), person_url)),
        "back_url": person_url,
    }
    return render(request, "cases/household.html", context)


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def person_district(request, pk):
    """Set the person's district by hand (the reason is audited), or go back to the one the address gives."""
    user = request.user
    person = services.access_person(user, pk, write=True)
    scope = services.scope_for(user, services.CASE_ROLES, write=True)
    districts = District.objects.order_by("order", "name")
    if scope.districts is not None:
        districts = districts.filter(pk__in=scope.districts)
    initial = {"district": str(person.district_id or ""), "reason": person.district_override_reason}
    form = DistrictForm(request.POST or None, initial=initial, districts=list(districts))
    person_url = reverse("cases:person", args=[pk])
    if request.method == "POST" and request.POST.get("form") == "clear":
        ok, result = submit(form, lambda: services.clear_district_override(user, pk))
        if ok:
            messages.success(request, _("The district follows the address again."))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(person_url)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, result = submit(
            form,
            lambda: services.override_district(user, pk, int(data["district"]), reason=data["reason"]),
            {"district_id": "district"},
        )
        if ok:
            messages.success(
                request,
                _("The district of %(name)s is set: %(district)s.")
                % {
                    "name": person,
                    "district": result.person.district,
                },
            )
            return redirect(person_url)
    context = {
        "person": person,
        "form": form,
        "breadcrumbs": _crumbs((_("Persons"), reverse("cases:persons")), (str(person), person_url)),
        "back_url": person_url,
    }
    return render(request, "cases/district.html", context)


# --- cases -----------------------------------------------------------------------------------------


@staff_page(*services.READ_ROLES)
def cases(request):
    user = request.user
    form = CaseFilterForm(
        request.GET,
        districts=_districts(user),
        workers=list(staff_profiles(user, role=Role.SOCIAL_WORKER)),
        reasons=list(selectors.help_reasons(user).order_by("order", "id")),
    )
    rows, include_sensitive = Case.objects.none(), False
    if form.is_valid():
        data = form.cleaned_data
        district, worker = data["district"], data["worker"]
        try:
            queryset = selectors.cases(
                user,
                district_id=int(district) if district and district != INTAKE_POOL else None,
                worker_id=int(worker) if worker and worker != INTAKE_POOL else None,
                status=data["status"] or None,
                reason=data["reason"] or None,
                overdue=True if data["overdue"] else None,
                search=data["search"],
                include_sensitive=data["include_sensitive"],
            )
        except PermissionDenied as exc:
            if exc.code == "sensitive_filter":
                form.add_error(
                    "reason",
                    _(
                        "This is a special-category reason: tick “Include special-category reasons” to filter by it "
                        "(the lookup is recorded in the audit log)."
                    ),
                )
            else:
                add_service_error(form, exc, {"": "district"})
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            include_sensitive = data["include_sensitive"]
            if district == INTAKE_POOL:
                queryset = queryset.filter(person__district__isnull=True)
            if worker == INTAKE_POOL:
                queryset = queryset.filter(worker__isnull=True)
            rows = queryset.order_by("-opened_on", "-id")
    page = _page(request, rows)
    items = list(page.object_list)
    services.reveal_reasons(user, items, include_sensitive=include_sensitive)
    page.object_list = items
    today = timezone.localdate()
    context = {
        "form": form,
        "page_obj": page,
        "today": today,
        "include_sensitive": include_sensitive,
        "has_districts": District.objects.exists(),
    }
    return render(request, "cases/cases.html", context)


@staff_page(*services.READ_ROLES)
def case(request, pk):
    user = request.user
    case = services.get_case(user, pk)  # audits the case, its person and its special-category reasons
    scope = selectors.read_scope(user)
    household = case.household if case.household_id else None
    if household is None:
        household = selectors.households(user).filter(members__person_id=case.person_id).first()
    elif not selectors.household_visible(scope, household):
        household = None
    else:
        selectors.load_members([household])  # members with their persons: one statement
    members, income = [], None
    if household is not None:
        members = selectors.visible_members(scope, household)
        others = [member.person for member in members if member.person_id != case.person_id]
        selectors.record_person_reads(user, others, already={case.person_id}, message=_("read as a household member"))
        income = selectors.household_income(household)
    interviews = {interview.application_id: interview for interview in case.interviews.all()}
    applications = [
        {"application": application, "interview": interviews.get(application.pk)}
        for application in case.applications.all()
    ]
    district_id = case.person.district_id
    can_write = _allowed(user, services.CASE_ROLES, district_id)
    is_open = case.status != CaseStatus.CLOSED
    trail = None
    if audit_trail.may_read_trail(user):
        trail = list(audit_trail.case_trail(user, case)[: TRAIL_ON_PAGE + 1])
    context = {
        "case": case,
        "person": case.person,
        "reasons": [case_reason.reason for case_reason in case.case_reasons.all()],
        "household": household,
        "members": members,
        "hidden_members": (income.size - len(members)) if income else 0,
        "income": income,
        "applications": applications,
        "decisions": list(benefits.decisions(user, case_id=case.pk)),
        "payments": list(benefits.payments(user, case_id=case.pk)),
        "contracts": list(benefits.social_contracts(user, case_id=case.pk)),
        "notes": list(selectors.case_notes(user, case.pk)),
        "documents": list(documents.documents_of(user, "case", case.pk)),
        "trail": trail[:TRAIL_ON_PAGE] if trail is not None else None,
        "trail_more": trail is not None and len(trail) > TRAIL_ON_PAGE,
        "today": timezone.localdate(),
        "can_write": can_write,
        "has_districts": District.objects.exists(),
        "can_act": can_write and is_open,
        "can_pay": _allowed(user, services.PAYMENT_ROLES, district_id),
        "has_pending": any(row["application"].decided_on is None for row in applications),
        "here": request.get_full_path(),
    }
    return render(request, "cases/case.html", context)


@staff_page(*audit_trail.TRAIL_ROLES, write=True)
def case_audit(request, pk):
    case = services.access_case(request.user, pk)
    page = _page(request, audit_trail.case_trail(request.user, case))
    context = {"case": case, "page_obj": page, "breadcrumbs": _case_crumbs(case)}
    return render(request, "cases/case_audit.html", context)


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_interview(request, pk, interview_id):
    """One interview of the case: give it to a social worker, then record its results."""
    user = request.user
    interview = services.access_interview(user, interview_id)
    if str(interview.case_id) != str(pk):
        raise NotFound(gettext_lazy("No such interview."), code="interview_not_found")
    case = _writable_case(request, pk)
    workers, worker_note = case_workers(user, case.person)
    default_worker = str(interview.assigned_to_id or "") or _me_among(request.staff, workers)
    assign_form = AssignInterviewForm(prefix="assign", initial={"worker": default_worker}, workers=workers)
    record_form = RecordInterviewForm(prefix="record")
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "assign":
            assign_form = AssignInterviewForm(request.POST, prefix="assign", workers=workers)
            if assign_form.is_valid():
                data = assign_form.cleaned_data
                ok, assigned = submit(
                    assign_form,
                    lambda: services.assign_interview(
                        user, interview.pk, int(data["worker"]), assigned_on=data["assigned_on"]
                    ),
                )
                if ok:
                    messages.success(
                        request, _("The interview is assigned to %(name)s.") % {"name": assigned.assigned_to}
                    )
                    return redirect("cases:case_interview", pk, interview.pk)
        elif which == "record":
            record_form = RecordInterviewForm(request.POST, prefix="record")
            if record_form.is_valid():
                data = record_form.cleaned_data
                ok, _recorded = submit(
                    record_form,
                    lambda: services.record_interview(
                        user,
                        interview.pk,
                        conducted_on=data["conducted_on"],
                        findings=data["findings"],
                        recommendations=data["recommendations"],
                        place=data["place"],
                    ),
                )
                if ok:
                    messages.success(request, _("The interview's results are recorded; the case awaits a decision."))
                    return redirect("cases:case", pk)
    context = {
        "case": case,
        "interview": interview,
        "application": interview.application,
        "assign_form": assign_form,
        "record_form": record_form,
        "worker_note": worker_note,
        "planned": interview.status == Interview.Status.PLANNED and case.status != CaseStatus.CLOSED,
        "today": timezone.localdate(),
        "breadcrumbs": _case_crumbs(case),
    }
    return render(request, "cases/interview.html", context)


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_decision(request, pk):
    user = request.user
    case = _writable_case(request, pk)
    if case.status == CaseStatus.CLOSED:
        messages.warning(request, _("The case is closed; reopen it first."))
        return redirect("cases:case", pk)
    pending = selectors.applications(user, case_id=case.pk, pending=True).order_by("received_on", "id")
    amendable = benefits.decisions(
        user, case_id=case.pk, kinds=[DecisionKind.GRANT, DecisionKind.CHANGE], order_by="issued_asc"
    ).filter(status__in=[Decision.Status.IN_FORCE, Decision.Status.SUSPENDED])
    initial = {key: request.GET[key] for key in ("kind", "amends") if request.GET.get(key)}
    form = DecisionForm(
        request.POST or None,
        initial=initial,
        forms_of_help=list(benefits.forms_of_help(user)),
        applications=list(pending),
        amendable=list(amendable),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        amending = data["kind"] in DecisionForm.AMENDING

        def issue():
            return services.issue_decision(
                user,
                case.pk,
                kind=data["kind"],
                form=None if amending else int(data["form"]),
                amends_id=int(data["amends"]) if amending else None,
                application_id=int(data["application"]) if data["application"] and not amending else None,
                amount=data["amount"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                issued_on=data["issued_on"],
                justification=data["justification"],
                delay_reason=data["delay_reason"],
            )

        ok, decision = submit(form, issue, {"amends_id": "amends", "application_id": "application"})
        if ok:
            planned = decision.payments.count()
            message = _("The decision is issued: %(decision)s.") % {"decision": decision}
            if planned:
                message += " " + _("Payments planned: %(count)s.") % {"count": planned}
            messages.success(request, message)
            return redirect("cases:case", pk)
    return _form_page(
        request,
        form,
        title=_("Issue a decision in case %(number)s") % {"number": case.pk},
        intro=_("Person: %(name)s.") % {"name": case.person},
        submit_label=_("Issue the decision"),
        back_url=_case_url(case),
        breadcrumbs=_case_crumbs(case),
    )


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_delay(request, pk, application_id):
    """Notify the party that the matter will be settled late (KPA art. 36): the reason and the new date."""
    user = request.user
    application = selectors.access_application(user, application_id)
    if str(application.case_id) != str(pk):
        raise NotFound(gettext_lazy("No such application."), code="application_not_found")
    case = _writable_case(request, pk)
    form = DelayNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _notice = submit(
            form,
            lambda: services.record_delay_notice(
                user,
                application.pk,
                reason=data["reason"],
                new_due_on=data["new_due_on"],
                notified_on=data["notified_on"],
            ),
        )
        if ok:
            messages.success(request, _("The notice of delay is recorded."))
            return redirect(_case_url(case) + "#applications")
    return _form_page(
        request,
        form,
        title=_("Notice of delay in case %(number)s") % {"number": case.pk},
        intro=_("Application received on %(date)s; the decision is due on %(due)s.")
        % {"date": application.received_on, "due": application.decision_due_on},
        submit_label=_("Record the notice"),
        back_url=_case_url(case),
        breadcrumbs=_case_crumbs(case),
    )


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_note(request, pk):
    user = request.user
    case = _writable_case(request, pk)
    form = CaseNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _note = submit(
            form,
            lambda: services.add_case_note(
                user, case.pk, text=data["text"], kind=data["kind"], happened_on=data["happened_on"]
            ),
        )
        if ok:
            messages.success(request, _("The note is added."))
            return redirect(_case_url(case) + "#notes")
    return _form_page(
        request,
        form,
        title=_("Add a note to case %(number)s") % {"number": case.pk},
        intro=_("Person: %(name)s.") % {"name": case.person},
        submit_label=_("Add the note"),
        back_url=_case_url(case),
        breadcrumbs=_case_crumbs(case),
    )


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_document(request, pk):
    case = _writable_case(request, pk)
    return upload_page(
        request,
        "case",
        case.pk,
        owner_label=str(case),
        back_url=_case_url(case) + "#documents",
        breadcrumbs=_case_crumbs(case),
    )


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_worker(request, pk):
    user = request.user
    case = _writable_case(request, pk)
    workers, worker_note = case_workers(user, case.person)
    initial = {"worker": str(case.worker_id or "") or _me_among(request.staff, workers)}
    form = CaseWorkerForm(request.POST or None, initial=initial, workers=workers)
    if worker_note:
        form.fields["worker"].help_text = worker_note
    if request.method == "POST" and form.is_valid():
        worker_id = int(form.cleaned_data["worker"])
        ok, changed = submit(form, lambda: services.assign_case_worker(user, case.pk, worker_id))
        if ok:
            messages.success(request, _("%(name)s is now the case worker.") % {"name": changed.worker})
            return redirect("cases:case", pk)
    return _form_page(
        request,
        form,
        title=_("Case worker of case %(number)s") % {"number": case.pk},
        intro=_("Person: %(name)s.") % {"name": case.person},
        submit_label=_("Assign"),
        back_url=_case_url(case),
        breadcrumbs=_case_crumbs(case),
    )


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_reasons(request, pk):
    user = request.user
    case = _writable_case(request, pk)
    current = list(case.case_reasons.values_list("reason__code", flat=True))
    reasons = list(selectors.help_reasons(user).order_by("order", "id"))
    form = CaseReasonsForm(request.POST or None, initial={"reasons": current}, reasons=reasons)
    if request.method == "POST" and form.is_valid():
        codes = form.cleaned_data["reasons"]
        ok, _case = submit(form, lambda: services.set_case_reasons(user, case.pk, codes))
        if ok:
            messages.success(request, _("The reasons for help are saved."))
            return redirect("cases:case", pk)
    return _form_page(
        request,
        form,
        title=_("Reasons for help in case %(number)s") % {"number": case.pk},
        intro=_("Special-category reasons (health, addiction, violence …) are marked; reading them is audited."),
        submit_label=_("Save"),
        back_url=_case_url(case),
        breadcrumbs=_case_crumbs(case),
    )


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_close(request, pk):
    user = request.user
    case = _writable_case(request, pk)
    form = CloseCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, _closed = submit(
            form,
            lambda: services.close_case(user, case.pk, reason=data["reason"], note=data["note"], on=data["on"]),
            {"closure_reason": "reason"},
        )
        if ok:
            messages.success(request, _("Case %(number)s is closed.") % {"number": case.pk})
            return redirect("cases:case", pk)
    return _form_page(
        request,
        form,
        title=_("Close case %(number)s") % {"number": case.pk},
        intro=_("Planned interviews are cancelled. A case with planned payments cannot be closed."),
        submit_label=_("Close the case"),
        confirm=_("Close this case?"),
        danger=True,
        back_url=_case_url(case),
        breadcrumbs=_case_crumbs(case),
    )


@FORM_METHODS
@staff_page(*services.CASE_ROLES, write=True)
def case_reopen(request, pk):
    user = request.user
    case = _writable_case(request, pk)
    form = ReopenCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _reopened = submit(form, lambda: services.reopen_case(user, case.pk, note=form.cleaned_data["note"]))
        if ok:
            messages.success(request, _("Case %(number)s is open again.") % {"number": case.pk})
            return redirect("cases:case", pk)
    return _form_page(
        request,
        form,
        title=_("Reopen case %(number)s") % {"number": case.pk},
        submit_label=_("Reopen the case"),
        back_url=_case_url(case),
        breadcrumbs=_case_crumbs(case),
    )


@FORM_METHODS
@staff_page(*services.PAYMENT_ROLES, write=True)
def case_payment(request, pk, payment_id):
    """A planned payment: record that it was paid, or cancel it."""
    user = request.user
    payment = services.access_payment(user, payment_id)
    if str(payment.decision.case_id) != str(pk):
        raise NotFound(gettext_lazy("No such payment."), code="payment_not_found")
    case = services.access_case(user, pk)
    paid_form = PaymentPaidForm(prefix="paid")
    cancel_form = PaymentCancelForm(prefix="cancel")
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "paid":
            paid_form = PaymentPaidForm(request.POST, prefix="paid")
            if paid_form.is_valid():
                paid_on = paid_form.cleaned_data["paid_on"]
                ok, _paid = submit(paid_form, lambda: services.mark_payment_paid(user, payment.pk, paid_on=paid_on))
                if ok:
                    messages.success(request, _("The payment is recorded as paid."))
                    return redirect(_case_url(case) + "#payments")
        elif which == "cancel":
            cancel_form = PaymentCancelForm(request.POST, prefix="cancel")
            if cancel_form.is_valid():
                reason = cancel_form.cleaned_data["reason"]
                ok, _cancelled = submit(cancel_form, lambda: services.cancel_payment(user, payment.pk, reason=reason))
                if ok:
                    messages.success(request, _("The payment is cancelled."))
                    return redirect(_case_url(case) + "#payments")
    context = {
        "case": case,
        "payment": payment,
        "planned": payment.status == Payment.Status.PLANNED,
        "paid_form": paid_form,
        "cancel_form": cancel_form,
        "breadcrumbs": _case_crumbs(case),
    }
    return render(request, "cases/payment.html", context)
