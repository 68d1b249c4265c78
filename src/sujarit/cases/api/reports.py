"""Reports through the JSON API: submit a report, follow it with its receipt code, write to
the coordination centre. Mounted at /api/v1/reports (see ``sujarit.api``).

The body of each request is checked by the same Django forms as the web pages
(``sujarit.cases.forms_intake``), so both doors accept and refuse the same things, with the
same messages, in the language of the request's ``Accept-Language`` (Thai by default). The
schemas below document the bodies in the OpenAPI document; every refusal has one shape,
``{"detail": ..., "errors": {field: [{"message": ..., "code": ...}]}}``.

No endpoint here reads the session or cookies: a receipt code travels in the request body,
never in a URL, and every answer is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.debug import sensitive_variables

from ninja import Field, Router, Schema, Status

from sujarit.accounts.forms import client_address
from sujarit.cases import receipts
from sujarit.cases.actions.followup import (
    ReceiptOutcome,
    Verification,
    add_information,
    post_complainant_message,
    verify_receipt,
)
from sujarit.cases.actions.inbox import accept_report, inbox_enabled
from sujarit.cases.actions.intake import (
    ReceiptCollision,
    ReportInput,
    same_report,
    submit_report,
)
from sujarit.cases.actions.retention import NothingToErase, erase_contact_details
from sujarit.cases.followup import ComplainantView, MessageEntry, complainant_view
from sujarit.cases.forms_intake import API_CHANNEL, ApiIntakeForm, MessageForm, ReceiptForm
from sujarit.cases.models import Case, CaseStatus
from sujarit.cases.views.followup import refusal_message

router = Router(tags=["reports"])

# --- request bodies (documentation; the forms check them) --------------------------------

KindValue = Literal["corruption", "state_funds", "election_fraud", "procurement", "grievance"]
IdentityValue = Literal["anonymous", "confidential", "named"]
RankValue = Literal[
    "unknown", "political", "senior_executive", "director", "official", "local_staff"
]


class ReportIn(Schema):
    """A citizen's report. Only ``kind``, ``description``, ``subdistrict`` and ``identity``
    are required; a confidential or named report also needs one way to reach the
    complainant, and a named one the complainant's name."""

    kind: KindValue = Field(
        description=(
            "What the report is about: corruption (misconduct by an official), state_funds "
            "(misuse of state money or property), election_fraud, procurement (irregular "
            "public purchase or contract), grievance (about a public service)."
        )
    )
    description: str = Field(
        description="What happened, in the complainant's words (10 to 10,000 characters).",
        min_length=10,
        max_length=10_000,
    )
    subdistrict: str = Field(
        description="Six-digit DOPA code of a subdistrict of the site's province, e.g. 240101.",
        pattern=r"^[0-9]{6}$",
    )
    identity: IdentityValue = Field(
        description=(
            "anonymous: no contact is kept (contact fields are ignored); confidential: contact "
            "kept, seen only by coordinators; named: name and contact kept with the report."
        )
    )
    village: str = Field("", description="Village or community, as written.", max_length=120)
    latitude: Decimal | None = Field(
        None, description="Latitude of the place (WGS84), within Thailand. Give both or neither."
    )
    longitude: Decimal | None = Field(
        None, description="Longitude of the place (WGS84), within Thailand. Give both or neither."
    )
    occurred_on: str | None = Field(
        None,
        description=(
            "When it happened: YYYY-MM-DD (a Buddhist-era year such as 2567 is understood). "
            "Not in the future."
        ),
    )
    accused_agency: str = Field(
        "",
        description=(
            "Code of the agency involved, from the directory of agencies serving the province "
            "(see /agencies/); empty if unknown or not listed."
        ),
        max_length=60,
    )
    accused_agency_text: str = Field(
        "", description="The agency involved in the complainant's words.", max_length=255
    )
    accused_position: str = Field(
        "", description="Position of the person involved, as known.", max_length=255
    )
    accused_rank: RankValue = Field(
        "unknown",
        description=(
            "Level of the person involved: unknown, political (political office holder), "
            "senior_executive, director, official (below director), local_staff (staff of a "
            "local administrative organization)."
        ),
    )
    amount: Decimal | None = Field(
        None, description="Amount of money involved, in baht; 0 or more.", ge=0
    )
    reported_elsewhere: bool = Field(False, description="Already reported elsewhere.")
    reported_elsewhere_detail: str = Field(
        "", description="Where and when it was reported.", max_length=255
    )
    name: str = Field("", description="Complainant's name (required when named).", max_length=200)
    phone: str = Field("", description="Phone number, 9 to 15 digits.", max_length=40)
    email: str = Field("", description="E-mail address.", max_length=254)
    line_id: str = Field("", description="LINE ID.", max_length=60)
    address: str = Field("", description="Postal address.", max_length=1000)
    consent_to_disclose: bool = Field(
        False,
        description=(
            "The complainant agrees that the coordination centre gives their identity to the "
            "agency handling the report. Ignored for anonymous reports."
        ),
    )
    passphrase: str = Field(
        "",
        description=(
            "Optional passphrase (8 to 200 characters). If set, following the report needs "
            "the receipt code and the passphrase. Stored only as a slow hash."
        ),
        max_length=200,
    )


