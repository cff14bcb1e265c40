"""Family foster care (rodzinna piecza zastępcza) under the Act of 9 June 2011 on supporting the family
and the foster-care system: foster families and their candidates, children and placements,
coordinators, meetings with biological parents, periodic assessments, money, leaving care and
irregularity reports. Every rule lives in ``services.py``; the models hold data and database-level
guarantees (one current placement per child, one planned assessment per subject, …)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FosterCareSettings(models.Model):
    """One row per center schema: assessment intervals, because practice differs between centers.

    Defaults: the child's situation every 3 months under the age of 3 and every 6 months otherwise; a foster
    family first one year after its first child was placed, then one year after that, then every 3 years."""

    child_under_3_interval_months = models.PositiveSmallIntegerField(
        _("child's situation: interval under age 3 (months)"), default=3
    )
    child_interval_months = models.PositiveSmallIntegerField(
        _("child's situation: interval from age 3 (months)"), default=6
    )
    family_first_assessment_months = models.PositiveSmallIntegerField(
        _("foster family: first assessment after the first placement (months)"), default=12
    )
    family_second_assessment_months = models.PositiveSmallIntegerField(
        _("foster family: second assessment after the first (months)"), default=12
    )
    family_interval_months = models.PositiveSmallIntegerField(
        _("foster family: later assessments every (months)"), default=36
    )

    class Meta:
        verbose_name = _("foster-care settings")
        verbose_name_plural = _("foster-care settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    child_under_3_interval_months__gte=1,
                    child_interval_months__gte=1,
                    family_first_assessment_months__gte=1,
                    family_second_assessment_months__gte=1,
                    family_interval_months__gte=1,
                ),
                name="foster_settings_intervals_positive",
            )
        ]

    def __str__(self):
        return str(_("foster-care settings"))

    @classmethod
    def load(cls) -> "FosterCareSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class FamilyKind(models.TextChoices):
    RELATED = "related", _("related foster family (spokrewniona)")
    NON_PROFESSIONAL = "non_professional", _("non-professional foster family (niezawodowa)")
    PROFESSIONAL = "professional", _("professional foster family (zawodowa)")
    EMERGENCY = "emergency", _("professional emergency family (pogotowie rodzinne)")
    SPECIALIST = "specialist", _("professional specialist foster family (zawodowa specjalistyczna)")
    FAMILY_HOME = "family_home", _("family children's home (rodzinny dom dziecka)")


class Relation(models.TextChoices):
    """A member's relation to the children placed in the family."""

    GRANDPARENT = "grandparent", _("grandparent")
    GREAT_GRANDPARENT = "great_grandparent", _("great-grandparent")
    SIBLING = "sibling", _("sibling")
    OTHER_RELATIVE = "other_relative", _("other relative")
    NOT_RELATED = "not_related", _("not related")


# Ascendants and siblings: the only members a related foster family (rodzina spokrewniona) may have.
RELATED_FAMILY_RELATIONS = {Relation.GRANDPARENT, Relation.GREAT_GRANDPARENT, Relation.SIBLING}


class AddressFields(models.Model):
    street = models.CharField(_("street"), max_length=120, blank=True)
    building = models.CharField(_("building number"), max_length=20, blank=True)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def address(self) -> str:
        if not self.street:
            return self.city
        flat = f"/{self.flat}" if self.flat else ""
        return f"ul. {self.street} {self.building}{flat}, {self.postcode} {self.city}".strip(", ")


