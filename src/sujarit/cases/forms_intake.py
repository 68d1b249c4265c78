"""The intake form: what a citizen's report must say, checked the same way for the web form and
the JSON API (the API feeds its JSON body to ``IntakeForm``), so that both doors create the
same thing and refuse the same mistakes with the same messages.

Also the small forms of the follow-up pages (receipt code, message, dispute).
"""

from __future__ import annotations

import copy
import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sujarit.agencies.models import LEVEL_ORDER, Agency
from sujarit.agencies.queries import agencies_serving_province
from sujarit.cases.actions.intake import ReportInput
from sujarit.cases.models import Identity, Rank, ReportKind
from sujarit.evidence.forms import EvidenceField
from sujarit.evidence.forms import limits_text as evidence_limits_text
from sujarit.geo.models import Province, Subdistrict
from sujarit.geo.queries import subdistricts_of_province
from sujarit.lib.refcache import ReferenceCache

#: One plain line per kind, shown under its choice on the form.
KIND_HELP: dict[str, Promise] = {
    ReportKind.CORRUPTION: _(
        "An official asked for or took money or favours, or used their power for their own gain."
    ),
    ReportKind.STATE_FUNDS: _(
        "Public money, land, vehicles or equipment used privately or wasted."
    ),
    ReportKind.ELECTION_FRAUD: _(
        "Vote buying, pressure on voters, or cheating in the count, at any election."
    ),
    ReportKind.PROCUREMENT: _(
        "A public purchase or contract that looks arranged: agreed bids, inflated prices, "
        "work paid for but not done."
    ),
    ReportKind.GRIEVANCE: _(
        "A public service that is unfair, far too slow, or not given as it should be."
    ),
}

#: What each identity choice means for the citizen, in plain words.
IDENTITY_HELP: dict[str, Promise] = {
    Identity.ANONYMOUS: _(
        "We keep no name and no way to reach you. Nobody can learn who you are from us, but "
        "we cannot ask you anything: you follow your report only with the receipt code."
    ),
    Identity.CONFIDENTIAL: _(
        "Give a way to reach you. Only the coordination centre sees it. An agency learns who "
        "you are only if you agree below, or if a second coordinator approves the agency's "
        "request, and then you are told on the follow-up page."
    ),
    Identity.NAMED: _(
        "Your name and contact details are kept with the report. Some agencies act only on a "
        "report from a person they can contact."
    ),
}

#: Where a report may come from through the web form. A network member's monitoring visit
#: opens the form with ``channel=visit``; the API sets its own channel.
WEB_CHANNELS = ("web", "visit")
API_CHANNEL = "api"

#: Parameters a link may use to open the form with facts filled in (e.g. from a monitoring
#: visit). Nothing else in the query string is read.
PREFILL_PARAMETERS = ("kind", "subdistrict", "description", "village", "channel")

# Thailand's extent with a small margin: a point outside it is a slip of the finger or a
# swapped latitude and longitude.
LATITUDE_RANGE = (Decimal("5.5"), Decimal("20.5"))
LONGITUDE_RANGE = (Decimal("97.3"), Decimal("105.7"))
# A Buddhist-era year typed where a Gregorian one is expected (2567 for 2024).
BE_OFFSET = 543
FIRST_BE_YEAR = 2400

DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 10_000
MESSAGE_MAX = 5_000
PASSPHRASE_MIN = 8
PASSPHRASE_MAX = 200

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_PHONE_DIGITS = re.compile(r"^\+?[0-9]{9,15}$")
_PHONE_SEPARATORS = re.compile(r"[\s().-]")


def configured_province_code() -> str:
    return str(settings.SUJARIT_PROVINCE)


_province_cache: ReferenceCache[Province | None] = ReferenceCache("province", maxsize=4)
_subdistricts_cache: ReferenceCache[dict[str, Subdistrict]] = ReferenceCache(
    "subdistricts of the province", maxsize=4
)