class FollowUpIn(Schema):
    code: str = Field(
        description=(
            "The 16-digit receipt code. Spaces, dashes and Thai digits are accepted. Sent in "
            "the body, never in a URL."
        ),
        max_length=64,
    )
    passphrase: str = Field(
        "", description="The passphrase, if one was set when reporting.", max_length=200
    )


class MessageIn(FollowUpIn):
    body: str = Field(description="The message (at most 5,000 characters).", max_length=5_000)
    adds_information: bool = Field(
        False,
        description=(
            "True when the message adds facts to the report (it then also appears on the "
            "timeline as added information)."
        ),
    )


# --- answers -----------------------------------------------------------------------------


class ReportFieldError(Schema):
    message: str = Field(description="What is wrong, in the language of the request.")
    code: str = Field(description="A stable machine-readable code, e.g. required, future.")


class ReportErrorOut(Schema):
    detail: str = Field(description="A summary of the refusal, in the language of the request.")
    errors: dict[str, list[ReportFieldError]] = Field(
        description=(
            "Problems by field name (the body's field names; __all__ for the request as a whole)."
        )
    )


class FollowUpLinksOut(Schema):
    web: str = Field(description="The follow-up page where the citizen types the code.")
    api: str = Field(description="The follow-up endpoint (POST the code in the body).")


class ReportReceiptOut(Schema):
    receipt_code: str = Field(description="The 16-digit receipt code, digits only.")
    receipt_code_display: str = Field(description="The code in four groups of four digits.")
    created: bool = Field(
        description="False when this Idempotency-Key was seen before: the same report and code."
    )
    status: str = Field(description="The case's status code, e.g. received.")
    status_label: str = Field(description="The status in words.")
    has_passphrase: bool = Field(description="Whether following the report needs a passphrase.")
    advice: str = Field(description="What to tell the citizen about keeping the code.")
    follow_up: FollowUpLinksOut = Field(description="Where to follow the report with the code.")


class ReportSubdistrictOut(Schema):
    code: str = Field(description="Six-digit DOPA code.")
    name: str = Field(description="Name of the subdistrict.")
    district: str = Field(description="Name of its district.")


class ReportTimelineEntryOut(Schema):
    at: str = Field(description="When it happened (ISO 8601 with time zone).")
    kind: str = Field(
        description="status, information, progress, identity, dispute, routing or publication."
    )
    status: str = Field(description="The status the case moved to (status steps only).")
    text: str = Field(description="What the step means for the citizen, in plain words.")
    note: str = Field(description="A note the coordination centre wrote for the citizen.")