class Candidate(AddressFields):
    """People applying to become a foster family: recruitment, training referral, qualification."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        REFERRED = "referred", _("referred to training")
        TRAINED = "trained", _("training completed")
        QUALIFIED = "qualified", _("qualified")
        REJECTED = "rejected", _("not qualified")
        WITHDRAWN = "withdrawn", _("withdrawn")

    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Anna and Jan Kowalski"))
    desired_kind = models.CharField(_("desired kind"), max_length=20, choices=FamilyKind.choices)
    persons = models.ManyToManyField(
        "cases.Person", through="CandidatePerson", related_name="foster_candidacies", verbose_name=_("persons")
    )
    applied_on = models.DateField(_("applied on"))
    recruitment_source = models.CharField(_("recruitment source"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    training_referred_on = models.DateField(_("referred to training on"), null=True, blank=True)
    training_name = models.CharField(_("training"), max_length=200, blank=True)
    training_completed_on = models.DateField(_("training completed on"), null=True, blank=True)
    qualified_on = models.DateField(_("qualified on"), null=True, blank=True)
    qualification_reference = models.CharField(_("qualification certificate number"), max_length=100, blank=True)
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    family = models.OneToOneField(
        "FosterFamily",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
        verbose_name=_("foster family"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("foster-family candidate")
        verbose_name_plural = _("foster-family candidates")
        ordering = ["-applied_on", "id"]
        indexes = [models.Index(fields=["status", "applied_on"])]

    def __str__(self):
        return self.name


class CandidatePerson(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="candidate_persons")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    relation = models.CharField(
        _("relation to the child"),
        max_length=20,
        choices=Relation.choices,
        default=Relation.NOT_RELATED,
    )

    class Meta:
        verbose_name = _("candidate person")
        verbose_name_plural = _("candidate persons")
        constraints = [models.UniqueConstraint(fields=["candidate", "person"], name="candidate_person_once")]

    def __str__(self):
        return f"{self.person} ({self.get_relation_display()})"


class FosterFamily(AddressFields):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        DISSOLVED = "dissolved", _("dissolved")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=FamilyKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    qualified_on = models.DateField(_("qualified on"), null=True, blank=True)
    first_placement_on = models.DateField(_("first child placed on"), null=True, blank=True)
    coordinator = models.ForeignKey(
        "staff.StaffProfile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="foster_families",
        verbose_name=_("coordinator"),
    )
    coordinator_since = models.DateField(_("coordinator since"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("foster family")
        verbose_name_plural = _("foster families")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["coordinator", "status"]),
            models.Index(fields=["kind", "status"]),
        ]

    def __str__(self):
        return self.name


class FamilyMember(models.Model):
    family = models.ForeignKey(FosterFamily, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="foster_family_memberships", verbose_name=_("person")
    )
    relation = models.CharField(_("relation to the child"), max_length=20, choices=Relation.choices)
    joined_on = models.DateField(_("member since"), null=True, blank=True)

    class Meta:
        verbose_name = _("foster-family member")
        verbose_name_plural = _("foster-family members")
        constraints = [models.UniqueConstraint(fields=["family", "person"], name="family_member_once")]

    def __str__(self):
        return f"{self.person} ({self.get_relation_display()})"


class ReintegrationGoal(models.TextChoices):
    RETURN_HOME = "return_home", _("return to the biological family")
    ADOPTION = "adoption", _("adoption")
    LONG_TERM = "long_term", _("long-term foster care")
    INDEPENDENCE = "independence", _("independent living")
    UNDECIDED = "undecided", _("not yet decided")


class FosterChild(models.Model):
    """A child (or a young adult who stays on) in the center's foster care."""

    class Status(models.TextChoices):
        IN_CARE = "in_care", _("in foster care")
        LEFT_CARE = "left_care", _("left foster care")

    person = models.OneToOneField(
        "cases.Person", on_delete=models.PROTECT, related_name="foster_child", verbose_name=_("person")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_CARE)
    sibling_group = models.PositiveIntegerField(
        _("sibling group"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Children with the same group are siblings."),
    )
    reintegration_goal = models.CharField(
        _("family reintegration goal"),
        max_length=20,
        choices=ReintegrationGoal.choices,
        default=ReintegrationGoal.UNDECIDED,
    )
    reintegration_plan = models.TextField(_("reintegration plan"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("child in foster care")
        verbose_name_plural = _("children in foster care")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self):
        return str(self.person)


class Placement(models.Model):
    class EndReason(models.TextChoices):
        RETURN_HOME = "return_home", _("returned to the biological family")
        ADOPTION = "adoption", _("adopted")
        OTHER_FAMILY = "other_family", _("moved to another foster family")
        INSTITUTION = "institution", _("moved to institutional care")
        INDEPENDENCE = "independence", _("left care to live independently")
        OTHER = "other", _("other")

    child = models.ForeignKey(FosterChild, on_delete=models.PROTECT, related_name="placements")
    family = models.ForeignKey(FosterFamily, on_delete=models.PROTECT, related_name="placements")
    start_on = models.DateField(_("placed on"))
    end_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=20, choices=EndReason.choices, blank=True)
    court_order_reference = models.CharField(_("court order reference"), max_length=100)
    court = models.CharField(_("court"), max_length=200, blank=True)
    reason = models.TextField(_("reason for placement"))
    siblings_together = models.BooleanField(_("placed together with siblings"), default=False)
    over_limit_with_consent = models.BooleanField(
        _("siblings placed over the limit with the family's consent"), default=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["family", "end_on"]),
            models.Index(fields=["child", "end_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(end_on__isnull=True), name="one_current_placement_per_child"
            ),
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True) | models.Q(end_on__gte=models.F("start_on")),
                name="placement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.child} → {self.family} ({self.start_on})"

    @property
    def is_current(self) -> bool:
        return self.end_on is None


class ParentMeeting(models.Model):
    """A meeting of a child with the biological parents."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    child = models.ForeignKey(FosterChild, on_delete=models.CASCADE, related_name="parent_meetings")
    planned_at = models.DateTimeField(_("planned for"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.CharField(_("participants"), max_length=300, help_text=_("e.g. mother, father"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    notes = models.TextField(_("notes"), blank=True)
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting with biological parents")
        verbose_name_plural = _("meetings with biological parents")
        ordering = ["-planned_at", "-id"]
        indexes = [models.Index(fields=["child", "planned_at"]), models.Index(fields=["status", "planned_at"])]

    def __str__(self):
        return f"{self.child} {self.planned_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class Assessment(models.Model):
    """A periodic assessment of a child's situation or of a foster family. The next one is a planned row with
    its due date; recording it marks it done and plans the following one."""

    class Subject(models.TextChoices):
        CHILD = "child", _("child's situation")
        FAMILY = "family", _("foster family")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    class Result(models.TextChoices):
        POSITIVE = "positive", _("positive")
        SATISFACTORY = "satisfactory", _("satisfactory")
        NEGATIVE = "negative", _("negative")

    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    child = models.ForeignKey(FosterChild, on_delete=models.CASCADE, null=True, blank=True, related_name="assessments")
    family = models.ForeignKey(
        FosterFamily, on_delete=models.CASCADE, null=True, blank=True, related_name="assessments"
    )
    sequence = models.PositiveSmallIntegerField(_("number"), default=1)
    counted_from = models.DateField(_("interval counted from"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    performed_on = models.DateField(_("performed on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=15, choices=Result.choices, blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(subject="child", child__isnull=False, family__isnull=True))
                | (models.Q(subject="family", family__isnull=False, child__isnull=True)),
                name="assessment_subject_matches",
            ),
            models.UniqueConstraint(
                fields=["child"], condition=models.Q(status="planned"), name="one_planned_child_assessment"
            ),
            models.UniqueConstraint(
                fields=["family"], condition=models.Q(status="planned"), name="one_planned_family_assessment"
            ),
        ]

    def __str__(self):
        target = self.child if self.subject == self.Subject.CHILD else self.family
        return f"{self.get_subject_display()}: {target} ({self.due_on})"


class ChildNeedsExpense(models.Model):
    class Kind(models.TextChoices):
        ADMISSION = "admission", _("needs on admission to the family")
        SCHOOL = "school", _("school and education")
        HEALTH = "health", _("health and rehabilitation")
        HOLIDAY = "holiday", _("holidays and recreation")
        RANDOM_EVENT = "random_event", _("random event")
        OTHER = "other", _("other")

    child = models.ForeignKey(FosterChild, on_delete=models.CASCADE, related_name="expenses")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    amount = models.DecimalField(_("amount (PLN)"), max_digits=10, decimal_places=2)
    granted_on = models.DateField(_("granted on"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("child-needs expense")
        verbose_name_plural = _("child-needs expenses")
        ordering = ["-granted_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_positive")]

    def __str__(self):
        return f"{self.child}: {self.get_kind_display()} {self.amount} zł"


class MaintenanceAllowance(models.Model):
    """The monthly allowance towards the child's maintenance paid to the foster family for a period."""

    child = models.ForeignKey(FosterChild, on_delete=models.CASCADE, related_name="allowances")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="allowances")
    monthly_amount = models.DecimalField(_("monthly amount (PLN)"), max_digits=10, decimal_places=2)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("maintenance allowance")
        verbose_name_plural = _("maintenance allowances")
        ordering = ["-period_from", "-id"]
        indexes = [models.Index(fields=["child", "period_from"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_amount__gt=0), name="allowance_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")), name="allowance_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.child}: {self.monthly_amount} zł {self.period_from}–{self.period_to}"