def province_name() -> str:
    code = configured_province_code()
    province = _province_cache.get(
        code, lambda: Province.objects.defer("boundary").filter(code=code).first()
    )
    return province.name if province is not None else code


def province_subdistricts() -> dict[str, Subdistrict]:
    """The configured province's subdistricts by code (reference data, read on every report:
    cached per process, see ``sujarit.lib.refcache``)."""
    code = configured_province_code()
    return _subdistricts_cache.get(
        code,
        lambda: {
            subdistrict.code: subdistrict
            for subdistrict in Subdistrict.objects.defer("boundary").filter(province_id=code)
        },
    )


def subdistrict_choices() -> list[tuple[str, Any]]:
    """The province's subdistricts grouped by district, for a select with optgroups."""
    groups: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    for subdistrict in subdistricts_of_province(configured_province_code()):
        district = subdistrict.district
        labels[district.code] = district.full_name
        groups.setdefault(district.code, []).append((subdistrict.code, subdistrict.name))
    return [("", _("Choose the subdistrict"))] + [
        (labels[code], options) for code, options in groups.items()
    ]


def agency_choices() -> list[tuple[str, Any]]:
    """Agencies serving the province, grouped by level, for a select with optgroups."""
    level_labels: dict[str, Any] = {
        Agency.Level.NATIONAL: _("National bodies"),
        Agency.Level.REGIONAL: _("Regional offices"),
        Agency.Level.PROVINCIAL: _("Provincial bodies"),
        Agency.Level.LOCAL: _("Local administrative organizations"),
    }
    groups: dict[str, list[tuple[str, str]]] = {level: [] for level in LEVEL_ORDER}
    agencies = agencies_serving_province(configured_province_code()).only(
        "code", "level", "name_th", "name_en"
    )
    for agency in agencies:
        groups.setdefault(agency.level, []).append((agency.code, agency.name))
    choices: list[tuple[str, Any]] = [("", _("Not chosen / not in this list"))]
    choices += [
        (level_labels.get(level, level), options) for level, options in groups.items() if options
    ]
    return choices


def _lazy(choices: Any) -> CallableChoiceIterator:
    # Choices are read from the database only when the select is drawn, so that the API,
    # which never draws it, validates a report with two small lookups instead of two lists.
    return CallableChoiceIterator(choices)


def _text(value: object) -> str:
    return str(value).translate(_THAI_DIGITS).strip() if value is not None else ""


class SubdistrictField(forms.CharField):
    """A subdistrict of the configured province, by its six-digit code."""

    default_error_messages = {
        "required": _("Choose the subdistrict where it happened."),
        "invalid_choice": _("Choose a subdistrict of %(province)s province from the list."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            widget=forms.Select(choices=_lazy(subdistrict_choices)), max_length=6, **kwargs
        )

    def clean(self, value: Any) -> Subdistrict | None:
        code = super().clean(_text(value))
        if not code:
            return None
        subdistrict = province_subdistricts().get(code)
        if subdistrict is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"province": province_name()},
            )
        return subdistrict


