"""What the network endpoints share: session authentication for writes, error mapping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ninja.errors import HttpError
from ninja.security import SessionAuth

from sujarit.accounts.models import User
from sujarit.network import queries

#: Most rows a list returns in one call; ask for the next page with ``offset``.
MAX_LIMIT = 500


class VerifiedSession(SessionAuth):
    """A logged-in session (CSRF-checked, as Django Ninja does for cookies) that passed a
    second factor: API writes need it whatever the account's role."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if not queries.can_write_through_api(user):
            raise HttpError(403, _("Writes need a session that passed two-factor verification."))
        return user if isinstance(user, User) else None


verified_session = VerifiedSession()


def writer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


@contextmanager
def action_errors() -> Iterator[None]:
    """Turn an action's refusals into API errors: 403 for rights, 400 for bad values."""
    try:
        yield
    except PermissionDenied:
        raise HttpError(403, _("You may not change this record.")) from None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            text = "; ".join(
                f"{name}: {message}" if name != "__all__" else str(message)
                for name, messages in error.message_dict.items()
                for message in messages
            )
        else:
            text = "; ".join(str(message) for message in error.messages)
        raise HttpError(400, text) from None


def page(limit: int, offset: int) -> slice:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    return slice(offset, offset + limit)
