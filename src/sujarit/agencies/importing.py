"""Reading and checking an agency CSV file, row by row; ``actions.import_agencies`` writes.

The columns are documented in ``docs/agencies.md``. A row is checked against the database as
it stands when the row is reached, so a parent may be defined on an earlier line of the same
file. Every message is translated into the user's language, and names the physical line of
the file (the header is line 1) so that a person can find the row in a spreadsheet.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email, validate_slug
from django.utils.translation import gettext as _

from sujarit.agencies.models import KIND_LEVELS, Agency, AgencyKind, LocalType
from sujarit.geo.models import Province, Subdistrict
from sujarit.geo.queries import AreaResolver

#: Every column the importer reads, in the order the documentation lists them.
COLUMNS: tuple[str, ...] = (
    "code",
    "kind",
    "name_th",
    "name_en",
    "short_name_th",
    "short_name_en",
    "level",
    "local_type",
    "parent_code",
    "province_code",
    "subdistrict_codes",
    "hotline",
    "phone",
    "email",
    "website",
    "address",
    "source",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("code", "kind", "name_th")

#: Plain text fields copied as they are, with their maximum length.
_TEXT_FIELDS: dict[str, int] = {
    "name_th": 255,
    "name_en": 255,
    "short_name_th": 60,
    "short_name_en": 60,
    "phone": 60,
    "address": 2000,
    "source": 255,
}
_HOTLINE = re.compile(r"^[0-9][0-9 -]*[0-9]$")
_SUBDISTRICT_CODE = re.compile(r"^[0-9]{6}$")
_PROVINCE_CODE = re.compile(r"^[0-9]{2}$")
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class RowIssue:
    line: int
    message: str


@dataclass
class ImportReport:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)
    #: Problems with the file as a whole (encoding, header); then no row was read.
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({issue.line for issue in self.errors})

    @property
    def good_rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def counts(self) -> dict[str, int]:
        """Figures only, for the audit log: no names, codes or contact details."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "bad_rows": self.bad_rows,
            "warnings": len(self.warnings),
        }


class CsvFileError(Exception):
    """The file cannot be read as an agency CSV at all; ``message`` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def decode_csv(data: bytes) -> str:
    """The text of an uploaded file; a UTF-8 byte-order mark (as Excel writes) is dropped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(
            _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”.")
        ) from None


def _without_bom(rows: Iterable[str]) -> Iterator[str]:
    first = True
    for line in rows:
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        yield line


class _Reader(Protocol):
    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


