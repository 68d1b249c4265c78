"""What each role may do to each model: the one table of role permissions.

Every role is a Django group named after the role's value; ``ensure_roles()`` makes the groups
hold exactly the permissions in ``ROLE_PERMISSIONS`` (it runs after every ``migrate``). An app
that adds models adds its rows here, so that one file answers "who may change what".

Model permissions say what kind of object a role may touch at all. Which objects (an agency
officer sees only the cases of their own agency) is decided by the checks in each app's
``queries.py``, never by these permissions alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, transaction

from sujarit.accounts.models import Role

ALL_ACTIONS = ("add", "change", "delete", "view")


def view(*models: str) -> set[str]:
    """``view`` permissions on ``"app_label.model"`` names."""
    return {_codename(model, "view") for model in models}


def manage(*models: str) -> set[str]:
    """Every model permission (add, change, delete, view) on ``"app_label.model"`` names."""
    return {_codename(model, action) for model in models for action in ALL_ACTIONS}


def _codename(model: str, action: str) -> str:
    app_label, model_name = model.split(".")
    return f"{app_label}.{action}_{model_name}"


GEO = ("geo.province", "geo.district", "geo.subdistrict", "geo.abolishedarea")

CASE_RECORDS = (
    "cases.case",
    "cases.caseevent",
    "cases.message",
    "cases.referral",
    "cases.routingproposal",
    "cases.identityrequest",
    "cases.dispute",
)
CASE_SETTINGS = (
    "cases.routingrule",
    "cases.servicelevel",
    "cases.admissibilityitem",
    "cases.retentionpolicy",
)
# Network records that public pages show anyway; members and their trainings are personal data
# (who may read them is decided per organization in sujarit.network.queries). Network records
# are written only through the network pages, whose actions write the audit log, so no role
# holds a change permission here.
NETWORK_RECORDS = (
    "network.organization",
    "network.mou",
    "network.actionplan",
    "network.planpillar",
    "network.planactivity",
    "network.planstatuschange",
    "network.progresssnapshot",
    "network.activity",
    "network.attendance",
    "network.activityphoto",
    "network.checklisttemplate",
    "network.checklistquestion",
    "network.visit",
    "network.visitanswer",
    "network.visitphoto",
    "network.awardcontest",
    "network.award",
)
NETWORK_PEOPLE = ("network.member", "network.training")

#: role → permissions as ``"app_label.codename"``.
ROLE_PERMISSIONS: Mapping[str, frozenset[str]] = {
    # Volunteers work through their own pages; they need no model permission beyond reading
    # the areas they monitor.
    Role.NETWORK_MEMBER: frozenset(view("geo.province", "geo.district", "geo.subdistrict")),
    # Coordinators change cases only through the case pages (the actions write the audit
    # log); the model permissions let them read every case and the routing settings.
    Role.COORDINATOR: frozenset(
        view(*GEO, "agencies.agency", *CASE_RECORDS, "cases.complainant", *CASE_SETTINGS)
        | view(*NETWORK_RECORDS)
    ),
    # Only their own agency: the scope is enforced by object checks in queries.
    Role.AGENCY_OFFICER: frozenset(view("agencies.agency")),
    # Auditors read everything but identities: no permission on complainants.
    Role.AUDITOR: frozenset(
        view(*GEO, "agencies.agency", "accounts.user", "audit.auditevent", *CASE_RECORDS)
        | view(*CASE_SETTINGS)
        | view(*NETWORK_RECORDS)
    ),
    Role.ADMIN: frozenset(
        manage(*GEO, "agencies.agency", "accounts.user", *CASE_SETTINGS)
        # The audit log is append-only: not even an administrator may change or delete events.
        | view("audit.auditevent")
        | view(*NETWORK_RECORDS, *NETWORK_PEOPLE)
        # Reports waiting to become cases: when and why not yet, never their sealed content.
        | view("cases.pendingreport")
    ),
}


def _ensure_permissions_exist(using: str) -> None:
    """Create the model permissions of every app now.

    Django creates them in its own post-migrate handler, one app at a time; ours may run
    before the handler of an app listed later in INSTALLED_APPS.
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)


def _permissions(names: Iterable[str], using: str) -> list[Permission]:
    wanted: set[tuple[str, str]] = set()
    for name in names:
        app_label, _, codename = name.partition(".")
        wanted.add((app_label, codename))
    found = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.using(using)
        .select_related("content_type")
        .filter(codename__in={codename for _, codename in wanted})
    }
    missing = sorted(".".join(key) for key in wanted if key not in found)
    if missing:
        # A typo in the table must stop the migration, not silently leave a role weaker.
        raise LookupError(f"Unknown permissions in ROLE_PERMISSIONS: {', '.join(missing)}")
    return [found[key] for key in sorted(wanted)]


def ensure_roles(*, using: str = DEFAULT_DB_ALIAS) -> dict[str, Group]:
    """Create or refresh one group per role with exactly its permissions. Safe to repeat."""
    with transaction.atomic(using=using):
        _ensure_permissions_exist(using)
        groups = {}
        for role in Role:
            group, _ = Group.objects.using(using).get_or_create(name=role.value)
            group.permissions.set(_permissions(ROLE_PERMISSIONS[role], using))
            groups[role.value] = group
        return groups


def role_groups() -> dict[str, Group]:
    """The role groups by role value, created first if a database has none yet."""
    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    if len(groups) < len(Role.values):
        return ensure_roles()
    return groups