class ReportMessageOut(Schema):
    at: str = Field(description="When it was sent (ISO 8601 with time zone).")
    sender: Literal["complainant", "centre"] = Field(
        description="complainant, or centre for the coordination centre (never a staff name)."
    )
    sender_label: str = Field(description="The sender in words.")
    body: str = Field(description="The message.")
    adds_information: bool = Field(description="Whether it adds facts to the report.")


class ReportFollowUpOut(Schema):
    kind: str = Field(description="The report's kind code.")
    kind_label: str = Field(description="The kind in words.")
    subdistrict: ReportSubdistrictOut = Field(description="Where it happened.")
    received_at: str = Field(description="When the report was received (ISO 8601).")
    status: str = Field(description="The current status code.")
    status_label: str = Field(description="The current status in words.")
    status_text: str = Field(description="What the current status means and what comes next.")
    timeline: list[ReportTimelineEntryOut] = Field(
        description="Public steps of the case, oldest first."
    )
    messages: list[ReportMessageOut] = Field(
        description="The conversation with the coordination centre, oldest first."
    )
    outcome: str = Field(description="The outcome, once the case is resolved or closed.")
    can_dispute: bool = Field(
        description="Whether the outcome may still be disputed (on the follow-up page)."
    )
    dispute_until: str | None = Field(description="Until when it may be disputed (ISO 8601).")
    has_contact_details: bool = Field(
        description="Whether contact details of the complainant are kept (they can be erased)."
    )


class EraseIn(FollowUpIn):
    confirm: bool = Field(
        description=(
            "Must be true: the complainant understood that the centre can no longer contact "
            "them and that identity requests waiting for a decision lapse."
        )
    )


class ReportErasedOut(Schema):
    erased_fields: int = Field(description="How many contact details were erased.")


class ReportMessageSentOut(Schema):
    message: ReportMessageOut = Field(description="The message as stored.")


# --- helpers -------------------------------------------------------------------------------

REPORT_FIELDS = frozenset(ReportIn.model_fields)
FOLLOW_UP_FIELDS = frozenset(FollowUpIn.model_fields)
MESSAGE_FIELDS = frozenset(MessageIn.model_fields)
ERASE_FIELDS = frozenset(EraseIn.model_fields)


def _body(schema: type[Schema]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "th (the default) or en: the language of messages and labels.",
    "schema": {"type": "string"},
}


def _language(request: HttpRequest) -> str:
    """Thai unless the request prefers a language the site speaks."""
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.lower().split("-")[0]
        if base in supported:
            return base
    return str(settings.LANGUAGE_CODE)


def _private(response: HttpResponse, language: str) -> None:
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Accept-Language"])
    response.headers["Content-Language"] = language