class CsvRows:
    """The rows of an opened file, after its header."""

    def __init__(self, reader: _Reader, header: list[str], ignored_columns: list[str]) -> None:
        self._reader = reader
        self.header = header
        self.ignored_columns = ignored_columns

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each non-empty row with the physical line it starts on (the header is line 1).

        A quoted cell may hold line breaks, so a row can span several lines: the reader's
        line count after the previous row tells where this one starts.
        """
        last_line = self._reader.line_num
        for cells in self._reader:
            start = last_line + 1
            last_line = self._reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            extra = [cell for cell in cells[len(self.header) :] if cell.strip()]
            if extra:
                yield start, {"__too_many__": str(len(cells))}
                continue
            yield (
                start,
                {
                    name: (cells[index].strip() if index < len(cells) else "")
                    for index, name in enumerate(self.header)
                },
            )


def open_csv(
    rows: Iterable[str] | TextIO,
    *,
    columns: Collection[str] = COLUMNS,
    required: Sequence[str] = REQUIRED_COLUMNS,
) -> CsvRows:
    """Read the header and check it against ``columns`` (the agency file's by default; other
    imports pass their own); raises ``CsvFileError`` if the file cannot be used."""
    reader = csv.reader(_without_bom(rows))
    try:
        raw_header = next(reader)
    except StopIteration:
        raise CsvFileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise CsvFileError(
            _("Line 1 cannot be read as CSV: %(error)s") % {"error": error}
        ) from None
    header = [name.strip().lower() for name in raw_header]
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        raise CsvFileError(
            _("These columns appear more than once: %(columns)s.")
            % {"columns": ", ".join(duplicates)}
        )
    missing = [name for name in required if name not in header]
    if missing:
        raise CsvFileError(
            _(
                "Required columns are missing: %(missing)s. The first line of the file must "
                "name the columns, at least: %(required)s."
            )
            % {"missing": ", ".join(missing), "required": ", ".join(required)}
        )
    ignored = [name for name in header if name and name not in columns]
    return CsvRows(reader, header, ignored)


@dataclass
class CleanRow:
    """A checked row: the model fields to set, for the columns that the file has."""

    code: str
    fields: dict[str, object] = field(default_factory=dict)
    subdistrict_codes: list[str] | None = None
    served_province_codes: list[str] | None = None
    warnings: list[str] = field(default_factory=list)


class RowChecker:
    """Checks rows one after the other, remembering the codes already seen in the file."""

    def __init__(self, header: list[str]) -> None:
        self.columns = set(header)
        self.seen: dict[str, int] = {}
        self.province_codes = set(Province.objects.values_list("code", flat=True))
        # One resolver for the whole file: it caches the table of abolished codes.
        self.resolver = AreaResolver()

    def has(self, column: str) -> bool:
        return column in self.columns

    def check(self, line: int, values: dict[str, str]) -> tuple[CleanRow | None, list[str]]:
        """The cleaned row, or ``None`` and every reason the row cannot be imported."""
        if "__too_many__" in values:
            return None, [
                _("The row has more cells than the header has columns (%(count)s).")
                % {"count": values["__too_many__"]}
            ]
        errors: list[str] = []
        code = values.get("code", "").lower()
        if not code:
            errors.append(_("The code is missing."))
        else:
            try:
                validate_slug(code)
                if len(code) > 60:
                    raise ValidationError("too long")
            except ValidationError:
                errors.append(
                    _(
                        "The code “%(code)s” is not valid: use at most 60 letters, digits, "
                        "hyphens or underscores."
                    )
                    % {"code": code}
                )
            if code in self.seen:
                errors.append(
                    _("The code “%(code)s” already appears on line %(line)s of this file.")
                    % {"code": code, "line": self.seen[code]}
                )
            else:
                self.seen[code] = line
        row = CleanRow(code=code)
        existing = Agency.objects.filter(code=code).first() if code else None

        kind = values.get("kind", "")
        if not kind:
            errors.append(_("The kind is missing."))
        elif kind not in AgencyKind.values:
            errors.append(
                _("Unknown kind “%(kind)s”. Use one of: %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(AgencyKind.values)}
            )
            kind = ""
        else:
            row.fields["kind"] = kind

        if not values.get("name_th"):
            errors.append(_("The Thai name (name_th) is missing."))
        for name, limit in _TEXT_FIELDS.items():
            if not self.has(name):
                continue
            text = values.get(name, "")
            if len(text) > limit:
                errors.append(
                    _("The %(column)s is longer than %(limit)s characters.")
                    % {"column": name, "limit": limit}
                )
            row.fields[name] = text

        level = self._level(kind, values.get("level", ""), existing, errors)
        if level:
            row.fields["level"] = level
        self._local_type(kind, values, errors, row)
        self._contacts(values, errors, row)
        self._parent(code, values, errors, row)
        province_id = self._provinces(level, values, existing, errors, row)
        self._subdistricts(level, province_id, values, errors, row)
        if errors:
            return None, errors
        return row, []

    def _level(self, kind: str, given: str, existing: Agency | None, errors: list[str]) -> str:
        if given and given not in Agency.Level.values:
            errors.append(
                _("Unknown level “%(level)s”. Use one of: %(levels)s.")
                % {"level": given, "levels": ", ".join(Agency.Level.values)}
            )
            return ""
        if not kind:
            return ""
        expected = KIND_LEVELS.get(kind, "")
        if expected and given and given != expected:
            errors.append(
                _("A body of kind “%(kind)s” is %(expected)s, not %(level)s.")
                % {"kind": kind, "expected": expected, "level": given}
            )
            return ""
        level = given or expected or (existing.level if existing is not None else "")
        if not level:
            errors.append(
                _("A body of kind “other” needs a level (national, regional, provincial or local).")
            )
        return level

    def _local_type(
        self, kind: str, values: dict[str, str], errors: list[str], row: CleanRow
    ) -> None:
        local_type = values.get("local_type", "")
        if local_type and local_type not in LocalType.values:
            errors.append(
                _("Unknown municipality grade “%(value)s”. Use one of: %(values)s.")
                % {"value": local_type, "values": ", ".join(LocalType.values)}
            )
        elif local_type and kind and kind != AgencyKind.MUNICIPALITY:
            errors.append(_("Only a municipality has a municipality grade (local_type)."))
        elif self.has("local_type") or (kind and kind != AgencyKind.MUNICIPALITY):
            # A body that stops being a municipality loses its grade with it.
            row.fields["local_type"] = local_type

    def _contacts(self, values: dict[str, str], errors: list[str], row: CleanRow) -> None:
        if self.has("hotline"):
            hotline = values.get("hotline", "")
            if hotline and (len(hotline) > 20 or not _HOTLINE.match(hotline)):
                errors.append(
                    _("The hotline “%(value)s” is not a telephone number (digits only).")
                    % {"value": hotline}
                )
            row.fields["hotline"] = hotline
        if self.has("email"):
            email = values.get("email", "")
            try:
                if email:
                    validate_email(email)
            except ValidationError:
                errors.append(_("The e-mail address “%(value)s” is not valid.") % {"value": email})
            row.fields["email"] = email
        if self.has("website"):
            website = values.get("website", "")
            try:
                if website:
                    _validate_url(website)
                    if len(website) > 200:
                        raise ValidationError("too long")
            except ValidationError:
                errors.append(
                    _("The website “%(value)s” is not a valid http:// or https:// address.")
                    % {"value": website}
                )
            row.fields["website"] = website

    def _parent(self, code: str, values: dict[str, str], errors: list[str], row: CleanRow) -> None:
        if not self.has("parent_code"):
            return
        parent_code = values.get("parent_code", "").lower()
        if not parent_code:
            row.fields["parent_id"] = None
            return
        if parent_code == code:
            errors.append(_("A body cannot be its own parent."))
            return
        parent = Agency.objects.filter(code=parent_code).select_related("parent").first()
        if parent is None:
            errors.append(
                _(
                    "Unknown parent “%(code)s”: no agency has this code. A parent defined in "
                    "the same file must come on an earlier line."
                )
                % {"code": parent_code}
            )
            return
        # Walk up from the new parent: meeting this row's own code would make a loop.
        ancestor: Agency | None = parent
        steps = 0
        while ancestor is not None and steps < 50:
            if ancestor.code == code:
                errors.append(
                    _("The parent “%(code)s” is itself under this body.") % {"code": parent_code}
                )
                return
            ancestor = ancestor.parent
            steps += 1
        row.fields["parent_id"] = parent.pk

    def _provinces(
        self,
        level: str,
        values: dict[str, str],
        existing: Agency | None,
        errors: list[str],
        row: CleanRow,
    ) -> str | None:
        """Check province_code against the level; returns the province of the body, if any."""
        current = existing.province_id if existing is not None else None
        if not self.has("province_code"):
            if level in (Agency.Level.PROVINCIAL, Agency.Level.LOCAL) and current is None:
                errors.append(_("A provincial or local body needs a province_code."))
            return current
        codes = values.get("province_code", "").split()
        unknown = [c for c in codes if not _PROVINCE_CODE.match(c) or c not in self.province_codes]
        if unknown:
            errors.append(_("Unknown province code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
            return None
        if not level:
            # The kind is already reported as wrong; rules that depend on the level would only
            # add noise to the report.
            return codes[0] if len(codes) == 1 else None
        if level == Agency.Level.NATIONAL:
            if codes:
                errors.append(_("A national body has no province: leave province_code empty."))
            row.fields["province_id"] = None
            row.served_province_codes = []
            return None
        if level == Agency.Level.REGIONAL:
            # For a regional body the column lists the provinces of its region.
            row.fields["province_id"] = None
            row.served_province_codes = codes
            return None
        if len(codes) != 1:
            errors.append(_("A provincial or local body needs exactly one province_code."))
            return None
        row.fields["province_id"] = codes[0]
        row.served_province_codes = []
        return codes[0]

    def _subdistricts(
        self,
        level: str,
        province_id: str | None,
        values: dict[str, str],
        errors: list[str],
        row: CleanRow,
    ) -> None:
        if not self.has("subdistrict_codes"):
            return
        codes = values.get("subdistrict_codes", "").split()
        if codes and level in (Agency.Level.NATIONAL, Agency.Level.REGIONAL):
            errors.append(
                _(
                    "Only provincial and local bodies serve subdistricts: leave "
                    "subdistrict_codes empty."
                )
            )
            return
        current = dict(
            Subdistrict.objects.filter(code__in=codes).values_list("code", "province_id")
        )
        result: list[str] = []
        for code in codes:
            if not _SUBDISTRICT_CODE.match(code):
                errors.append(
                    _("“%(code)s” is not a subdistrict code (6 digits).") % {"code": code}
                )
                continue
            if code in current:
                found = [code]
            else:
                resolution = self.resolver.resolve(code)
                found = resolution.codes if resolution.level == "subdistrict" else []
                if not found:
                    errors.append(
                        _("Unknown subdistrict code %(code)s: %(reason)s")
                        % {"code": code, "reason": resolution.reason}
                    )
                    continue
                row.warnings.append(
                    _("Subdistrict code %(code)s was abolished; it was replaced by %(successors)s.")
                    % {"code": code, "successors": ", ".join(found)}
                )
                current.update(
                    (area.code, getattr(area, "province_id", "")) for area in resolution.areas
                )
            for successor in found:
                if province_id and current.get(successor) != province_id:
                    errors.append(
                        _("Subdistrict %(code)s is not in province %(province)s.")
                        % {"code": successor, "province": province_id}
                    )
                elif successor not in result:
                    result.append(successor)
        row.subdistrict_codes = result
