"""A center's own configuration, stored in the center's schema: addresses, contacts, departments,
teams, districts and hours."""

import re
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

POSTCODE = re.compile(r"\d{2}-\d{3}")
# Street names that already carry their prefix ("al. Solidarności", "pl. Rapackiego") get no "ul.".
STREET_PREFIX = re.compile(r"^(ul|al|pl|os|bulw|skwer|rondo)\.?\s", re.IGNORECASE)


def in_language(polish: str, english: str) -> str:
    """The English text when the current language is English and one is given, else the Polish one."""
    if english and (get_language() or "pl").split("-")[0] == "en":
        return english
    return polish


class CenterSettings(models.Model):
    """One row per schema: settings that belong to the center rather than to the deployment."""

    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Warsaw")
    observe_public_holidays = models.BooleanField(_("closed on Polish public holidays"), default=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        verbose_name = _("center settings")
        verbose_name_plural = _("center settings")

    def __str__(self):
        return str(_("center settings"))

    def clean(self):
        super().clean()
        if self.timezone not in available_timezones():
            raise ValidationError(
                {
                    "timezone": ValidationError(
                        _("“%(value)s” is not a known time zone."),
                        code="invalid_timezone",
                        params={"value": self.timezone},
                    )
                }
            )

    @property
    def description_display(self) -> str:
        return in_language(self.description, self.description_en)

    @classmethod
    def load(cls) -> "CenterSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj


class Address(models.Model):
    class Kind(models.TextChoices):
        SEAT = "seat", _("seat")
        BRANCH = "branch", _("branch office")
        OTHER = "other", _("other")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BRANCH)
    label = models.CharField(_("label (Polish)"), max_length=120, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=120, blank=True)
    street = models.CharField(_("street"), max_length=120)
    building = models.CharField(_("building number"), max_length=20)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6)
    city = models.CharField(_("city"), max_length=100)
    note = models.CharField(_("note"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=models.Q(kind="seat"), name="one_seat_per_center")
        ]

    def clean(self):
        super().clean()
        self.postcode = (self.postcode or "").strip()
        if self.postcode and not POSTCODE.fullmatch(self.postcode):
            raise ValidationError(
                {"postcode": ValidationError(_("A Polish postcode looks like 87-100."), code="invalid_postcode")}
            )

    def __str__(self):
        flat = f"/{self.flat}" if self.flat else ""
        prefix = "" if STREET_PREFIX.match(self.street) else "ul. "
        return f"{prefix}{self.street} {self.building}{flat}, {self.postcode} {self.city}"

    @property
    def label_display(self) -> str:
        return in_language(self.label, self.label_en)

    @property
    def street_line(self) -> str:
        flat = f"/{self.flat}" if self.flat else ""
        prefix = "" if STREET_PREFIX.match(self.street) else "ul. "
        return f"{prefix}{self.street} {self.building}{flat}"


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    address = models.ForeignKey(Address, on_delete=models.SET_NULL, null=True, blank=True, related_name="departments")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return in_language(self.name, self.name_en)