def _errors(form_errors: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """The one shape of a refusal, built from Django's ``errors.get_json_data()``."""
    first = next((items[0]["message"] for items in form_errors.values() if items), "")
    return {
        "detail": first or _("The request was refused."),
        "errors": {
            field: [
                {"message": item["message"], "code": item["code"] or "invalid"} for item in items
            ]
            for field, items in form_errors.items()
        },
    }


def _refuse(field: str, message: str, code: str) -> dict[str, Any]:
    return _errors({field: [{"message": message, "code": code}]})


class BadBody(Exception):
    def __init__(self, status: int, payload: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.payload = payload


def _read_object(request: HttpRequest, allowed: frozenset[str]) -> dict[str, Any]:
    """The JSON object in the body, with its values as a form expects them.

    Raises ``BadBody`` (400 for a body that is not a JSON object, 422 for unknown fields or
    values that are lists or objects).
    """
    try:
        body = json.loads(request.body or b"null", parse_float=Decimal)
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise BadBody(400, _refuse("__all__", _("The body must be a JSON object."), "invalid_json"))
    problems: dict[str, list[dict[str, str]]] = {}
    data: dict[str, Any] = {}
    for name, value in body.items():
        if name not in allowed:
            problems[str(name)] = [{"message": _("This field is not known."), "code": "unknown"}]
        elif isinstance(value, list | dict):
            problems[name] = [
                {"message": _("Give a text, a number or true/false."), "code": "invalid_type"}
            ]
        elif value is not None:
            data[name] = value
    if problems:
        raise BadBody(422, _errors(problems))
    return data


def _form_errors(form: forms.Form) -> dict[str, Any]:
    return _errors(form.errors.get_json_data())


def _same_report(case: Case, report: ReportInput) -> bool:
    return same_report(
        report, kind=case.kind, subdistrict=case.subdistrict_id, description=case.description
    )


def _message_out(view_message: MessageEntry) -> dict[str, Any]:
    return {
        "at": view_message.at.isoformat(),
        "sender": "centre" if view_message.from_centre else "complainant",
        "sender_label": view_message.sender,
        "body": view_message.body,
        "adds_information": view_message.adds_information,
    }


def _follow_up_out(view: ComplainantView) -> dict[str, Any]:
    return {
        "kind": view.kind,
        "kind_label": view.kind_label,
        "subdistrict": {
            "code": view.subdistrict_code,
            "name": view.subdistrict_name,
            "district": view.district_name,
        },
        "received_at": view.received_at.isoformat(),
        "status": view.status,
        "status_label": view.status_label,
        "status_text": view.status_text,
        "timeline": [
            {
                "at": entry.at.isoformat(),
                "kind": entry.kind,
                "status": entry.status,
                "text": entry.text,
                "note": entry.note,
            }
            for entry in view.timeline
        ],
        "messages": [_message_out(message) for message in view.messages],
        "outcome": view.outcome,
        "can_dispute": view.can_dispute,
        "dispute_until": view.dispute_until.isoformat() if view.dispute_until else None,
        "has_contact_details": view.has_contact_details,
    }


_REFUSAL_STATUS = {
    ReceiptOutcome.MISTYPED: 422,
    ReceiptOutcome.NOT_FOUND: 404,
    ReceiptOutcome.PASSPHRASE_REQUIRED: 403,
    ReceiptOutcome.WRONG_PASSPHRASE: 403,
    ReceiptOutcome.LOCKED: 429,
    # Received, not yet a case: the same request succeeds in a moment.
    ReceiptOutcome.REGISTERING: 409,
}


def _refused_receipt(result: Verification, response: HttpResponse) -> Status[Any]:
    field, message = refusal_message(result)
    if result.outcome == ReceiptOutcome.LOCKED and result.locked_until is not None:
        seconds = max(1, int((result.locked_until - timezone.now()).total_seconds()))
        response.headers["Retry-After"] = str(seconds)
    if result.outcome == ReceiptOutcome.REGISTERING:
        response.headers["Retry-After"] = "30"
    return Status(
        _REFUSAL_STATUS[result.outcome],
        _refuse(field or "__all__", message, str(result.outcome)),
    )


@sensitive_variables("data")
def _open(request: HttpRequest, data: dict[str, Any], response: HttpResponse) -> Case | Status[Any]:
    form = ReceiptForm(data)
    if not form.is_valid():
        return Status(422, _form_errors(form))
    result = verify_receipt(
        code_text=form.cleaned_data["code"],
        passphrase=form.cleaned_data["passphrase"],
        client_address=client_address(request),
    )
    if not result.ok or result.case is None:
        return _refused_receipt(result, response)
    return result.case


# --- endpoints -----------------------------------------------------------------------------

REFUSALS: dict[int, Any] = {400: ReportErrorOut, 422: ReportErrorOut}
RECEIPT_REFUSALS: dict[int, Any] = {
    **REFUSALS,
    403: ReportErrorOut,
    404: ReportErrorOut,
    409: ReportErrorOut,
    429: ReportErrorOut,
}


@router.post(
    "",
    url_name="reports-submit",
    summary="Submit a report",
    response={201: ReportReceiptOut, 200: ReportReceiptOut, 409: ReportErrorOut, **REFUSALS},
    openapi_extra={
        **_body(ReportIn),
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": True,
                "description": (
                    "A new random value (a UUID) for each report, sent again unchanged when "
                    "retrying the same report: a retry then answers 200 with the same receipt "
                    "code instead of storing a second report. 16 to 128 letters, digits or "
                    ". _ : -. Reusing a key for a different report is refused with 409."
                ),
                "schema": {"type": "string", "minLength": 16, "maxLength": 128},
            },
            ACCEPT_LANGUAGE,
        ],
    },
)
def submit(request: HttpRequest, response: HttpResponse) -> Status[Any]:
    """Store a citizen's report and answer with its receipt code (201). The same
    Idempotency-Key again answers 200 with the same code. Invalid fields answer 422 with a
    message for each, in the language of Accept-Language. The code is shown to nobody else:
    the citizen must keep it."""
    language = _language(request)
    _private(response, language)
    with translation.override(language):
        try:
            data = _read_object(request, REPORT_FIELDS)
        except BadBody as refused:
            return Status(refused.status, refused.payload)
        data["idempotency_key"] = request.headers.get("Idempotency-Key", "")
        form = ApiIntakeForm(data)
        if not form.is_valid():
            errors = form.errors.get_json_data()
            if "idempotency_key" in errors:
                errors["Idempotency-Key"] = errors.pop("idempotency_key")
            return Status(422, _errors(errors))
        report = form.report_input(channel=API_CHANNEL)
        try:
            if inbox_enabled():
                return _accept(request, report)
            submission = submit_report(report=report)
        except ReceiptCollision:
            return Status(
                409,
                _refuse(
                    "Idempotency-Key",
                    _("Please send the report again with a new Idempotency-Key."),
                    "collision",
                ),
            )
        if not submission.created and not _same_report(submission.case, report):
            return _key_reused()
        case = submission.case
        return _receipt(
            request,
            code=submission.receipt_code,
            created=submission.created,
            status=case.status,
            has_passphrase=bool(case.passphrase_hash),
        )


