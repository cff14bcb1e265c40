from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """One table per schema: in the public schema it holds platform accounts (operators, partners),
    in a center's schema that center's staff. A login therefore exists in one place only."""

    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=[("pl", "Polski"), ("en", "English")], default="pl"
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