class LeavingCare(models.Model):
    """Usamodzielnienie: a young person leaving foster care with a mentor and an individual programme."""

    child = models.OneToOneField(FosterChild, on_delete=models.CASCADE, related_name="leaving_care")
    mentor_name = models.CharField(_("mentor (opiekun usamodzielnienia)"), max_length=200)
    mentor_contact = models.CharField(_("mentor's contact"), max_length=200, blank=True)
    programme = models.TextField(_("individual programme"))
    programme_approved_on = models.DateField(_("programme approved on"))
    started_on = models.DateField(_("started on"))

    class Meta:
        verbose_name = _("leaving care")
        verbose_name_plural = _("leaving care")

    def __str__(self):
        return f"{self.child}: {self.mentor_name}"


class ContinuingEducationSupport(models.Model):
    """Help to continue education, paid at most until the young person turns 25."""

    leaving_care = models.ForeignKey(LeavingCare, on_delete=models.CASCADE, related_name="education_support")
    school = models.CharField(_("school or university"), max_length=200)
    monthly_amount = models.DecimalField(_("monthly amount (PLN)"), max_digits=10, decimal_places=2)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))

    class Meta:
        verbose_name = _("continuing-education support")
        verbose_name_plural = _("continuing-education support")
        ordering = ["-period_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_amount__gt=0), name="education_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")), name="education_period_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.school} {self.period_from}–{self.period_to}"


class IrregularityReport(models.Model):
    """A suspected irregularity in a placement. The voivode and the prosecutor are notified of every one."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="irregularity_reports")
    reported_on = models.DateField(_("reported on"))
    source = models.CharField(_("source of the information"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("irregularity report")
        verbose_name_plural = _("irregularity reports")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["status", "reported_on"])]

    def __str__(self):
        return f"{self.placement.child} {self.reported_on}"


class Notification(models.Model):
    class Recipient(models.TextChoices):
        VOIVODE = "voivode", _("voivode")
        PROSECUTOR = "prosecutor", _("prosecutor's office")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")

    report = models.ForeignKey(IrregularityReport, on_delete=models.CASCADE, related_name="notifications")
    recipient = models.CharField(_("recipient"), max_length=12, choices=Recipient.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    reference = models.CharField(_("letter reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["report", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient"], name="one_notification_per_recipient"),
            models.CheckConstraint(
                condition=models.Q(status="pending", sent_on__isnull=True)
                | models.Q(status="sent", sent_on__isnull=False),
                name="notification_sent_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_recipient_display()}: {self.get_status_display()}"
