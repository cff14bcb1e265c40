"""Which district serves an address: ``district_for(street, number)``, and the overlap rule that keeps
the answer unique."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PREFIX = re.compile(r"^(ul|ulica|al|aleja|aleje|pl|plac|os|osiedle|skwer|rondo|bulw|bulwar)\b\.?\s*")


def street_key(name: str) -> str:
    """A comparable street name: ``"ul. Henryka Sienkiewicza"`` and ``"henryka  sienkiewicza"`` match;
    Polish letters fold to ASCII so that a missing diacritic does not lose the district."""
    text = (name or "").replace("ł", "l").replace("Ł", "L")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[.,]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = _PREFIX.sub("", text)
    return text.strip()


def house_number(value) -> int | None:
    """The numeric part of a house number: ``"19A"`` → 19, ``"5/3"`` → 5; ``None`` when there is none."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    match = re.match(r"\s*(\d+)", str(value))
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class NumberRule:
    numbers: str  # all / odd / even / range
    number_from: int | None = None
    number_to: int | None = None

    def matches(self, number: int | None) -> bool:
        if self.numbers == "all":
            return True
        if number is None:
            return False
        if self.numbers == "odd":
            return number % 2 == 1
        if self.numbers == "even":
            return number % 2 == 0
        return self.number_from <= number <= self.number_to

    def overlaps(self, other: NumberRule) -> bool:
        if "all" in (self.numbers, other.numbers):
            return True
        parities = {self.numbers, other.numbers}
        if parities == {"odd", "even"}:
            return False
        if self.numbers != "range" and other.numbers != "range":
            return True  # odd/odd or even/even
        if self.numbers == "range" and other.numbers == "range":
            return max(self.number_from, other.number_from) <= min(self.number_to, other.number_to)
        rng, parity = (self, other) if self.numbers == "range" else (other, self)
        wanted = 1 if parity.numbers == "odd" else 0
        return any(n % 2 == wanted for n in range(rng.number_from, min(rng.number_to, rng.number_from + 1) + 1))


@dataclass
class DistrictLookup:
    """``status`` is ``assigned`` (``district`` set), ``unassigned`` (no rule covers the address) or
    ``ambiguous`` (a house number is needed, or rules disagree; ``candidates`` lists the districts)."""

    status: str
    district: object | None = None
    candidates: list = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.status == "assigned":
            return str(_("District: %(name)s.") % {"name": self.district})
        if self.status == "unassigned":
            return str(_("No district covers this address."))
        names = ", ".join(str(d) for d in self.candidates)
        return str(
            _("The address could belong to several districts (%(names)s); give the house number.") % {"names": names}
        )


def district_for(street: str, number=None) -> DistrictLookup:
    """The district serving ``street`` ``number`` in the current center's schema."""
    from ostoja.tenants.configuration.models import DistrictStreet

    rows = list(DistrictStreet.objects.filter(street_key=street_key(street)).select_related("district"))
    num = house_number(number)
    matching = [row for row in rows if NumberRule(row.numbers, row.number_from, row.number_to).matches(num)]
    districts = list({row.district_id: row.district for row in matching}.values())
    if len(districts) == 1:
        return DistrictLookup("assigned", districts[0], districts)
    if districts:
        return DistrictLookup("ambiguous", None, districts)
    if num is None:
        street_districts = list({row.district_id: row.district for row in rows}.values())
        if street_districts:
            return DistrictLookup("ambiguous", None, street_districts)
    return DistrictLookup("unassigned")


def check_no_overlap(candidate, existing) -> None:
    """ValidationError if ``candidate`` (a DistrictStreet) covers a number that one of ``existing`` covers."""
    rule = NumberRule(candidate.numbers, candidate.number_from, candidate.number_to)
    for other in existing:
        if other.pk and other.pk == candidate.pk:
            continue
        if other.street_key != candidate.street_key:
            continue
        if rule.overlaps(NumberRule(other.numbers, other.number_from, other.number_to)):
            raise ValidationError(
                _("%(street)s overlaps with “%(other)s” in district %(district)s: an address must have one district."),
                code="district_overlap",
                params={"street": str(candidate), "other": str(other), "district": other.district},
            )
