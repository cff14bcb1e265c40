"""Center slugs: one word that names the schema and the subdomain (``torun`` → torun.<BASE_DOMAIN>)."""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_RE = re.compile(r"^[a-z][a-z0-9]{1,39}$")
# Letters NFKD does not decompose to ASCII.
_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D"})


def slugify_center_name(name: str) -> str:
    """``"Toruń"`` → ``"torun"``, ``"Zielona Góra"`` → ``"zielonagora"``: ASCII letters and digits only,
    because the slug is both a PostgreSQL schema name and a DNS label."""
    ascii_name = unicodedata.normalize("NFKD", name.translate(_EXTRA)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_name.lower())


def validate_center_slug(slug: str) -> None:
    if not SLUG_RE.match(slug or ""):
        raise ValidationError(
            _(
                "“%(slug)s” is not a valid center slug: use 2–40 lowercase ASCII letters and digits, "
                "starting with a letter (for example “torun”)."
            ),
            code="invalid_slug",
            params={"slug": slug},
        )
    if slug in settings.RESERVED_CENTER_SLUGS or slug.startswith("pg"):
        raise ValidationError(
            _("“%(slug)s” is reserved and cannot name a center."), code="reserved_slug", params={"slug": slug}
        )
