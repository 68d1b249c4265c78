"""Staff and volunteer accounts. Citizens never need one."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sujarit.agencies.models import Agency
from sujarit.geo.models import Province


class Role(models.TextChoices):
    NETWORK_MEMBER = "network_member", _("Network member")
    COORDINATOR = "coordinator", _("Coordinator")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")


#: Roles that must pass a second factor (TOTP or a recovery code) before using the site.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.AGENCY_OFFICER, Role.AUDITOR, Role.ADMIN})


class User(AbstractUser):
    """An account. Its role decides its group (and so its permissions); its scope narrows them.

    An agency officer is scoped to exactly one agency (a database constraint says so); other
    roles have no agency. Coordinators and network members work in one province.
    """

    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.NETWORK_MEMBER
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("agency"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    # Lock-out after repeated failed logins (see sujarit.accounts.actions).
    failed_logins = models.PositiveIntegerField(_("failed logins in a row"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                name="officer_has_exactly_one_agency",
                condition=(
                    models.Q(role="agency_officer", agency__isnull=False)
                    | (~models.Q(role="agency_officer") & models.Q(agency__isnull=True))
                ),
                violation_error_message=_(
                    "An agency officer belongs to exactly one agency; other roles belong to none."
                ),
            )
        ]

    @property
    def needs_two_factor(self) -> bool:
        return self.role in STAFF_ROLES or self.is_staff or self.is_superuser


class LoginThrottle(models.Model):
    """Failed logins counted against something that is not an account row.

    Two kinds of key: a username that matches no account (so that trying a name that does not
    exist behaves exactly like trying one that does), and a client network address (so that
    one machine cannot try many usernames). The key is a keyed hash (HMAC with SECRET_KEY) of
    the value, so the table holds no username or address in clear.
    """

    class Scope(models.TextChoices):
        USERNAME = "username", _("unknown username")
        ADDRESS = "address", _("network address")

    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    key = models.CharField(_("keyed hash"), max_length=64)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    # Start of the counting window (addresses) or of the run of failures (usernames).
    first_failure_at = models.DateTimeField(_("first failure"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("last failure"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_unique_key")
        ]
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"{self.scope}:{self.key[:12]}"
