"""One row of an organizations CSV: check it, then create or update by ``code``."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from sujarit.accounts.queries import AnyUser
from sujarit.agencies.models import Agency
from sujarit.geo.models import District, Province, Subdistrict
from sujarit.network.actions.organizations import (
    OrganizationInput,
    create_organization,
    update_organization,
)
from sujarit.network.importing.base import RowError, RowFunction, parse_bool
from sujarit.network.models import Level, Organization, OrganizationKind

COLUMNS: tuple[str, ...] = (
    "code",
    "name_th",
    "kind",
    "level",
    "name_en",
    "parent_code",
    "province_code",
    "district_code",
    "subdistrict_code",
    "village",
    "agency_code",
    "description",
    "phone",
    "email",
    "website",
    "address",
    "is_active",
)
REQUIRED: tuple[str, ...] = ("code", "name_th", "kind", "level")

_CODE = re.compile(r"^[a-z0-9_-]{1,60}$")
_LIMITS = {"name_th": 255, "name_en": 255, "village": 120, "phone": 60, "address": 2000}
_validate_url = URLValidator(schemes=["http", "https"])


def _existing_input(organization: Organization) -> OrganizationInput:
    return OrganizationInput(
        code=organization.code,
        name_th=organization.name_th,
        name_en=organization.name_en,
        kind=organization.kind,
        level=organization.level,
        parent=organization.parent,
        province=organization.province,
        district=organization.district,
        subdistrict=organization.subdistrict,
        village=organization.village,
        agency=organization.agency,
        description=organization.description,
        phone=organization.phone,
        email=organization.email,
        website=organization.website,
        address=organization.address,
        is_active=organization.is_active,
        is_demo=organization.is_demo,
    )


class OrganizationRows:
    """Imports rows one after the other, remembering the codes already seen in the file."""

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
        existing = (
            Organization.objects.select_related(
                "parent", "province", "district", "subdistrict", "agency"
            )
            .filter(code=code)
            .first()
        )
        row = (
            _existing_input(existing)
            if existing
            else OrganizationInput(code=code, name_th="", kind="", level="")
        )
        row.code = code
        self._text(values, row, errors)
        self._choices(values, row, errors)
        self._parent(values, row, errors, existing)
        self._area(values, row, errors)
        self._contacts(values, row, errors)
        if errors:
            raise RowError(errors)
        if existing is None:
            create_organization(values=row, by=self.by)
            return "created"
        changed = update_organization(organization=existing, values=row, by=self.by)
        return "updated" if changed else "unchanged"

    def _text(self, values: dict[str, str], row: OrganizationInput, errors: list[str]) -> None:
        for name in ("name_th", "name_en", "village", "description", "address", "phone"):
            if not self.has(name):
                continue
            text = values.get(name, "")
            limit = _LIMITS.get(name)
            if limit and len(text) > limit:
                errors.append(
                    _("The %(column)s is longer than %(limit)s characters.")
                    % {"column": name, "limit": limit}
                )
            setattr(row, name, text)
        if not row.name_th:
            errors.append(_("The Thai name (name_th) is missing."))
        if self.has("is_active"):
            try:
                row.is_active = parse_bool(values.get("is_active", ""))
            except ValueError:
                errors.append(_("is_active is yes or no."))

    def _choices(self, values: dict[str, str], row: OrganizationInput, errors: list[str]) -> None:
        kind = values.get("kind", "")
        if kind not in OrganizationKind.values:
            errors.append(
                _("Unknown type “%(value)s”. Use one of: %(values)s.")
                % {"value": kind, "values": ", ".join(OrganizationKind.values)}
            )
        row.kind = kind
        level = values.get("level", "")
        if level not in Level.values:
            errors.append(
                _("Unknown level “%(value)s”. Use one of: %(values)s.")
                % {"value": level, "values": ", ".join(Level.values)}
            )
        row.level = level
        if self.has("agency_code"):
            agency_code = values.get("agency_code", "").lower()
            row.agency = Agency.objects.filter(code=agency_code).first() if agency_code else None
            if agency_code and row.agency is None:
                errors.append(_("Unknown agency “%(code)s”.") % {"code": agency_code})

    def _parent(
        self,
        values: dict[str, str],
        row: OrganizationInput,
        errors: list[str],
        existing: Organization | None,
    ) -> None:
        if not self.has("parent_code"):
            return
        parent_code = values.get("parent_code", "").lower()
        if not parent_code:
            row.parent = None
            return
        parent = Organization.objects.filter(code=parent_code).first()
        if parent is None:
            errors.append(
                _(
                    "Unknown parent “%(code)s”: no organization has this code. A parent defined "
                    "in the same file must come on an earlier line."
                )
                % {"code": parent_code}
            )
        elif existing is not None and parent.path.startswith(existing.path):
            errors.append(
                _("The parent “%(code)s” is this organization or one below it.")
                % {"code": parent_code}
            )
        row.parent = parent

    def _area(self, values: dict[str, str], row: OrganizationInput, errors: list[str]) -> None:
        for column, model, attribute in (
            ("province_code", Province, "province"),
            ("district_code", District, "district"),
            ("subdistrict_code", Subdistrict, "subdistrict"),
        ):
            if not self.has(column):
                continue
            code = values.get(column, "")
            area = model.objects.defer("boundary").filter(code=code).first() if code else None
            if code and area is None:
                errors.append(
                    _("Unknown %(column)s “%(code)s”.") % {"column": column, "code": code}
                )
            setattr(row, attribute, area)
        if row.level in Level.values:
            try:
                row.area_values()
            except ValidationError as error:
                errors.extend(str(m) for messages in error.message_dict.values() for m in messages)

    def _contacts(self, values: dict[str, str], row: OrganizationInput, errors: list[str]) -> None:
        if self.has("email"):
            email = values.get("email", "")
            try:
                if email:
                    validate_email(email)
            except ValidationError:
                errors.append(_("The e-mail address “%(value)s” is not valid.") % {"value": email})
            row.email = email
        if self.has("website"):
            website = values.get("website", "")
            try:
                if website:
                    _validate_url(website)
            except ValidationError:
                errors.append(
                    _("The website “%(value)s” is not a valid http:// or https:// address.")
                    % {"value": website}
                )
            row.website = website


def organization_rows(by: AnyUser | None) -> Callable[[list[str]], RowFunction]:
    def make(header: list[str]) -> RowFunction:
        return OrganizationRows(header, by)

    return make
