"""Organizations, the networks that group them, and the people who belong to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sujarit.agencies.models import Agency
from sujarit.geo.models import District, Province, Subdistrict

#: Width of one step of the materialized path: enough for a billion organizations.
PATH_STEP = 9


class OrganizationKind(models.TextChoices):
    NETWORK = "network", _("Network of organizations")
    COMMUNITY_ORGANIZATION = "community_organization", _("Community organization")
    COMMUNITY_COUNCIL = "community_council", _("Community organization council")
    CIVIL_SOCIETY = "civil_society", _("Civil-society group")
    STRONG_CLUB = "strong_club", _("STRONG club")
    YOUTH_COUNCIL = "youth_council", _("Children and youth council")
    COORDINATION_CENTRE = "coordination_centre", _("Coordination centre")
    AGENCY_PARTNER = "agency_partner", _("Agency (partner)")
    OTHER = "other", _("Other organization")


class Level(models.TextChoices):
    """The area an organization works at, from the narrowest to the widest."""

    VILLAGE = "village", _("village")
    SUBDISTRICT = "subdistrict", _("subdistrict")
    DISTRICT = "district", _("district")
    PROVINCE = "province", _("province")
    REGION = "region", _("region")
    NATIONAL = "national", _("national")


#: Levels from the widest to the narrowest, the order in which pages list them.
LEVEL_ORDER: tuple[str, ...] = (
    Level.NATIONAL,
    Level.REGION,
    Level.PROVINCE,
    Level.DISTRICT,
    Level.SUBDISTRICT,
    Level.VILLAGE,
)


class Organization(models.Model):
    """A community organization, group, club, council or network, placed in one tree.

    The tree is kept as a materialized path: ``path`` holds the zero-padded ids of every
    ancestor and of the organization itself (``000000001/000000007/``). Descendants are one
    indexed prefix query and ancestors one primary-key lookup on any database; the path is
    written only by the actions that create or move an organization.
    """

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("A stable key used by imports, e.g. “strong-24” or “council-240101”."),
    )
    name_th = models.CharField(_("name (Thai)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=OrganizationKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent network"),
    )
    path = models.CharField(_("tree path"), max_length=255, editable=False, default="", blank=True)
    depth = models.PositiveSmallIntegerField(_("depth in the tree"), default=0, editable=False)
    # The area served: a province for province-level bodies and below, a district for a
    # district and below, a subdistrict for a subdistrict or a village (a village is a name
    # inside its subdistrict, since villages have no official code in our data).
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    subdistrict = models.ForeignKey(
        Subdistrict,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subdistrict"),
    )
    village = models.CharField(_("village"), max_length=120, blank=True)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_("For an agency taking part as a partner."),
    )
    description = models.TextField(_("description"), blank=True)
    # The organization's own public contact (an office telephone, a shared mailbox): shown on
    # public pages. Members' personal contacts live on Member and are never shown publicly.
    phone = models.CharField(_("public telephone"), max_length=60, blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo"),
        default=False,
        help_text=_("Generated for demonstration; not a record of a real organization."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [
            # Prefix searches (LIKE 'path%') use this index on PostgreSQL only with the
            # pattern operator class; SQLite ignores the class and uses a plain index.
            models.Index(
                fields=["path"], name="network_org_path", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["province", "level"], name="network_org_area"),
        ]
        constraints = [
            models.CheckConstraint(
                name="network_org_area_matches_level",
                condition=(
                    models.Q(level__in=["national", "region"], district__isnull=True)
                    | models.Q(level="province", province__isnull=False, district__isnull=True)
                    | models.Q(
                        level="district",
                        district__isnull=False,
                        subdistrict__isnull=True,
                    )
                    | models.Q(level__in=["subdistrict", "village"], subdistrict__isnull=False)
                ),
                violation_error_message=_(
                    "The area must match the level: a province for a province-level body, a "
                    "district for a district-level one, a subdistrict for a subdistrict or "
                    "village."
                ),
            ),
            models.CheckConstraint(
                name="network_org_village_named",
                condition=~models.Q(level="village") | ~models.Q(village=""),
                violation_error_message=_("A village-level organization names its village."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "th").startswith("en") and self.name_en:
            return self.name_en
        return self.name_th

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path (no query)."""
        return [int(step) for step in self.path.split("/") if step][:-1]

    @property
    def is_network(self) -> bool:
        return self.kind == OrganizationKind.NETWORK

    def path_for_parent(self, parent: Organization | None) -> str:
        own = f"{self.pk:0{PATH_STEP}d}/"
        return (parent.path if parent is not None else "") + own


class MemberRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    COMMITTEE = "committee", _("Committee member")
    TRAINER = "trainer", _("Trainer")
    VOLUNTEER = "volunteer", _("Volunteer")
    MEMBER = "member", _("Member")


class Member(models.Model):
    """A person in an organization. Everything here but the role is personal data.

    Who may see it is decided in ``network.queries.can_see_member_personal_data``; public
    pages and the public API show only counts.
    """

    code = models.SlugField(
        _("member code"),
        max_length=60,
        unique=True,
        help_text=_("A stable key used by imports, e.g. the organization's own register number."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("telephone"), max_length=60, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    line_id = models.CharField(_("LINE ID"), max_length=60, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_memberships",
        verbose_name=_("account"),
        help_text=_("Optional: the member's own account (network member role)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["organization", "role", "full_name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        indexes = [
            models.Index(fields=["user", "role"], name="network_member_user_role"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(user__isnull=False),
                name="network_member_one_account_per_organization",
            )
        ]

    def __str__(self) -> str:
        return self.code


class Training(models.Model):
    """A skill a member was trained in, and when."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("member")
    )
    skill = models.CharField(_("skill"), max_length=120)
    trained_on = models.DateField(_("trained on"), null=True, blank=True)

    class Meta:
        ordering = ["member", "trained_on", "skill"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "skill", "trained_on"], name="network_training_unique"
            )
        ]

    def __str__(self) -> str:
        return self.skill