class Contact(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", _("phone")
        FAX = "fax", _("fax")
        PHONE_FAX = "phone_fax", _("phone and fax")
        EMAIL = "email", _("e-mail")
        WEBSITE = "website", _("website")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200, help_text=_("Phones are stored in E.164 (+48…)."))
    label = models.CharField(_("label (Polish)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts")
    address = models.ForeignKey(Address, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["order", "id"]

    PHONE_KINDS = ("phone", "fax", "phone_fax")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        from ostoja.tenants.configuration.phones import normalize_phone

        super().clean()
        value = (self.value or "").strip()
        try:
            if self.kind in self.PHONE_KINDS:
                value = normalize_phone(value)
            elif self.kind == self.Kind.EMAIL:
                value = value.lower()
                validate_email(value)
            elif self.kind == self.Kind.WEBSITE:
                URLValidator(schemes=["http", "https"])(value)
        except ValidationError as exc:
            message = {
                self.Kind.EMAIL: _("“%(value)s” is not a valid e-mail address."),
                self.Kind.WEBSITE: _("“%(value)s” is not a valid web address (http:// or https://)."),
            }.get(self.kind)
            if message is None:
                raise ValidationError({"value": exc}) from None
            code = "invalid_email" if self.kind == self.Kind.EMAIL else "invalid_url"
            raise ValidationError({"value": ValidationError(message, code=code, params={"value": value})}) from None
        self.value = value

    @property
    def label_display(self) -> str:
        return in_language(self.label, self.label_en)

    @property
    def is_phone(self) -> bool:
        return self.kind in self.PHONE_KINDS

    @property
    def display_value(self) -> str:
        from ostoja.tenants.configuration.phones import display_phone

        return display_phone(self.value) if self.is_phone else self.value

    @property
    def href(self) -> str:
        if self.kind in ("phone", "phone_fax"):
            return f"tel:{self.value}"
        if self.kind == self.Kind.EMAIL:
            return f"mailto:{self.value}"
        if self.kind == self.Kind.WEBSITE:
            return self.value
        return ""


class District(models.Model):
    """A part of the city served by its own social workers (Słupsk: five "rejony")."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative street list"),
        default=False,
        help_text=_("The street list is an example, not the center's official division."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class DistrictStreet(models.Model):
    """A street, or part of one, that belongs to a district."""

    class Numbers(models.TextChoices):
        ALL = "all", _("all numbers")
        ODD = "odd", _("odd numbers")
        EVEN = "even", _("even numbers")
        RANGE = "range", _("numbers from–to")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="streets")
    street = models.CharField(_("street"), max_length=120)
    street_key = models.CharField(max_length=120, editable=False, db_index=True)
    numbers = models.CharField(_("house numbers"), max_length=5, choices=Numbers.choices, default=Numbers.ALL)
    number_from = models.PositiveIntegerField(_("from number"), null=True, blank=True)
    number_to = models.PositiveIntegerField(_("to number"), null=True, blank=True)

    class Meta:
        verbose_name = _("district street")
        verbose_name_plural = _("district streets")
        ordering = ["street_key", "number_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(numbers="range", number_from__isnull=False, number_to__isnull=False)
                | (~models.Q(numbers="range") & models.Q(number_from__isnull=True, number_to__isnull=True)),
                name="range_has_bounds_others_none",
            ),
            models.CheckConstraint(
                condition=models.Q(number_from__isnull=True) | models.Q(number_from__lte=models.F("number_to")),
                name="range_from_not_after_to",
            ),
        ]

    def clean(self):
        from ostoja.tenants.configuration.districts import check_no_overlap, street_key

        super().clean()
        self.street_key = street_key(self.street)
        if self.numbers == self.Numbers.RANGE and (self.number_from is None or self.number_to is None):
            raise ValidationError(_("A range needs both numbers."), code="range_incomplete")
        if self.numbers != self.Numbers.RANGE:
            self.number_from = self.number_to = None
        if self.number_from is not None and self.number_from > self.number_to:
            raise ValidationError(_("The range must not end before it starts."), code="range_reversed")
        check_no_overlap(self, DistrictStreet.objects.filter(street_key=self.street_key))

    def save(self, *args, **kwargs):
        from ostoja.tenants.configuration.districts import street_key

        self.street_key = street_key(self.street)
        super().save(*args, **kwargs)

    def __str__(self):
        if self.numbers == self.Numbers.RANGE:
            return f"{self.street} {self.number_from}–{self.number_to}"
        if self.numbers == self.Numbers.ALL:
            return self.street
        return f"{self.street} ({self.get_numbers_display()})"


class Team(models.Model):
    """A social-work team (zespół pracy socjalnej), optionally serving given districts."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    department = models.ForeignKey(Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="teams")
    districts = models.ManyToManyField(District, blank=True, related_name="teams")

    class Meta:
        verbose_name = _("social-work team")
        verbose_name_plural = _("social-work teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


class HoursKind(models.TextChoices):
    OFFICE = "office", _("office hours")
    RECEPTION = "reception", _("client reception")
    HOMELESS_DUTY = "homeless_duty", _("homeless duty")
    COMPLAINTS = "complaints", _("complaints and interventions")


class Schedule(models.Model):
    """A weekly schedule of one kind (office hours, client reception …), optionally for one district."""

    kind = models.CharField(_("kind"), max_length=20, choices=HoursKind.choices)
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules")
    label = models.CharField(_("label (Polish)"), max_length=200, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["kind", "district__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(district__isnull=True),
                name="one_general_schedule_per_kind",
            ),
            models.UniqueConstraint(fields=["kind", "district"], name="one_schedule_per_kind_and_district"),
        ]

    def __str__(self):
        base = self.get_kind_display()
        return f"{base} – {self.district}" if self.district_id else str(base)

    @property
    def label_display(self) -> str:
        return in_language(self.label, self.label_en)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ScheduleRule(models.Model):
    """Opening hours on one weekday; a weekday with its own hours (Toruń: Tuesday until 16:00) simply
    has its own rule."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="rules")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="opens_before_closes"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        super().clean()
        if self.opens is None or self.closes is None:
            return
        check_rule(self.opens, self.closes)
        if self.schedule_id is None:
            return
        others = ScheduleRule.objects.filter(schedule_id=self.schedule_id, weekday=self.weekday).exclude(pk=self.pk)
        check_rules_disjoint(self, others)


def check_rule(opens, closes) -> None:
    if opens >= closes:
        raise ValidationError(
            _("Opening time %(opens)s must be before closing time %(closes)s."),
            code="hours_reversed",
            params={"opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"},
        )


def check_rules_disjoint(rule, others) -> None:
    """ValidationError (code ``hours_overlap``) if ``rule`` overlaps one of ``others`` on its weekday.
    Intervals that only touch (8:00–10:00 and 10:00–12:00) do not overlap."""
    for other in others:
        if other is rule or other.weekday != rule.weekday:
            continue
        if rule.opens < other.closes and other.opens < rule.closes:
            raise ValidationError(
                _("%(weekday)s %(opens)s–%(closes)s overlaps %(other)s in the same schedule."),
                code="hours_overlap",
                params={
                    "weekday": Weekday(rule.weekday).label,
                    "opens": f"{rule.opens:%H:%M}",
                    "closes": f"{rule.closes:%H:%M}",
                    "other": f"{other.opens:%H:%M}–{other.closes:%H:%M}",
                },
            )


class Closure(models.Model):
    """A one-off closure (or shortened day) on a date, for every kind or one kind of hours."""

    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"), max_length=20, choices=HoursKind.choices, blank=True, help_text=_("Empty: every kind.")
    )
    reason = models.CharField(_("reason (Polish)"), max_length=200)
    reason_en = models.CharField(_("reason (English)"), max_length=200, blank=True)
    closes_early_at = models.TimeField(
        _("closes early at"), null=True, blank=True, help_text=_("Empty: closed all day.")
    )

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["date", "kind"]
        constraints = [models.UniqueConstraint(fields=["date", "kind"], name="one_closure_per_date_and_kind")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.reason}"

    @property
    def reason_display(self) -> str:
        return in_language(self.reason, self.reason_en)
