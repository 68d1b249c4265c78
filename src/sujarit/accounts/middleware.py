"""Staff must pass a second factor before they can use anything but the 2FA pages."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from sujarit.accounts.models import User
from sujarit.accounts.queries import needs_second_factor_now, two_factor_url_name

#: Pages an account that still owes its second factor may open.
OPEN_URL_NAMES = (
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
    "accounts:recovery_codes",
    "set_language",
)
API_PREFIX = "/api/"


class RequireTwoFactorMiddleware:
    """Sends a logged-in staff account that has not passed 2FA in this session to enrol or
    verify, from every page including the Django admin; API calls get a JSON 403 instead.

    It must come after django_otp's OTPMiddleware, which tells whether the session passed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            isinstance(user, User)
            and needs_second_factor_now(user)
            and not self._is_open(request.path)
        ):
            return self._refuse(request, user)
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        if path.startswith(settings.STATIC_URL or "/static/"):
            return True
        return path in {reverse(name) for name in OPEN_URL_NAMES}

    @staticmethod
    def _refuse(request: HttpRequest, user: User) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return JsonResponse(
                {
                    "code": "two_factor_required",
                    "detail": _("Two-factor verification is required for this account."),
                },
                status=403,
            )
        url = reverse(two_factor_url_name(user))
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(url)