class AgencyField(forms.CharField):
    """An agency of the directory serving the province, by its code; optional."""

    default_error_messages = {
        "invalid_choice": _(
            "Choose an agency from the list, or leave it empty and write its name below."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            widget=forms.Select(choices=_lazy(agency_choices)),
            max_length=60,
            required=False,
            **kwargs,
        )

    def clean(self, value: Any) -> Agency | None:
        code = super().clean(_text(value))
        if not code:
            return None
        agency = agencies_serving_province(configured_province_code()).filter(code=code).first()
        if agency is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return agency


class NumberField(forms.DecimalField):
    """A decimal number as people type it: Thai digits, thousands separators and spaces."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, bool):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, str):
            value = value.translate(_THAI_DIGITS).replace(",", "").replace(" ", "")
        result: Decimal | None = super().to_python(value)
        return result


class ThaiDateField(forms.DateField):
    """A date typed as 2024-03-16 or 16/03/2024; a Buddhist-era year (2567) is understood."""

    input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, str):
            value = value.translate(_THAI_DIGITS).strip()
        result = super().to_python(value)
        if result is not None and result.year >= FIRST_BE_YEAR:
            try:
                result = result.replace(year=result.year - BE_OFFSET)
            except ValueError:
                # 29 February of a Buddhist-era year whose Gregorian year is not a leap year.
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return result


def _check_point(value: Decimal | None, bounds: tuple[Decimal, Decimal]) -> Decimal | None:
    if value is None:
        return None
    if not bounds[0] <= value <= bounds[1]:
        raise ValidationError(
            _(
                "This point is outside Thailand. Pick the place on the map again, or leave it "
                "empty."
            ),
            code="outside_thailand",
        )
    # The map gives many decimals; six (about 10 cm) is more than a report needs.
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class IntakeForm(forms.Form):
    """A citizen's report. ``report_input()`` turns a valid form into a ``ReportInput``."""

    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the report is about."),
            "invalid_choice": _("Choose one of the five kinds of report."),
        },
    )
    description = forms.CharField(
        label=_("What happened?"),
        help_text=_(
            "In your own words: what happened, who did what, and how you know. Do not write "
            "your own name here if you want to stay anonymous."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=DESCRIPTION_MIN,
        max_length=DESCRIPTION_MAX,
        error_messages={
            "required": _("Tell us what happened."),
            "min_length": _("Please tell us a little more (at least %(limit_value)d characters)."),
            "max_length": _("Please shorten this to %(limit_value)d characters at most."),
        },
    )
    #: Photos, documents and recordings: checked, and stripped of identifying metadata,
    #: as the form is validated (``sujarit.evidence.forms``).
    evidence = EvidenceField()
    subdistrict = SubdistrictField(label=_("Subdistrict"))
    village = forms.CharField(
        label=_("Village or community (optional)"),
        help_text=_("For example: หมู่ 3 บ้านหนองน้ำ"),
        max_length=120,
        required=False,
    )
    latitude = NumberField(
        label=_("Latitude (optional)"),
        required=False,
        max_digits=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter the latitude as a number, e.g. 13.6904.")},
    )
    longitude = NumberField(
        label=_("Longitude (optional)"),
        required=False,
        max_digits=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter the longitude as a number, e.g. 101.0779.")},
    )
    occurred_on = ThaiDateField(
        label=_("When did it happen? (optional)"),
        help_text=_("The date, or the last time it happened."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 16/03/2567.")},
    )
    accused_agency = AgencyField(
        label=_("Agency involved (optional)"),
        help_text=_("The public body the people involved work for, if you know it."),
    )
    accused_agency_text = forms.CharField(
        label=_("Agency not in the list (optional)"),
        help_text=_("Write the agency's name as you know it."),
        max_length=255,
        required=False,
    )
    accused_position = forms.CharField(
        label=_("Position of the person involved (optional)"),
        help_text=_("For example: village headman, procurement officer, mayor."),
        max_length=255,
        required=False,
    )
    accused_rank = forms.ChoiceField(
        label=_("Level of the person involved"),
        choices=Rank.choices,
        initial=Rank.UNKNOWN,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the levels in the list.")},
    )
    amount = NumberField(
        label=_("Amount of money involved, in baht (optional)"),
        required=False,
        min_value=Decimal(0),
        max_digits=15,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "invalid": _("Enter the amount as a number of baht, e.g. 150000."),
            "min_value": _("The amount cannot be negative."),
            "max_digits": _("This amount is too large."),
            "max_whole_digits": _("This amount is too large."),
            "max_decimal_places": _("Give the amount in baht with at most 2 decimals."),
        },
    )
    reported_elsewhere = forms.BooleanField(
        label=_("I have already reported this elsewhere"), required=False
    )
    reported_elsewhere_detail = forms.CharField(
        label=_("Where and when did you report it? (optional)"),
        max_length=255,
        required=False,
    )
    identity = forms.ChoiceField(
        label=_("Who you are"),
        choices=Identity.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether you stay anonymous, confidential or named."),
            "invalid_choice": _("Choose anonymous, confidential or named."),
        },
    )
    name = forms.CharField(
        label=_("Your name"),
        help_text=_("Needed for a named report; optional for a confidential one."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter an e-mail address such as somchai@example.com.")},
    )
    line_id = forms.CharField(label=_("LINE ID"), max_length=60, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    consent_to_disclose = forms.BooleanField(
        label=_(
            "I agree that the coordination centre may give my name and contact details to the "
            "agency that handles my report."
        ),
        help_text=_(
            "Without this, the agency reads your report but not who you are. You can report "
            "without agreeing."
        ),
        required=False,
    )
    passphrase = forms.CharField(
        label=_("Passphrase (optional)"),
        help_text=_(
            "If you set one, following your report needs the receipt code and this passphrase, "
            "so a person who finds your code cannot read it. It cannot be recovered: remember it."
        ),
        min_length=PASSPHRASE_MIN,
        max_length=PASSPHRASE_MAX,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={
            "min_length": _("Use at least %(limit_value)d characters, or leave it empty."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
    )
    passphrase_confirm = forms.CharField(
        label=_("Passphrase again"),
        max_length=PASSPHRASE_MAX,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=128,
        error_messages={
            "required": _("This form has expired. Open the report form again and send it."),
            "max_length": _("This form has expired. Open the report form again and send it."),
        },
    )
    channel = forms.ChoiceField(
        choices=[(channel, channel) for channel in WEB_CHANNELS],
        initial="web",
        required=False,
        widget=forms.HiddenInput,
    )

    #: Whether the form is shown to a person (its help texts are then filled in).
    rendered = True

    #: Contact fields, kept only for confidential and named reports.
    CONTACT_FIELDS = ("name", "phone", "email", "line_id", "address")

    def __init__(self, *args: Any, confirm_passphrase: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The API takes the passphrase once (a program does not mistype it); the form asks
        # for it twice because a person typing into a hidden field can.
        self.confirm_passphrase = confirm_passphrase
        if not confirm_passphrase:
            del self.fields["passphrase_confirm"]
        if self.rendered:
            self.fields["evidence"].help_text = evidence_limits_text()
            self.fields["subdistrict"].help_text = _(
                "Subdistricts of %(province)s province, grouped by district."
            ) % {"province": province_name()}

    @classmethod
    def prefill(cls, params: Any) -> dict[str, str]:
        """Initial values from a link's query string: only ``PREFILL_PARAMETERS``, each
        checked, so a link cannot set anything else (identity, contact, the key)."""
        initial: dict[str, str] = {}
        kind = str(params.get("kind", ""))
        if kind in ReportKind.values:
            initial["kind"] = kind
        subdistrict = str(params.get("subdistrict", ""))
        if re.fullmatch(r"[0-9]{6}", subdistrict):
            initial["subdistrict"] = subdistrict
        description = str(params.get("description", ""))[:DESCRIPTION_MAX]
        if description.strip():
            initial["description"] = description
        village = str(params.get("village", ""))[:120]
        if village.strip():
            initial["village"] = village
        channel = str(params.get("channel", ""))
        if channel in WEB_CHANNELS:
            initial["channel"] = channel
        return initial

    def clean_idempotency_key(self) -> str:
        key: str = self.cleaned_data["idempotency_key"].strip()
        if not valid_idempotency_key(key):
            raise ValidationError(
                _("This form has expired. Open the report form again and send it."),
                code="invalid_key",
            )
        return key

    def clean_channel(self) -> str:
        return self.cleaned_data.get("channel") or "web"

    def clean_accused_rank(self) -> str:
        return self.cleaned_data.get("accused_rank") or Rank.UNKNOWN

    def clean_latitude(self) -> Decimal | None:
        return _check_point(self.cleaned_data.get("latitude"), LATITUDE_RANGE)

    def clean_longitude(self) -> Decimal | None:
        return _check_point(self.cleaned_data.get("longitude"), LONGITUDE_RANGE)

    def clean_occurred_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("occurred_on")
        if value is not None and value > timezone.localdate():
            raise ValidationError(
                _("This date is in the future. Give the date it happened."), code="future"
            )
        if value is not None and value.year < 1900:
            raise ValidationError(_("Check the year of this date."), code="too_old")
        return value

    def clean_phone(self) -> str:
        phone = _PHONE_SEPARATORS.sub("", _text(self.cleaned_data.get("phone", "")))
        if phone and not _PHONE_DIGITS.match(phone):
            raise ValidationError(
                _("Enter a phone number of 9 or 10 digits, e.g. 081 234 5678."), code="invalid"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        identity = data.get("identity")
        if identity == Identity.ANONYMOUS:
            # Anonymous means nothing is kept, whatever the form carried (without JavaScript
            # the contact fields stay on the page).
            for name in self.CONTACT_FIELDS:
                data[name] = ""
                self.errors.pop(name, None)
            data["consent_to_disclose"] = False
        elif identity in (Identity.CONFIDENTIAL, Identity.NAMED):
            contacts = [data.get(name) for name in ("phone", "email", "line_id", "address")]
            contact_errors = any(name in self.errors for name in ("phone", "email"))
            if not any(contacts) and not contact_errors:
                self.add_error(
                    "phone",
                    ValidationError(
                        _(
                            "Give at least one way to reach you: a phone number, an e-mail, a "
                            "LINE ID or an address. Or choose anonymous."
                        ),
                        code="no_contact",
                    ),
                )
            if identity == Identity.NAMED and not (data.get("name") or "").strip():
                self.add_error(
                    "name",
                    ValidationError(
                        _("A named report needs your name. Or choose confidential."),
                        code="no_name",
                    ),
                )
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not (
            "latitude" in self.errors or "longitude" in self.errors
        ):
            missing = "longitude" if data.get("longitude") is None else "latitude"
            self.add_error(
                missing,
                ValidationError(
                    _("Give both the latitude and the longitude, or neither."),
                    code="half_point",
                ),
            )
        if not data.get("reported_elsewhere"):
            data["reported_elsewhere_detail"] = ""
        passphrase = data.get("passphrase") or ""
        if (
            self.confirm_passphrase
            and "passphrase" not in self.errors
            and passphrase != (data.get("passphrase_confirm") or "")
        ):
            self.add_error(
                "passphrase_confirm",
                ValidationError(
                    _("The two passphrases are not the same. Type it again in both fields."),
                    code="mismatch",
                ),
            )
        return data

    def report_input(self, *, channel: str | None = None, is_demo: bool = False) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            kind=data["kind"],
            description=data["description"],
            subdistrict=data["subdistrict"],
            identity=data["identity"],
            idempotency_key=data["idempotency_key"],
            village=data["village"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            occurred_on=data["occurred_on"],
            accused_agency=data["accused_agency"],
            accused_agency_text=data["accused_agency_text"],
            accused_position=data["accused_position"],
            accused_rank=data["accused_rank"],
            amount=data["amount"],
            reported_elsewhere=data["reported_elsewhere"],
            reported_elsewhere_detail=data["reported_elsewhere_detail"],
            consent_to_disclose=data["consent_to_disclose"],
            passphrase=data["passphrase"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            line_id=data["line_id"],
            address=data["address"],
            channel=channel or data.get("channel") or "web",
            is_demo=is_demo,
        )

    def kind_options(self) -> Iterator[dict[str, Any]]:
        """The kind radios with their one-line explanations, for the template."""
        yield from _options(self["kind"], KIND_HELP)

    def identity_options(self) -> Iterator[dict[str, Any]]:
        yield from _options(self["identity"], IDENTITY_HELP)


def _options(field: forms.BoundField, help_texts: dict[str, Promise]) -> Iterable[dict[str, Any]]:
    for radio in field:
        help_id = f"{radio.id_for_label}_help"
        # Each radio is described by its own explanation line.
        radio.data["attrs"] = {**radio.data["attrs"], "aria-describedby": help_id}
        yield {"radio": radio, "help": help_texts.get(radio.data["value"], ""), "help_id": help_id}


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def valid_idempotency_key(key: str) -> bool:
    """The web form's key is a UUID the server made when it drew the form: a key anyone could
    guess would let them read back another submission's receipt code."""
    try:
        return uuid.UUID(key).version == 4
    except ValueError:
        return False


_API_KEY = re.compile(r"^[A-Za-z0-9._:-]{16,128}$")


class _FieldsCopiedShallow(dict[str, forms.Field]):
    """A form's declared fields, copied one level deep for each form instead of entirely.

    Django deep-copies every field, widget and list of choices for each form it builds, so
    that rendering one form cannot change another; for the report form that is about a
    fifth of an API request's time. A form that is never rendered only needs its own field
    objects (their attributes may be replaced, as ``ApiIntakeForm`` replaces error
    messages): the widgets and choices they share are only read."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {name: copy.copy(field) for name, field in self.items()}


class ApiIntakeForm(IntakeForm):
    """The same report through the API: the key comes from the ``Idempotency-Key`` header,
    which a program makes (a UUID is best), and the passphrase is given once. Never
    rendered, so its fields are copied shallowly (``_FieldsCopiedShallow``) and it has no
    help texts to fill in."""

    rendered = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("confirm_passphrase", False)
        super().__init__(*args, **kwargs)
        del self.fields["channel"]
        self.fields["idempotency_key"].error_messages = {
            "required": _("Send an Idempotency-Key header: a new UUID for each report."),
            "max_length": _("The Idempotency-Key header is longer than 128 characters."),
        }

    def clean_idempotency_key(self) -> str:
        key: str = self.cleaned_data["idempotency_key"].strip()
        if not _API_KEY.match(key):
            raise ValidationError(
                _(
                    "The Idempotency-Key header must be 16 to 128 letters, digits or . _ : - "
                    "(a new UUID for each report is best)."
                ),
                code="invalid_key",
            )
        return key


ApiIntakeForm.base_fields = _FieldsCopiedShallow(ApiIntakeForm.base_fields)

# --- follow-up -----------------------------------------------------------------------------


class ReceiptForm(forms.Form):
    """The receipt code and, if one was set, the passphrase."""

    code = forms.CharField(
        label=_("Receipt code"),
        help_text=_("The 16 digits you received. Spaces, dashes and Thai digits are fine."),
        max_length=64,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type your receipt code.")},
    )
    passphrase = forms.CharField(
        label=_("Passphrase (only if you set one)"),
        max_length=PASSPHRASE_MAX,
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write your message first."),
            "max_length": _("Please shorten this to %(limit_value)d characters at most."),
        },
    )


class InformationForm(forms.Form):
    body = forms.CharField(
        label=_("What would you like to add?"),
        help_text=_("New facts, dates, places or names that help the agency act."),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write the information you want to add."),
            "max_length": _("Please shorten this to %(limit_value)d characters at most."),
        },
    )


class DisputeForm(forms.Form):
    text = forms.CharField(
        label=_("What is still wrong?"),
        help_text=_("Say what you see today that shows the problem is not fixed."),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Say what is still wrong."),
            "max_length": _("Please shorten this to %(limit_value)d characters at most."),
        },
    )
