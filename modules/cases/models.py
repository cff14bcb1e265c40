"""Social assistance (pomoc społeczna): persons, households, applications, cases, community interviews,
reasons for help (art. 7), decisions and forms of help (art. 36), payments, programme grants, social
contracts and case notes. Every rule lives in ``services.py``; these are the tables."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ostoja.tenants.configuration.models import in_language


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")


class DistrictStatus(models.TextChoices):
    """How the person's district was found: the answer of ``district_for`` or a manual override."""

    NONE = "", _("no address")
    ASSIGNED = "assigned", _("assigned from the address")
    UNASSIGNED = "unassigned", _("no district covers the address")
    AMBIGUOUS = "ambiguous", _("the address fits several districts")
    MANUAL = "manual", _("set manually")


class Person(models.Model):
    """A person known to the center: client, household member, foster child or project participant.

    PESEL is validated with python-stdnum (services.py); a person without one (a foreigner) must have
    a date of birth and an identity document. The district comes from the address through the
    center's ``district_for`` unless a recorded manual override says otherwise."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    pesel = models.CharField(_("PESEL"), max_length=11, null=True, blank=True, unique=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    citizenship = models.CharField(_("citizenship"), max_length=2, default="PL", help_text=_("ISO 3166 code"))
    document_type = models.CharField(_("identity document"), max_length=40, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)

    street = models.CharField(_("street"), max_length=120, blank=True)
    building = models.CharField(_("building number"), max_length=20, blank=True)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    district = models.ForeignKey(
        "configuration.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
        verbose_name=_("district"),
    )
    district_status = models.CharField(
        _("district lookup"), max_length=10, choices=DistrictStatus.choices, default="", blank=True
    )
    district_overridden = models.BooleanField(_("district set manually"), default=False)
    district_override_reason = models.CharField(_("reason for the manual district"), max_length=300, blank=True)

    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["district", "last_name"]),
            GinIndex(fields=["last_name"], name="person_last_name_trgm", opclasses=["gin_trgm_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pesel__isnull=False) | models.Q(date_of_birth__isnull=False),
                name="person_has_pesel_or_birth_date",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"


# --- households ------------------------------------------------------------------------------------


class Relation(models.TextChoices):
    HEAD = "head", _("head of the household")
    SPOUSE = "spouse", _("spouse")
    PARTNER = "partner", _("partner")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("brother or sister")
    GRANDCHILD = "grandchild", _("grandchild")
    GRANDPARENT = "grandparent", _("grandparent")
    OTHER_RELATIVE = "relative", _("other relative")
    OTHER = "other", _("other person sharing the household")


class Household(models.Model):
    """A family in the sense of the Social Assistance Act (art. 6 pkt 14): people living and keeping house
    together. Income is declared per member per month; the income per person is computed in services."""

    head = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="headed_households", verbose_name=_("head"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self):
        return str(_("Household of %(name)s") % {"name": self.head})


class HouseholdMember(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="household_membership", verbose_name=_("person")
    )
    relation = models.CharField(_("relation to the head"), max_length=12, choices=Relation.choices)
    monthly_income = models.DecimalField(_("monthly net income"), max_digits=10, decimal_places=2, default=0)
    income_sources = models.CharField(_("sources of income"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["household", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(relation="head"), name="household_one_head"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_relation_display()})"


# --- reference data ------------------------------------------------------------------------------


class HelpReason(models.Model):
    """A reason for granting social assistance (art. 7 of the Social Assistance Act). Reasons about
    violence, addiction, health or a criminal past are special-category data: reading them is audited."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    former_name_pl = models.CharField(_("former Polish name"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=100, blank=True)
    special_category = models.BooleanField(_("special-category data"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("reason for help")
        verbose_name_plural = _("reasons for help")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_pl, self.name_en)


class FormCategory(models.TextChoices):
    SOCIAL_ASSISTANCE = "social_assistance", _("social assistance (art. 36)")
    FAMILY_BENEFIT = "family_benefit", _("family benefit")
    PROGRAMME = "programme", _("government programme")


class PaymentSchedule(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    ONCE = "once", _("once")
    NONE = "none", _("no payments (help in kind or a service)")


class FormOfHelp(models.Model):
    """A form of help a decision grants: the art. 36 list, plus the benefits other acts put in the center's
    hands (the nursing benefit) and government programmes paid through it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=FormCategory.choices, default=FormCategory.SOCIAL_ASSISTANCE
    )
    schedule = models.CharField(_("payments"), max_length=8, choices=PaymentSchedule.choices)
    income_tested = models.BooleanField(
        _("income criterion applies"),
        default=False,
        help_text=_("A grant requires the household's income per person within the criterion."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form of help")
        verbose_name_plural = _("forms of help")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_pl, self.name_en)

    @property
    def is_cash(self) -> bool:
        return self.schedule != PaymentSchedule.NONE


class IncomeCriterionRate(models.Model):
    """The income criterion (art. 8) in force from a date: for a person living alone and per person in a
    family. Rates change by regulation every three years; each is a dated row, never a constant."""

    valid_from = models.DateField(_("in force from"), unique=True)
    single_person = models.DecimalField(_("person living alone"), max_digits=10, decimal_places=2)
    per_person_in_family = models.DecimalField(_("per person in a family"), max_digits=10, decimal_places=2)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("income criterion")
        verbose_name_plural = _("income criteria")
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.valid_from:%Y-%m-%d}: {self.single_person} / {self.per_person_in_family}"


# --- cases -----------------------------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "open")
    INTERVIEW = "interview", _("community interview")
    DECISION = "decision", _("awaiting decision")
    ACTIVE_HELP = "active_help", _("active help")
    CLOSED = "closed", pgettext_lazy("case status", "closed")


class ClosureReason(models.TextChoices):
    GOAL_ACHIEVED = "goal_achieved", _("the situation improved; help no longer needed")
    NOT_ELIGIBLE = "not_eligible", _("no longer eligible")
    WITHDRAWN = "withdrawn", _("application withdrawn")
    REFUSED = "refused", _("help refused by decision")
    NO_COOPERATION = "no_cooperation", _("no cooperation")
    MOVED_AWAY = "moved_away", _("moved away")
    DIED = "died", _("died")
    OTHER = "other", _("other")


class Case(models.Model):
    """The center's file on a person (and their household) asking for help."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person"))
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases", verbose_name=_("household")
    )
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    worker = models.ForeignKey(
        "staff.StaffProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("social worker"),
    )
    reasons = models.ManyToManyField(
        HelpReason, through="CaseReason", related_name="cases", verbose_name=_("reasons for help")
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True)
    closure_note = models.CharField(_("note on closing"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["status", "opened_on"]), models.Index(fields=["worker", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_on__isnull=False),
                name="closed_case_has_date",
            ),
        ]

    def __str__(self):
        return str(_("Case %(number)s: %(person)s") % {"number": self.pk, "person": self.person})


class CaseReason(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_reasons")
    reason = models.ForeignKey(HelpReason, on_delete=models.PROTECT, related_name="+", verbose_name=_("reason"))
    noted_on = models.DateField(_("noted on"))

    class Meta:
        verbose_name = _("reason of a case")
        verbose_name_plural = _("reasons of cases")
        constraints = [models.UniqueConstraint(fields=["case", "reason"], name="case_reason_once")]

    def __str__(self):
        return str(self.reason)


class SubmittedBy(models.TextChoices):
    PERSON = "person", _("by the person")
    REPRESENTATIVE = "representative", _("by a legal representative or another person with consent")
    EX_OFFICIO = "ex_officio", _("ex officio")


class Application(models.Model):
    """A request for help (wniosek), or the start of proceedings ex officio. The decision is due within a
    month (KPA art. 35 § 3); ``decision_due_on`` is computed when it is registered."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="applications", verbose_name=_("case"))
    submitted_by = models.CharField(
        _("submitted"), max_length=16, choices=SubmittedBy.choices, default=SubmittedBy.PERSON
    )
    received_on = models.DateField(_("received on"))
    urgent = models.BooleanField(_("urgent"), default=False)
    description = models.TextField(_("what is asked for"), blank=True)
    decision_due_on = models.DateField(_("decision due on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(
                fields=["decision_due_on"], condition=models.Q(decided_on__isnull=True), name="application_pending_due"
            )
        ]

    def __str__(self):
        return str(_("Application of %(date)s") % {"date": self.received_on})


class DelayNotice(models.Model):
    """Notice to the party that the matter will not be settled on time (KPA art. 36): the reason and the new
    date. Recorded by staff, or automatically when the due date passes or a decision is issued late."""

    class Kind(models.TextChoices):
        NOTICE = "notice", _("notice sent before the due date")
        DUE_DATE_PASSED = "due_passed", _("the due date passed without a decision")
        ISSUED_LATE = "issued_late", _("decision issued after the due date")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="delay_notices", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("reason for the delay"), max_length=500, blank=True)
    new_due_on = models.DateField(_("new date"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notice of delay")
        verbose_name_plural = _("notices of delay")
        ordering = ["recorded_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=models.Q(kind="due_passed"), name="one_due_passed_notice"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.recorded_on})"


class Interview(models.Model):
    """Rodzinny wywiad środowiskowy: due 14 working days after the application, 2 when urgent (Rozp. MRiPS
    2021 poz. 893 § 3), carried out by a social worker of the person's district."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CONDUCTED = "conducted", _("conducted")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("case"))
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="interview", verbose_name=_("application")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    urgent = models.BooleanField(_("urgent"), default=False)
    due_on = models.DateField(_("due on"))
    assigned_to = models.ForeignKey(
        "staff.StaffProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("social worker"),
    )
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    conducted_on = models.DateField(_("conducted on"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("proposed help"), blank=True)

    class Meta:
        verbose_name = _("community interview")
        verbose_name_plural = _("community interviews")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on"], condition=models.Q(status="planned"), name="interview_planned_due")]

    def __str__(self):
        return str(_("Interview due %(date)s") % {"date": self.due_on})


class DecisionKind(models.TextChoices):
    GRANT = "grant", _("grant")
    REFUSE = "refuse", _("refusal")
    CHANGE = "change", _("change")
    SUSPEND = "suspend", _("suspension")
    REPEAL = "repeal", _("repeal")


class BenefitProgramme(models.Model):
    """A programme that grants a benefit ex officio to every recipient of another benefit for given months
    (seed 004: 200 zł a month, January–March 2014, for every nursing-benefit recipient)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    source_form = models.ForeignKey(
        FormOfHelp, on_delete=models.PROTECT, related_name="+", verbose_name=_("for recipients of")
    )
    form = models.ForeignKey(FormOfHelp, on_delete=models.PROTECT, related_name="+", verbose_name=_("benefit granted"))
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=10, decimal_places=2)
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("benefit programme")
        verbose_name_plural = _("benefit programmes")

    def __str__(self):
        return in_language(self.name_pl, self.name_en)


class Decision(models.Model):
    """An administrative decision in a case. A grant or a change schedules payments; a suspension or a repeal
    cancels the planned ones it covers. The income criterion check is stored with the decision."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        CHANGED = "changed", _("changed by a later decision")
        SUSPENDED = "suspended", pgettext_lazy("decision status", "suspended")
        REPEALED = "repealed", _("repealed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("case"))
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=DecisionKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE)
    form = models.ForeignKey(FormOfHelp, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("form"))
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendments", verbose_name=_("amends")
    )
    programme = models.ForeignKey(
        BenefitProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("programme"),
    )
    ex_officio = models.BooleanField(_("ex officio"), default=False)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    late = models.BooleanField(_("issued late"), default=False)
    # The income criterion check (art. 8), as it stood when the decision was issued.
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    household_income = models.DecimalField(
        _("household income"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    income_per_person = models.DecimalField(
        _("income per person"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    criterion_rate = models.ForeignKey(
        IncomeCriterionRate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("income criterion"),
    )
    criterion_amount = models.DecimalField(
        _("income criterion amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    criterion_met = models.BooleanField(_("income criterion met"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True) | models.Q(period_end__gte=models.F("period_start")),
                name="decision_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.form} ({self.issued_on})"


class Payment(models.Model):
    """One payment of a benefit granted by a decision (one per month for a monthly benefit)."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("payment status", "planned")
        PAID = "paid", pgettext_lazy("payment status", "paid")
        CANCELLED = "cancelled", pgettext_lazy("payment status", "cancelled")

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="payments", verbose_name=_("decision")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="payments", verbose_name=_("person"))
    form = models.ForeignKey(FormOfHelp, on_delete=models.PROTECT, related_name="payments", verbose_name=_("form"))
    month = models.DateField(_("month"), help_text=_("The first day of the month the payment is for."))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for the cancellation"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["month", "id"]
        indexes = [models.Index(fields=["form", "month", "status"])]
        constraints = [models.UniqueConstraint(fields=["decision", "month"], name="payment_once_a_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.amount} ({self.get_status_display()})"


class ProgrammeGrant(models.Model):
    """A programme's benefit granted to one recipient: at most one per programme and person (idempotency)."""

    programme = models.ForeignKey(
        BenefitProgramme, on_delete=models.CASCADE, related_name="grants", verbose_name=_("programme")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="+", verbose_name=_("decision"))

    class Meta:
        verbose_name = _("programme grant")
        verbose_name_plural = _("programme grants")
        constraints = [models.UniqueConstraint(fields=["programme", "person"], name="programme_grant_once")]

    def __str__(self):
        return f"{self.programme}: {self.person}"


# --- social work -----------------------------------------------------------------------------------


class SocialContract(models.Model):
    """Kontrakt socjalny (art. 108): goals agreed with the person, obligations of both sides, an evaluation."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("in force")
        COMPLETED = "completed", _("completed")
        BROKEN = "broken", _("not kept by the person")
        TERMINATED = "terminated", _("terminated")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("case"))
    concluded_on = models.DateField(_("concluded on"))
    valid_until = models.DateField(_("valid until"))
    goals = models.TextField(_("goals"))
    client_obligations = models.TextField(_("obligations of the person"))
    center_obligations = models.TextField(_("obligations of the center"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    evaluation = models.TextField(_("evaluation"), blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("social contract")
        verbose_name_plural = _("social contracts")
        ordering = ["-concluded_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("concluded_on")), name="contract_period_ordered"
            ),
        ]

    def __str__(self):
        return str(_("Social contract of %(date)s") % {"date": self.concluded_on})


class CaseNote(models.Model):
    """A note of social work in a case: a visit, a call, a meeting, a step taken."""

    class Kind(models.TextChoices):
        NOTE = "note", pgettext_lazy("case note kind", "note")
        VISIT = "visit", _("home visit")
        CALL = "call", _("phone call")
        MEETING = "meeting", _("meeting at the center")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.NOTE)
    happened_on = models.DateField(_("date"))
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["-happened_on", "-id"]

    def __str__(self):
        return f"{self.happened_on} {self.get_kind_display()}"
