"""One row of a members CSV: check it, then create or update the member by ``code``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from sujarit.accounts.models import User
from sujarit.accounts.queries import AnyUser
from sujarit.network.actions.organizations import MemberInput, add_member, update_member
from sujarit.network.importing.base import RowError, RowFunction, parse_bool, parse_date
from sujarit.network.models import Member, MemberRole, Organization

COLUMNS: tuple[str, ...] = (
    "code",
    "organization_code",
    "full_name",
    "role",
    "phone",
    "email",
    "line_id",
    "joined_on",
    "trainings",
    "username",
    "is_active",
)
REQUIRED: tuple[str, ...] = ("code", "organization_code", "full_name", "role")

_CODE = re.compile(r"^[a-z0-9_-]{1,60}$")
_LIMITS = {"full_name": 200, "phone": 60, "line_id": 60}


def parse_trainings(text: str) -> list[tuple[str, dt.date | None]]:
    """``skill=date; skill`` → [(skill, date), (skill, None)]. Raises ``ValueError``."""
    trainings: list[tuple[str, dt.date | None]] = []
    for entry in text.split(";"):
        if not entry.strip():
            continue
        skill, _sep, day = entry.partition("=")
        if not skill.strip() or len(skill.strip()) > 120:
            raise ValueError(entry)
        trainings.append((skill.strip(), parse_date(day) if day.strip() else None))
    return trainings


def _existing_input(member: Member) -> MemberInput:
    return MemberInput(
        code=member.code,
        organization=member.organization,
        role=member.role,
        full_name=member.full_name,
        phone=member.phone,
        email=member.email,
        line_id=member.line_id,
        joined_on=member.joined_on,
        user=member.user,
        is_active=member.is_active,
        is_demo=member.is_demo,
    )


class MemberRows:
    def __init__(self, header: list[str], by: AnyUser | None) -> None:
        self.columns = set(header)
        self.by = by
        self.seen: dict[str, int] = {}

    def has(self, column: str) -> bool:
        return column in self.columns

    def __call__(self, line: int, values: dict[str, str]) -> str:
        errors: list[str] = []
        code = values.get("code", "").lower()
        if not _CODE.match(code):
            errors.append(
                _("The code “%(code)s” is not valid: use 1 to 60 letters, digits, - or _.")
                % {"code": code}
            )
        elif code in self.seen:
            errors.append(
                _("The code “%(code)s” already appears on line %(line)s of this file.")
                % {"code": code, "line": self.seen[code]}
            )
        else:
            self.seen[code] = line
        existing = Member.objects.select_related("organization", "user").filter(code=code).first()
        organization_code = values.get("organization_code", "").lower()
        organization = Organization.objects.filter(code=organization_code).first()
        if organization is None:
            errors.append(_("Unknown organization “%(code)s”.") % {"code": organization_code})
        row = _existing_input(existing) if existing else None
        role = values.get("role", "")
        if role not in MemberRole.values:
            errors.append(
                _("Unknown role “%(value)s”. Use one of: %(values)s.")
                % {"value": role, "values": ", ".join(MemberRole.values)}
            )
        fields = self._fields(values, errors)
        if errors:
            raise RowError(errors)
        assert organization is not None
        if row is None:
            row = MemberInput(code=code, organization=organization, role=role, full_name="")
        row.organization, row.role = organization, role
        for name, value in fields.items():
            setattr(row, name, value)
        if existing is None:
            add_member(values=row, by=self.by)
            return "created"
        changed = update_member(member=existing, values=row, by=self.by)
        return "updated" if changed else "unchanged"

    def _fields(self, values: dict[str, str], errors: list[str]) -> dict[str, object]:
        fields: dict[str, object] = {}
        for name in ("full_name", "phone", "line_id"):
            if self.has(name):
                text = values.get(name, "")
                if len(text) > _LIMITS[name]:
                    errors.append(
                        _("The %(column)s is longer than %(limit)s characters.")
                        % {"column": name, "limit": _LIMITS[name]}
                    )
                fields[name] = text
        if not values.get("full_name"):
            errors.append(_("The full name (full_name) is missing."))
        if self.has("email"):
            email = values.get("email", "")
            try:
                if email:
                    validate_email(email)
            except ValidationError:
                errors.append(_("The e-mail address “%(value)s” is not valid.") % {"value": email})
            fields["email"] = email
        if self.has("joined_on"):
            text = values.get("joined_on", "")
            try:
                fields["joined_on"] = parse_date(text) if text else None
            except ValueError:
                errors.append(
                    _("The date “%(value)s” is not a date (use 2566-03-16 or 16/03/2566).")
                    % {"value": text}
                )
        if self.has("trainings"):
            text = values.get("trainings", "")
            try:
                fields["trainings"] = parse_trainings(text)
            except ValueError:
                errors.append(
                    _(
                        "The trainings “%(value)s” cannot be read: write skill=date entries "
                        "separated by semicolons, e.g. “STRONG=2566-03-16; auditing”."
                    )
                    % {"value": text}
                )
        if self.has("username"):
            username = values.get("username", "")
            user = User.objects.filter(username=username).first() if username else None
            if username and user is None:
                errors.append(_("No account has the username “%(value)s”.") % {"value": username})
            fields["user"] = user
        if self.has("is_active"):
            try:
                fields["is_active"] = parse_bool(values.get("is_active", ""))
            except ValueError:
                errors.append(_("is_active is yes or no."))
        return fields


def member_rows(by: AnyUser | None) -> Callable[[list[str]], RowFunction]:
    def make(header: list[str]) -> RowFunction:
        return MemberRows(header, by)

    return make
