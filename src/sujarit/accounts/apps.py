from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _refresh_roles(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from sujarit.accounts.roles import ensure_roles

    ensure_roles(using=using)


class AccountsConfig(AppConfig):
    name = "sujarit.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from sujarit.accounts.views import admin_login

        # Groups follow the role table after every migrate (and after a test flush).
        post_migrate.connect(_refresh_roles, sender=self, dispatch_uid="sujarit-refresh-roles")
        # The admin's own login form would bypass the lock-out; send it to ours.
        admin.site.login = admin_login  # type: ignore[method-assign]
