"""The routing settings in the Django admin: routing rules, service levels, admissibility items
and retention policies. Only administrators reach the admin.

Cases, complainants and everything else about a case are deliberately *not* registered: the
admin would show identities and let rows change without the workflow's checks and audit. Staff
handle cases through the case pages. Every save and delete here goes through
``sujarit.cases.rules``, which records the audit event. Reports waiting in the intake inbox
are listed read-only (never their sealed content), to retry those that failed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from sujarit.accounts.models import User
from sujarit.agencies.models import AgencyKind
from sujarit.audit.actions import record
from sujarit.cases import rules
from sujarit.cases.models import (
    AdmissibilityItem,
    CaseStatus,
    PendingReport,
    Rank,
    ReportKind,
    RetentionPolicy,
    RoutingRule,
    ServiceLevel,
)
from sujarit.cases.retention import DEFAULT_RETENTION_DAYS, RETAINED_STATUSES
from sujarit.geo.models import Province
from sujarit.lib.admin import ReadOnlyAdmin


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def province_choices() -> list[tuple[str, str]]:
    return [
        (code, f"{code} {name}")
        for code, name in Province.objects.order_by("code").values_list("code", "name_th")
    ]


class RoutingRuleForm(forms.ModelForm[RoutingRule]):
    # The conditions are lists of known values: choices, not raw JSON, so that a typo cannot
    # make a rule silently match nothing.
    kinds = forms.MultipleChoiceField(
        label=_("report kinds"),
        choices=ReportKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )
    ranks = forms.MultipleChoiceField(
        label=_("ranks of the person involved"),
        choices=Rank.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any rank."),
    )
    accused_agency_kinds = forms.MultipleChoiceField(
        label=_("kinds of the agency involved"),
        choices=AgencyKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: whatever agency is involved, or none."),
    )
    provinces = forms.MultipleChoiceField(
        label=_("provinces"),
        choices=province_choices,
        required=False,
        widget=FilteredSelectMultiple(_("provinces"), is_stacked=False),
        help_text=_("None chosen: every province."),
    )

    class Meta:
        model = RoutingRule
        fields = (
            "code",
            "priority",
            "is_active",
            "stop",
            "kinds",
            "ranks",
            "accused_agency_kinds",
            "min_amount",
            "max_amount",
            "provinces",
            "target_kind",
            "reason_th",
            "reason_en",
            "source",
            "unverified",
        )
        help_texts = {
            "priority": _("Rules are read from the lowest number up."),
            "stop": _("When this rule matches, the rules after it are not read."),
            "min_amount": _("Baht. The rule matches amounts at or above it."),
            "max_amount": _("Baht. The rule matches amounts below it."),
            "target_kind": _(
                "The kind of agency proposed; the engine finds the one serving the case's area."
            ),
            "unverified": _("What the sources do not settle. Empty when the rule is verified."),
        }

    def _clean_amount(self, name: str) -> Decimal | None:
        value: Decimal | None = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise forms.ValidationError(_("An amount cannot be negative."), code="negative")
        return value

    def clean_min_amount(self) -> Decimal | None:
        return self._clean_amount("min_amount")

    def clean_max_amount(self) -> Decimal | None:
        return self._clean_amount("max_amount")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("min_amount"), cleaned.get("max_amount")
        if low is not None and high is not None and low >= high:
            self.add_error(
                "max_amount",
                forms.ValidationError(
                    _("The upper amount must be above the minimum amount."), code="amount_order"
                ),
            )
        return cleaned


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    form = RoutingRuleForm
    list_display = (
        "code",
        "priority",
        "conditions",
        "target_kind",
        "stop",
        "is_active",
        "is_default",
        "customized",
    )
    list_filter = ("is_active", "is_default", "customized", "target_kind")
    search_fields = ("code", "reason_th", "reason_en")
    ordering = ("priority", "code")
    actions = ("restore_shipped_version",)
    fieldsets = (
        (None, {"fields": ("code", "priority", "is_active", "stop", "is_default", "customized")}),
        (
            _("Conditions"),
            {
                "fields": (
                    "kinds",
                    "ranks",
                    "accused_agency_kinds",
                    "min_amount",
                    "max_amount",
                    "provinces",
                ),
                "description": _(
                    "A rule matches a report when every condition it sets holds; a condition "
                    "left empty is no condition."
                ),
            },
        ),
        (_("Competent agency"), {"fields": ("target_kind",)}),
        (_("Reason and source"), {"fields": ("reason_th", "reason_en", "source", "unverified")}),
    )

    @admin.display(description=_("conditions"))
    def conditions(self, rule: RoutingRule) -> str:
        parts = []
        kind_labels = dict(ReportKind.choices)
        rank_labels = dict(Rank.choices)
        agency_labels = dict(AgencyKind.choices)
        if rule.kinds:
            parts.append(", ".join(str(kind_labels.get(k, k)) for k in rule.kinds))
        if rule.ranks:
            parts.append(", ".join(str(rank_labels.get(r, r)) for r in rule.ranks))
        if rule.accused_agency_kinds:
            parts.append(", ".join(str(agency_labels.get(a, a)) for a in rule.accused_agency_kinds))
        if rule.min_amount is not None:
            parts.append(gettext("≥ %(amount)s baht") % {"amount": f"{rule.min_amount:,.0f}"})
        if rule.max_amount is not None:
            parts.append(gettext("< %(amount)s baht") % {"amount": f"{rule.max_amount:,.0f}"})
        if rule.provinces:
            parts.append(", ".join(rule.provinces))
        return " · ".join(parts) or gettext("every report")

    def get_readonly_fields(
        self, request: HttpRequest, obj: RoutingRule | None = None
    ) -> tuple[str, ...]:
        # The code ties a default rule to its row in the data file: renamed, it would come
        # back as a second rule at the next load.
        if obj is not None and obj.is_default:
            return ("code", "is_default", "customized")
        return ("is_default", "customized")

    def has_delete_permission(self, request: HttpRequest, obj: RoutingRule | None = None) -> bool:
        # A default rule is switched off instead: deleted, the next load would bring it back.
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        # The bulk delete would bypass the per-rule check above.
        actions.pop("delete_selected", None)
        return actions

    def save_model(
        self,
        request: HttpRequest,
        obj: RoutingRule,
        form: forms.ModelForm[RoutingRule],
        change: bool,
    ) -> None:
        rules.save_rule(rule=obj, by=_actor(request))

    def delete_model(self, request: HttpRequest, obj: RoutingRule) -> None:
        rules.delete_rule(rule=obj, by=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoutingRule]) -> None:
        for rule in queryset:
            rules.delete_rule(rule=rule, by=_actor(request))

    @admin.action(description=_("Restore the shipped version of the selected default rules"))
    def restore_shipped_version(
        self, request: HttpRequest, queryset: QuerySet[RoutingRule]
    ) -> None:
        if not self.has_change_permission(request):
            return
        counts = rules.restore_default_rules(rules=queryset, by=_actor(request))
        self.message_user(
            request,
            ngettext("%(count)s rule restored.", "%(count)s rules restored.", len(counts.updated))
            % {"count": len(counts.updated)},
            messages.SUCCESS,
        )


class ServiceLevelForm(forms.ModelForm[ServiceLevel]):
    class Meta:
        model = ServiceLevel
        fields = ("status", "days")
        help_texts = {"days": _("Days a case may stay in this state before it is overdue.")}

    def clean_days(self) -> int:
        days: int = self.cleaned_data["days"]
        if days < 1:
            raise forms.ValidationError(_("Give at least one day."), code="too_few_days")
        return days


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin[ServiceLevel]):
    form = ServiceLevelForm
    list_display = ("status", "days")
    ordering = ("status",)

    def save_model(
        self,
        request: HttpRequest,
        obj: ServiceLevel,
        form: forms.ModelForm[ServiceLevel],
        change: bool,
    ) -> None:
        rules.save_service_level(level=obj, by=_actor(request))

    def delete_model(self, request: HttpRequest, obj: ServiceLevel) -> None:
        rules.delete_service_level(level=obj, by=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ServiceLevel]) -> None:
        for level in queryset:
            rules.delete_service_level(level=level, by=_actor(request))


class RetentionPolicyForm(forms.ModelForm[RetentionPolicy]):
    class Meta:
        model = RetentionPolicy
        fields = ("kind", "status", "days")
        help_texts = {
            "kind": _("Leave empty for every kind of report without a rule of its own."),
            "days": _(
                "Days the complainant's personal data is kept after the case entered this "
                "status; then it is purged and the anonymised case kept."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status, kind = self.fields["status"], self.fields["kind"]
        assert isinstance(status, forms.ChoiceField) and isinstance(kind, forms.ChoiceField)
        status.choices = [(value, CaseStatus(value).label) for value in RETAINED_STATUSES]
        kind.choices = [("", gettext("Every kind")), *ReportKind.choices]
        defaults = ", ".join(
            f"{status}: {days}" for status, days in sorted(DEFAULT_RETENTION_DAYS.items())
        )
        status.help_text = gettext("Without a rule, the days kept are: %(defaults)s.") % {
            "defaults": defaults
        }

    def clean_days(self) -> int:
        days: int = self.cleaned_data["days"]
        if days < 1:
            raise forms.ValidationError(_("Give at least one day."), code="too_few_days")
        return days


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin[RetentionPolicy]):
    form = RetentionPolicyForm
    list_display = ("status", "kind", "days")
    ordering = ("status", "kind")

    def save_model(
        self,
        request: HttpRequest,
        obj: RetentionPolicy,
        form: forms.ModelForm[RetentionPolicy],
        change: bool,
    ) -> None:
        rules.save_retention_policy(policy=obj, by=_actor(request))

    def delete_model(self, request: HttpRequest, obj: RetentionPolicy) -> None:
        rules.delete_retention_policy(policy=obj, by=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RetentionPolicy]) -> None:
        for policy in queryset:
            rules.delete_retention_policy(policy=policy, by=_actor(request))


class AdmissibilityItemForm(forms.ModelForm[AdmissibilityItem]):
    class Meta:
        model = AdmissibilityItem
        fields = (
            "target_kind",
            "code",
            "order",
            "is_active",
            "test",
            "years",
            "text_th",
            "text_en",
            "source",
            "unverified",
        )
        help_texts = {
            "target_kind": _(
                "A provincial or regional office also uses the items of its national body; "
                "every local administrative organization uses the items of “local”."
            ),
            "test": _("Checked automatically from the report, or by the coordinator."),
            "years": _("Only for the time limit test."),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        test, years = cleaned.get("test"), cleaned.get("years")
        if test == AdmissibilityItem.Check.WITHIN_TIME_LIMIT and not years:
            self.add_error(
                "years",
                forms.ValidationError(
                    _("Give the time limit in years (1 or more)."), code="years_required"
                ),
            )
        elif test and test != AdmissibilityItem.Check.WITHIN_TIME_LIMIT and years is not None:
            self.add_error(
                "years",
                forms.ValidationError(
                    _("Years are only for the time limit test: leave this empty."),
                    code="years_not_used",
                ),
            )
        return cleaned


@admin.register(AdmissibilityItem)
class AdmissibilityItemAdmin(admin.ModelAdmin[AdmissibilityItem]):
    form = AdmissibilityItemForm
    list_display = (
        "target_kind",
        "order",
        "code",
        "test",
        "years",
        "is_active",
        "is_default",
        "customized",
    )
    list_filter = ("target_kind", "test", "is_active", "is_default")
    search_fields = ("code", "text_th", "text_en")
    ordering = ("target_kind", "order", "code")

    def get_readonly_fields(
        self, request: HttpRequest, obj: AdmissibilityItem | None = None
    ) -> tuple[str, ...]:
        if obj is not None and obj.is_default:
            return ("target_kind", "code", "is_default", "customized")
        return ("is_default", "customized")

    def has_delete_permission(
        self, request: HttpRequest, obj: AdmissibilityItem | None = None
    ) -> bool:
        if obj is not None and obj.is_default:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(
        self,
        request: HttpRequest,
        obj: AdmissibilityItem,
        form: forms.ModelForm[AdmissibilityItem],
        change: bool,
    ) -> None:
        rules.save_admissibility_item(item=obj, by=_actor(request))

    def delete_model(self, request: HttpRequest, obj: AdmissibilityItem) -> None:
        rules.delete_admissibility_item(item=obj, by=_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AdmissibilityItem]) -> None:
        for item in queryset:
            rules.delete_admissibility_item(item=item, by=_actor(request))


@admin.register(PendingReport)
class PendingReportAdmin(ReadOnlyAdmin):
    """Reports acknowledged by the API and not yet cases: when, how many failed attempts and
    the error's class. Never the report itself (it is sealed, and holds the contact details).
    Read-only, but for one action: try again after five failures."""

    list_display = ("id", "received_at", "registered_at", "attempts", "last_error")
    list_filter = (("registered_at", admin.EmptyFieldListFilter),)
    fields = ("id", "received_at", "registered_at", "case", "attempts", "last_error")
    readonly_fields = fields
    ordering = ("-received_at",)
    actions = ("try_again",)

    @admin.action(description=_("Try registering again"))
    def try_again(self, request: HttpRequest, queryset: QuerySet[PendingReport]) -> None:
        rows = list(queryset.filter(registered_at__isnull=True).values_list("pk", flat=True))
        PendingReport.objects.filter(pk__in=rows).update(attempts=0)
        record(
            actor=_actor(request),
            action="intake.retry_registration",
            target=None,
            data={"reports": len(rows)},
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d report will be registered again.",
                "%(count)d reports will be registered again.",
                len(rows),
            )
            % {"count": len(rows)},
            messages.SUCCESS,
        )
