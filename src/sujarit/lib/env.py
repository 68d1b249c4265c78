"""Typed readers for environment variables.

Every setting of the site comes from the environment through these helpers. Each one fails
loudly with the variable's name when the value cannot be used, so that a typo in a deployment
stops the start-up instead of silently falling back to a default. Every name read is recorded
in ``DOCUMENTED`` so a test can check that the README's configuration table is complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

#: Names of every variable the settings read, with a one-line description of the default.
DOCUMENTED: dict[str, str] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ImproperlyConfigured):
    """A variable is set to a value the site cannot use."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        self.name = name
        super().__init__(f"Environment variable {name}={value!r} is invalid: expected {expected}.")


def _raw(name: str, default: str, environ: Mapping[str, str] | None) -> str | None:
    if environ is None:
        DOCUMENTED.setdefault(name, default)
        return os.environ.get(name)
    return environ.get(name)


def env_str(
    name: str,
    default: str = "",
    *,
    shown_default: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    value = _raw(name, default if shown_default is None else shown_default, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, "true" if default else "false", environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(name, value, "one of true/false, yes/no, on/off, 1/0")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, str(default), environ)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise EnvError(name, value, "a whole number") from None
    if minimum is not None and number < minimum:
        raise EnvError(name, value, f"a whole number of at least {minimum}")
    return number


def env_list(
    name: str, default: list[str], *, environ: Mapping[str, str] | None = None
) -> list[str]:
    value = _raw(name, ",".join(default), environ)
    if value is None:
        return list(default)
    return [part.strip() for part in value.split(",") if part.strip()]


def env_parsed(
    name: str,
    default: T,
    parse: Callable[[str], T],
    expected: str,
    *,
    shown_default: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> T:
    """Read ``name`` and turn it into a value with ``parse``; any exception names the variable."""
    value = _raw(name, shown_default if shown_default is not None else str(default), environ)
    if value is None:
        return default
    try:
        return parse(value)
    except (ValueError, TypeError, KeyError):
        raise EnvError(name, value, expected) from None


def s3_storage(*, bucket: str, endpoint_url: str = "", region: str = "") -> dict[str, Any]:
    """The ``STORAGES`` entry of a private S3-compatible bucket (django-storages): objects
    private, links signed, a name never silently replaced by another file."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
