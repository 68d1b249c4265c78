"""The agency response figures page, for staff.

Coordinators, auditors and administrators see every agency; an agency officer sees their own
agency's row and the province totals, so that each agency can compare itself with the whole
without reading another agency's figures (``queries.agency_figures_scope``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sujarit.cases import queries
from sujarit.cases.figures import agency_response_figures, default_range


class FiguresRangeForm(forms.Form):
    since = forms.DateField(
        label=_("Referred from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        until = data.get("until") or timezone.localdate()
        since = data.get("since") or default_range(until)[0]
        if since > until:
            raise forms.ValidationError(
                _("The start of the range must not be after its end."), code="range"
            )
        data["since"], data["until"] = since, until
        return data


@require_safe
@login_required
def agency_figures(request: HttpRequest) -> HttpResponse:
    if not queries.can_view_agency_figures(request.user):
        raise PermissionDenied
    data = request.GET.copy()
    if not data.get("since") and not data.get("until"):
        # Show the default range in the form, so that the page says what it counts.
        since, until = default_range()
        data.update({"since": since.isoformat(), "until": until.isoformat()})
    form = FiguresRangeForm(data)
    if not form.is_valid():
        return render(
            request, "cases/figures/agencies.html", {"form": form, "report": None}, status=400
        )
    report = agency_response_figures(
        since=form.cleaned_data["since"],
        until=form.cleaned_data["until"],
        agency_id=queries.agency_figures_scope(request.user),
    )
    return render(request, "cases/figures/agencies.html", {"form": form, "report": report})


urlpatterns: list[URLPattern] = [
    path("figures/agencies/", agency_figures, name="agency-figures"),
]
