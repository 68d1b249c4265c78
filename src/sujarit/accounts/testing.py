"""Helpers for tests of any app: passwords, authenticator codes and 2FA-verified sessions.

Not imported by the site itself; ``sujarit/conftest.py`` builds the personas on these.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.test import Client

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sujarit.accounts.models import User

#: The password tests give an account when they log in through the real login form.
PASSWORD = "correct horse battery staple 24"  # noqa: S105 (a test-only password)


def give_password(user: User, password: str = PASSWORD) -> str:
    """Set a usable password (personas have none, to spare an Argon2 hash per test)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def confirmed_totp_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator, made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device


def totp_token(device: TOTPDevice, *, at: float | None = None) -> str:
    """The 6-digit code the user's authenticator app would show now (or at ``at``)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def next_totp_token(device: TOTPDevice) -> str:
    """The code of the next time step: the device accepts it (tolerance 1), and unlike the
    current one it has not been used yet in this step."""
    return totp_token(device, at=time.time() + device.step)


def in_english(client: Client) -> Client:
    """Switch ``client`` to English the way the site's language button does (a cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def verified_client(user: User, client: Client | None = None) -> Client:
    """A client logged in as ``user`` whose session has passed the second factor.

    It stores the device in the session exactly as ``django_otp.login`` does after a good
    code, without spending the current code (two clients of one user may then share a step).
    """
    client = client or Client()
    client.force_login(user)
    device = confirmed_totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
