"""``sujarit demo`` makes one clearly labelled account per role, once."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password

import pytest

from sujarit.accounts.demo import DEMO_USERS, create_demo_users
from sujarit.accounts.models import Role, User
from sujarit.agencies.models import Agency

pytestmark = pytest.mark.django_db


def test_one_demo_account_per_role_with_a_strong_password(agency_a: Agency) -> None:
    created = create_demo_users(province_code="24", agency_for_officer=agency_a)

    assert {user.role for user, _ in created} == set(Role.values)
    for user, password in created:
        assert user.is_demo
        assert user.username.startswith("demo-")
        assert user.check_password(password)
        validate_password(password, user)
    officer = User.objects.get(username="demo-officer")
    assert officer.agency == agency_a
    assert User.objects.get(username="demo-admin").is_staff
    assert len({password for _, password in created}) == len(created)


def test_running_it_again_changes_nothing_and_reveals_no_password(agency_a: Agency) -> None:
    first = create_demo_users(province_code="24", agency_for_officer=agency_a)
    hashes = dict(User.objects.values_list("username", "password"))

    again = create_demo_users(province_code="24", agency_for_officer=agency_a)

    assert len(first) == len(DEMO_USERS)
    assert again == []
    assert dict(User.objects.values_list("username", "password")) == hashes


def test_demo_accounts_get_the_province_when_it_is_loaded(agency_a: Agency) -> None:
    from sujarit.geo.models import Province

    Province.objects.create(code="24", name_th="ฉะเชิงเทรา", name_en="Chachoengsao")
    create_demo_users(province_code="24", agency_for_officer=agency_a)
    assert User.objects.get(username="demo-coordinator").province_id == "24"
    assert User.objects.get(username="demo-auditor").province_id is None
