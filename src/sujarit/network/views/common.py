"""Helpers for the staff pages: the logged-in account, and one template for plain forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.views.decorators.cache import never_cache

from sujarit.accounts.models import User


def account(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for logged-in accounts, never cached; the view checks the object rights."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return login_required(never_cache(wrapper))


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str | Promise,
    submit: str | Promise,
    cancel_url: str,
    intro: str | Promise = "",
    multipart: bool = False,
    status: int = 200,
    remove_url: str = "",
    remove_label: str | Promise = "",
) -> HttpResponse:
    return render(
        request,
        "network/staff/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "cancel_url": cancel_url,
            "intro": intro,
            "multipart": multipart,
            "remove_url": remove_url,
            "remove_label": remove_label,
        },
        status=status,
    )