def _accept(request: HttpRequest, report: ReportInput) -> Status[Any]:
    """The report into the intake inbox (``actions.inbox``): acknowledged at once."""
    acceptance = accept_report(report=report)
    if not acceptance.same_report or (
        acceptance.case is not None and not _same_report(acceptance.case, report)
    ):
        return _key_reused()
    case = acceptance.case
    return _receipt(
        request,
        code=acceptance.receipt_code,
        created=acceptance.created,
        status=case.status if case is not None else CaseStatus.RECEIVED,
        has_passphrase=bool(case.passphrase_hash) if case is not None else bool(report.passphrase),
    )


def _key_reused() -> Status[Any]:
    return Status(
        409,
        _refuse(
            "Idempotency-Key",
            _("This Idempotency-Key was used for a different report. Use a new key."),
            "key_reused",
        ),
    )


def _receipt(
    request: HttpRequest, *, code: str, created: bool, status: str, has_passphrase: bool
) -> Status[Any]:
    payload = {
        "receipt_code": code,
        "receipt_code_display": receipts.display(code),
        "created": created,
        "status": status,
        "status_label": str(CaseStatus(status).label),
        "has_passphrase": has_passphrase,
        "advice": _(
            "Write the receipt code down or take a screenshot, and keep it private: anyone "
            "with the code can read the report's progress and the messages."
        ),
        "follow_up": {
            "web": request.build_absolute_uri(reverse("cases:follow")),
            "api": request.build_absolute_uri(reverse("api:reports-follow-up")),
        },
    }
    return Status(201 if created else 200, payload)


