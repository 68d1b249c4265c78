"""Forms of the coordination centre's pages: the queue filters and one form per action on a
case. Each action form has its own prefix, so that several can stand on one page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sujarit.accounts.models import Role, User
from sujarit.agencies.models import Agency
from sujarit.agencies.queries import agencies_serving_province
from sujarit.cases.actions.triage import deviates_from_routing
from sujarit.cases.models import Case, CaseStatus, Rank, ReportKind
from sujarit.cases.queues import DEFAULT_TAB, TABS, Filters
from sujarit.geo.queries import districts_of_province, subdistricts_of_province

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class QueueFilterForm(forms.Form):
    """The queue's tab, filters and page position, all from the query string."""

    tab = forms.ChoiceField(
        choices=[(tab.slug, tab.label) for tab in TABS], required=False, widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *ReportKind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *CaseStatus.choices], required=False
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    subdistrict = forms.ChoiceField(label=_("Subdistrict"), required=False)
    agency = forms.TypedChoiceField(
        label=_("Referred to"), coerce=int, empty_value=None, required=False
    )
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)
    before = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)
    #: Words to search for within the tab and filters (Thai or English; sujarit.textsearch).
    q = forms.CharField(
        label=_("Search cases"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Thai or English words")}),
    )
    #: The page of search results (search results are ranked, so paged by number).
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, province: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_field = self.fields["district"]
        subdistrict_field = self.fields["subdistrict"]
        agency_field = self.fields["agency"]
        assert isinstance(district_field, forms.ChoiceField)
        assert isinstance(subdistrict_field, forms.ChoiceField)
        assert isinstance(agency_field, forms.ChoiceField)
        district_field.choices = [
            ("", _("Any district")),
            *((d.code, d.name) for d in districts_of_province(province)),
        ]
        groups: dict[str, list[tuple[str, str]]] = {}
        for subdistrict in subdistricts_of_province(province):
            groups.setdefault(subdistrict.district.name, []).append(
                (subdistrict.code, subdistrict.name)
            )
        subdistrict_field.choices = [("", _("Any subdistrict")), *groups.items()]
        agency_field.choices = [
            ("", _("Any agency")),
            *((agency.pk, agency.name) for agency in agencies_serving_province(province)),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("received_from")
        end: date | None = data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date is before the start date."))
        district, subdistrict = data.get("district"), data.get("subdistrict")
        if district and subdistrict and not subdistrict.startswith(district):
            # Official codes nest: a subdistrict's code starts with its district's.
            self.add_error("subdistrict", _("This subdistrict is not in the chosen district."))
        return data

    def tab_slug(self) -> str:
        if self.is_valid() and self.cleaned_data.get("tab"):
            return str(self.cleaned_data["tab"])
        tab = self.data.get("tab", "")
        return tab if tab in {t.slug for t in TABS} else DEFAULT_TAB

    def filters(self) -> Filters:
        """The filters, or none at all while the form has errors."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            kind=data["kind"],
            status=data["status"],
            district=data["district"],
            subdistrict=data["subdistrict"],
            agency=data["agency"],
            received_from=data["received_from"],
            received_to=data["received_to"],
        )

    def search_text(self) -> str:
        """The search words, or nothing while the form has errors."""
        return str(self.cleaned_data.get("q") or "") if self.is_valid() else ""

    def filter_params(self) -> dict[str, str]:
        """The filters (and search words) as query-string values, to carry across tabs and
        pages."""
        if not self.is_valid():
            return {}
        names = ("kind", "status", "district", "subdistrict", "agency", "q")
        params = {name: str(self.cleaned_data[name] or "") for name in names}
        for name in ("received_from", "received_to"):
            value = self.cleaned_data[name]
            params[name] = value.isoformat() if value else ""
        return {key: value for key, value in params.items() if value}


class AssignForm(forms.Form):
    prefix = "assign"
    coordinator = forms.ModelChoiceField(
        label=_("Handling coordinator"),
        queryset=User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("username"),
    )


class RejectForm(forms.Form):
    prefix = "reject"
    reason = forms.CharField(
        label=_("Reason (for staff)"), widget=TEXTAREA, max_length=4000, strip=True
    )
    public_note = forms.CharField(
        label=_("What the complainant reads"),
        help_text=_("Plain words: why the centre will not act, and where else to turn."),
        widget=TEXTAREA,
        max_length=4000,
    )


class NetworkForm(forms.Form):
    prefix = "network"
    note = forms.CharField(
        label=_("Which network, and what it will do"), widget=TEXTAREA, max_length=4000
    )
    public_note = forms.CharField(
        label=_("What the complainant reads (optional)"),
        widget=TEXTAREA,
        max_length=4000,
        required=False,
    )


class ProgressForm(forms.Form):
    prefix = "progress"
    note = forms.CharField(
        label=_("What the network has started"), widget=TEXTAREA, max_length=4000
    )
    public_note = forms.CharField(
        label=_("What the complainant reads (optional)"),
        widget=TEXTAREA,
        max_length=4000,
        required=False,
    )


class ResolveForm(forms.Form):
    prefix = "resolve"
    outcome = forms.CharField(
        label=_("Outcome"),
        help_text=_("The complainant reads this outcome on the follow-up page."),
        widget=TEXTAREA,
        max_length=4000,
    )


class CloseForm(forms.Form):
    prefix = "close"
    outcome = forms.CharField(
        label=_("Outcome"),
        help_text=_("The complainant reads this outcome on the follow-up page."),
        widget=TEXTAREA,
        max_length=4000,
    )


class ReopenForm(forms.Form):
    prefix = "reopen"
    note = forms.CharField(label=_("Why the case is reopened"), widget=TEXTAREA, max_length=4000)


class ReplyForm(forms.Form):
    prefix = "reply"
    body = forms.CharField(
        label=_("Message to the complainant"),
        help_text=_(
            "Shown on the follow-up page as from the coordination centre, without your name."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class NoteForm(forms.Form):
    prefix = "note"
    note = forms.CharField(
        label=_("Internal note"),
        help_text=_("Seen by the coordination centre and auditors only."),
        widget=TEXTAREA,
        max_length=4000,
    )


class RerouteForm(forms.Form):
    prefix = "reroute"
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    rank = forms.ChoiceField(label=_("Rank of the person involved"), choices=Rank.choices)
    amount = forms.DecimalField(
        label=_("Amount involved (baht)"),
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=2,
    )
    accused_agency = forms.ModelChoiceField(
        label=_("Agency involved"), queryset=Agency.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("What was corrected, and why"), widget=TEXTAREA, max_length=4000, required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "kind": case.kind,
                "rank": case.accused_rank,
                "amount": case.amount,
                "accused_agency": case.accused_agency_id,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["accused_agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies_serving_province(case.subdistrict.province_id)


class ReferForm(forms.Form):
    """Agencies to refer to (routing's proposals preselected, any agency serving the province
    choosable), the note for them, the override reason, and the manual admissibility items."""

    prefix = "refer"
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one agency.")},
    )
    note = forms.CharField(
        label=_("Note to the agency (printed in the letter)"),
        widget=TEXTAREA,
        max_length=4000,
        required=False,
    )
    override_reason = forms.CharField(
        label=_("Override reason"),
        help_text=_(
            "Required when you choose an agency routing did not propose, or leave one out."
        ),
        widget=TEXTAREA,
        max_length=4000,
        required=False,
    )
    admissibility = forms.MultipleChoiceField(
        label=_("Admissibility items met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        case: Case,
        proposed: Iterable[int],
        manual_items: Iterable[tuple[int, str, str]],
        **kwargs: Any,
    ) -> None:
        self.case = case
        self.proposed = set(proposed)
        kwargs.setdefault("initial", {"agencies": sorted(self.proposed)})
        super().__init__(*args, **kwargs)
        agencies = self.fields["agencies"]
        assert isinstance(agencies, forms.ModelMultipleChoiceField)
        agencies.queryset = agencies_serving_province(case.subdistrict.province_id)
        admissibility = self.fields["admissibility"]
        assert isinstance(admissibility, forms.MultipleChoiceField)
        admissibility.choices = [(f"{pk}:{code}", text) for pk, code, text in manual_items]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agencies = data.get("agencies")
        if agencies and not (data.get("override_reason") or "").strip():
            if deviates_from_routing(self.case, [agency.pk for agency in agencies]):
                self.add_error(
                    "override_reason",
                    _("Say why you refer the case to other agencies than routing proposed."),
                )
        return data

    def agency_options(self) -> tuple[list[Any], list[Any]]:
        """The agency checkboxes split in two: routing's proposals first, then the others."""
        proposed: list[Any] = []
        others: list[Any] = []
        for option in self["agencies"]:
            pk = int(str(option.data["value"]))
            (proposed if pk in self.proposed else others).append(option)
        return proposed, others

    def ticked_values(self) -> set[str]:
        """The admissibility checkboxes ticked in the submitted form (none before)."""
        if not self.is_bound:
            return set()
        return {str(value) for value in self["admissibility"].value() or []}

    def ticked(self) -> dict[int, set[str]]:
        """The manual admissibility items ticked, by agency id."""
        ticked: dict[int, set[str]] = {}
        for value in self.cleaned_data.get("admissibility", []):
            pk, _colon, code = value.partition(":")
            ticked.setdefault(int(pk), set()).add(code)
        return ticked


class PublishForm(forms.Form):
    prefix = "publish"
    title = forms.CharField(
        label=_("Public title"),
        max_length=200,
        help_text=_("No names, contact details or anything else that could identify anyone."),
    )
    summary = forms.CharField(
        label=_("Public summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Write it yourself for the public: do not copy the report's words."),
    )
    outcome = forms.CharField(
        label=_("Public outcome (optional)"), widget=TEXTAREA, max_length=4000, required=False
    )
