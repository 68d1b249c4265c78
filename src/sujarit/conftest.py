"""Test personas shared by every app, so that permission tests read like sentences.

    def test_officer_cannot_read_other_agency_case(officer_a, case_of_agency_b, verified_client):
        response = verified_client(officer_a).get(case_of_agency_b.url)

Alice coordinates; Bob is another coordinator; Chai works for agency A and Dao for agency B;
Grace audits; Henry administers; Malee is a network member; Eve is an outsider with no
rights anywhere. Personas have no usable password (it would cost an Argon2 hash in every
test): a test that logs in through the form calls ``give_password(user)`` first. Personas
have no province either, so they mix with any app's own geography fixtures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

import pytest

from sujarit.accounts.actions import create_user
from sujarit.accounts.models import Role, User
from sujarit.accounts.testing import verified_client as _verified_client
from sujarit.agencies.models import Agency, AgencyKind

#: Plugins for the whole suite. Enabled from ``pytest_configure`` rather than
#: ``pytest_plugins``, which pytest accepts only in the rootdir's conftest.
PLUGINS = ("sujarit.geo.testing", "sujarit.web.testing", "sujarit.cases.testing")


def pytest_configure(config: pytest.Config) -> None:
    for plugin in PLUGINS:
        if not config.pluginmanager.has_plugin(plugin):
            config.pluginmanager.import_plugin(plugin)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The Spark tests first. They are one module (one Spark session), so one worker of a
    parallel run takes all of them, and they are the longest module by far: started first, they
    run beside everything else instead of after it."""
    items.sort(key=lambda item: item.get_closest_marker("spark") is None)


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings: Any) -> None:
    """Serve static names as they are: the manifest storage of a production site needs
    ``collectstatic`` first, which a test run does not do."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _search_index_in_temp(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """A case saved in a test whose on-commit hooks run updates the embedded search index:
    keep that index out of the working tree's ``var/``."""
    settings.SUJARIT_SEARCH_INDEX_DIR = tmp_path_factory.getbasetemp() / "search-index"


@pytest.fixture(autouse=True)
def _site_language() -> Any:
    """Every test starts in the site's language, as a new process does: a request handled
    in English by an earlier test must not leave English active for the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def agency_a(db: None) -> Agency:
    return Agency.objects.create(
        code="test-agency-a",
        kind=AgencyKind.OTHER,
        level=Agency.Level.PROVINCIAL,
        name_th="หน่วยงานทดสอบ ก",
        name_en="Test agency A",
    )


@pytest.fixture
def agency_b(db: None) -> Agency:
    return Agency.objects.create(
        code="test-agency-b",
        kind=AgencyKind.OTHER,
        level=Agency.Level.PROVINCIAL,
        name_th="หน่วยงานทดสอบ ข",
        name_en="Test agency B",
    )


def _persona(username: str, role: Role, *, agency: Agency | None = None) -> User:
    return create_user(
        username=username, email=f"{username}@example.org", role=role, agency=agency, by=None
    )


@pytest.fixture
def coordinator(db: None) -> User:
    return _persona("alice", Role.COORDINATOR)


@pytest.fixture
def other_coordinator(db: None) -> User:
    return _persona("bob", Role.COORDINATOR)


@pytest.fixture
def officer_a(agency_a: Agency) -> User:
    return _persona("chai", Role.AGENCY_OFFICER, agency=agency_a)


@pytest.fixture
def officer_b(agency_b: Agency) -> User:
    return _persona("dao", Role.AGENCY_OFFICER, agency=agency_b)


@pytest.fixture
def auditor(db: None) -> User:
    return _persona("grace", Role.AUDITOR)


@pytest.fixture
def admin_user(db: None) -> User:
    return _persona("henry", Role.ADMIN)


@pytest.fixture
def member(db: None) -> User:
    return _persona("malee", Role.NETWORK_MEMBER)


@pytest.fixture
def outsider(db: None) -> User:
    """A network member of no network and no province: logged in, but entitled to nothing."""
    return _persona("eve", Role.NETWORK_MEMBER)


@pytest.fixture
def verified_client(db: None) -> Callable[[User], Client]:
    """``verified_client(user)``: a test client logged in as ``user`` and past 2FA."""

    def make(user: User) -> Client:
        return _verified_client(user)

    return make