@router.post(
    "/follow-up",
    url_name="reports-follow-up",
    summary="Follow a report with its receipt code",
    response={200: ReportFollowUpOut, **RECEIPT_REFUSALS},
    openapi_extra={**_body(FollowUpIn), "parameters": [ACCEPT_LANGUAGE]},
)
def follow_up(request: HttpRequest, response: HttpResponse) -> Status[Any]:
    """The report's status, its timeline in plain words, the messages with the coordination
    centre and the outcome, given the receipt code (and passphrase) in the body. Wrong codes
    are counted per client like on the follow-up page: after too many the client gets 429
    with Retry-After. A code that fails its check digit answers 422, an unknown code 404, a
    missing or wrong passphrase 403."""
    language = _language(request)
    _private(response, language)
    with translation.override(language):
        try:
            data = _read_object(request, FOLLOW_UP_FIELDS)
        except BadBody as refused:
            return Status(refused.status, refused.payload)
        opened = _open(request, data, response)
        if isinstance(opened, Status):
            return opened
        return Status(200, _follow_up_out(complainant_view(opened)))


@router.post(
    "/messages",
    url_name="reports-messages",
    summary="Send a message to the coordination centre",
    response={201: ReportMessageSentOut, **RECEIPT_REFUSALS},
    openapi_extra={**_body(MessageIn), "parameters": [ACCEPT_LANGUAGE]},
)
def send_message(request: HttpRequest, response: HttpResponse) -> Status[Any]:
    """Write to the coordination centre about a report, given its receipt code (and
    passphrase) in the body; with ``adds_information`` the message adds facts to the report.
    The same throttle as the follow-up applies."""
    language = _language(request)
    _private(response, language)
    with translation.override(language):
        try:
            data = _read_object(request, MESSAGE_FIELDS)
        except BadBody as refused:
            return Status(refused.status, refused.payload)
        message_form = MessageForm({"body": data.pop("body", "")})
        adds_information = data.pop("adds_information", False)
        if not message_form.is_valid():
            return Status(422, _form_errors(message_form))
        if not isinstance(adds_information, bool):
            return Status(
                422, _refuse("adds_information", _("Give true or false."), "invalid_type")
            )
        opened = _open(request, data, response)
        if isinstance(opened, Status):
            return opened
        body = message_form.cleaned_data["body"]
        if adds_information:
            message = add_information(case=opened, body=body)
        else:
            message = post_complainant_message(case=opened, body=body)
        return Status(
            201,
            {
                "message": {
                    "at": message.at.isoformat(),
                    "sender": "complainant",
                    "sender_label": _("You"),
                    "body": message.body,
                    "adds_information": message.is_information,
                }
            },
        )


@router.post(
    "/erase-contact-details",
    url_name="reports-erase-contact-details",
    summary="Erase the complainant's contact details now",
    response={200: ReportErasedOut, 409: ReportErrorOut, **RECEIPT_REFUSALS},
    openapi_extra={**_body(EraseIn), "parameters": [ACCEPT_LANGUAGE]},
)
def erase_contact(request: HttpRequest, response: HttpResponse) -> Status[Any]:
    """The complainant asks for their name and contact details to be erased at once, given
    the receipt code (and passphrase) and ``confirm: true``. The report stays; the centre can
    no longer contact them; identity requests waiting for a decision lapse. 409 when no contact
    details are kept (an anonymous report, or erased already). Same throttle as the follow-up."""
    language = _language(request)
    _private(response, language)
    with translation.override(language):
        try:
            data = _read_object(request, ERASE_FIELDS)
        except BadBody as refused:
            return Status(refused.status, refused.payload)
        if data.pop("confirm", None) is not True:
            return Status(
                422,
                _refuse(
                    "confirm",
                    _("Give confirm: true to erase the contact details."),
                    "confirmation_required",
                ),
            )
        opened = _open(request, data, response)
        if isinstance(opened, Status):
            return opened
        try:
            erasure = erase_contact_details(case=opened)
        except NothingToErase:
            return Status(
                409,
                _refuse(
                    "__all__",
                    _("No contact details of yours are kept for this report."),
                    "nothing_to_erase",
                ),
            )
        return Status(200, {"erased_fields": erasure.fields})
