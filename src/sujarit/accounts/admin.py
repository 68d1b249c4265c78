"""Accounts in the Django admin. Roles change only through ``actions``, so they stay audited.

django-otp's own device pages are removed from the admin: they show the authenticator's
secret key to whoever opens them. A lost phone is handled by the "reset two-step login"
action here instead.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sujarit.accounts import actions
from sujarit.accounts.models import User

for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


class UserAddForm(UserCreationForm):  # type: ignore[type-arg]
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role", "agency", "province")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    add_form = UserAddForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "role",
                    "agency",
                    "province",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "agency", "province")}),
        (
            _("Status"),
            {
                "fields": (
                    "is_active",
                    "is_demo",
                    "failed_logins",
                    "locked_until",
                    "last_login",
                    "date_joined",
                    "is_staff",
                    "is_superuser",
                    "groups",
                )
            },
        ),
    )
    # Groups and admin access follow from the role; failures and locks from logging in.
    readonly_fields = (
        "is_demo",
        "failed_logins",
        "locked_until",
        "last_login",
        "date_joined",
        "is_staff",
        "is_superuser",
        "groups",
    )
    list_display = ("username", "role", "agency", "is_active", "is_demo", "locked_until")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "first_name", "last_name")
    list_select_related = ("agency",)
    actions = ("unlock_accounts", "reset_two_step_login")

    def save_model(
        self, request: HttpRequest, obj: User, form: ModelForm[User], change: bool
    ) -> None:
        by = request.user if isinstance(request.user, User) else None
        if not change:
            created = actions.create_user(
                username=obj.username,
                email=obj.email,
                role=obj.role,
                agency=obj.agency,
                province=obj.province,
                password=form.cleaned_data.get("password1") or None,
                by=by,
            )
            # The admin goes on to log and redirect with the object it built; give it the row.
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        changed = set(form.changed_data)
        if changed & {"role", "agency"}:
            actions.set_role(user=obj, role=obj.role, agency=obj.agency, by=by)
        super().save_model(request, obj, form, change)
        if changed - {"role", "agency"}:
            actions.record_account_change(
                user=obj, fields=sorted(changed - {"role", "agency"}), by=by
            )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        # Django's own view saves the password; a redirect after a POST means it did.
        if request.method == "POST" and response.status_code == 302:
            by = request.user if isinstance(request.user, User) else None
            user = self.get_object(request, id)
            if user is not None:
                actions.record_account_change(user=user, fields=["password"], by=by)
        return response

    @admin.action(description=_("Unlock the selected accounts"))
    def unlock_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        by = request.user if isinstance(request.user, User) else None
        for user in queryset:
            actions.unlock_user(user=user, by=by)
        self.message_user(request, _("Accounts unlocked."), messages.SUCCESS)

    @admin.action(description=_("Reset two-step login (lost phone)"))
    def reset_two_step_login(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        by = request.user if isinstance(request.user, User) else None
        for user in queryset:
            actions.reset_two_factor(user=user, by=by)
        self.message_user(
            request,
            _("Two-step login reset: these accounts set up an authenticator at next login."),
            messages.SUCCESS,
        )
