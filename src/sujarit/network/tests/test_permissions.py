"""Who may do what, organization by organization: the permission matrix.

alice: platform coordinator of 24 · bob: platform coordinator of 20 · dara: coordinator of
Mueang · malee: coordinator of Na Mueang · tom: volunteer of Na Mueang · henry: administrator
· grace: auditor · eve: nobody.
"""

from __future__ import annotations

import pytest

from sujarit.accounts.models import User
from sujarit.network import queries
from sujarit.network.models import Member, MemberRole, Mou
from sujarit.network.tests.conftest import Tree, join, make_plan, record

pytestmark = pytest.mark.django_db

ORGS = ("province", "mueang", "na_mueang", "village", "bang_khla", "bang_khla_council")


@pytest.fixture
def everyone(
    people: dict[str, User], admin_user: User, auditor: User, outsider: User
) -> dict[str, User]:
    return {**people, "henry": admin_user, "grace": auditor, "eve": outsider}


#: who → the organizations they may edit.
EDIT = {
    "henry": set(ORGS),
    "alice": set(ORGS),
    "bob": set(),
    "dara": {"mueang", "na_mueang", "village"},
    "malee": {"na_mueang", "village"},
    "tom": set(),
    "grace": set(),
    "eve": set(),
}
#: who → the organizations whose members (and their personal data) they manage.
MEMBERS = {**EDIT, "alice": set()}
#: who → the organizations they may record activities and visits for.
ACT = {**EDIT, "tom": {"na_mueang"}}


@pytest.mark.parametrize("who", sorted(EDIT))
@pytest.mark.parametrize("which", ORGS)
def test_edit_matrix(network: Tree, everyone: dict[str, User], who: str, which: str) -> None:
    organization = getattr(network, which)
    user = everyone[who]
    assert queries.can_edit_organization(user, organization) is (which in EDIT[who])
    assert queries.can_manage_members(user, organization) is (which in MEMBERS[who])
    assert queries.can_act_for_organization(user, organization) is (which in ACT[who])


@pytest.mark.parametrize("who", sorted(EDIT))
def test_querysets_agree_with_the_predicates(
    network: Tree, everyone: dict[str, User], who: str
) -> None:
    user = everyone[who]
    editable = {org.code for org in queries.editable_organizations(user)}
    actable = {org.code for org in queries.actable_organizations(user)}
    assert editable == {getattr(network, name).code for name in EDIT[who]}
    assert actable == {getattr(network, name).code for name in ACT[who]}


def test_anonymous_visitors_may_do_nothing(network: Tree) -> None:
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert not queries.can_edit_organization(anonymous, network.province)
    assert not queries.can_add_organization(anonymous, None)
    assert not queries.is_network_staff(anonymous)
    assert not queries.members_visible_to(anonymous).exists()


def test_root_organizations_are_for_administrators_and_platform_coordinators(
    network: Tree, everyone: dict[str, User]
) -> None:
    allowed = {who for who, user in everyone.items() if queries.can_add_organization(user, None)}
    assert allowed == {"henry", "alice", "bob"}


def test_a_deactivated_account_loses_its_rights(network: Tree, everyone: dict[str, User]) -> None:
    dara = everyone["dara"]
    dara.is_active = False
    dara.save(update_fields=["is_active"])
    dara = User.objects.get(pk=dara.pk)
    assert not queries.can_edit_organization(dara, network.mueang)


def test_an_ended_membership_ends_the_rights(network: Tree, everyone: dict[str, User]) -> None:
    from sujarit.network import actions

    malee = everyone["malee"]
    membership = Member.objects.get(user=malee)
    actions.remove_member(member=membership, by=None)
    malee = User.objects.get(pk=malee.pk)
    assert not queries.can_edit_organization(malee, network.na_mueang)


def test_personal_data_is_for_coordinators_above_admins_and_the_member(
    network: Tree, everyone: dict[str, User]
) -> None:
    tom_membership = Member.objects.get(user=everyone["tom"])
    lone = join(None, network.village, MemberRole.VOLUNTEER, code="m-lone")
    readers = {
        who
        for who, user in everyone.items()
        if queries.can_see_member_personal_data(user, tom_membership)
    }
    assert readers == {"henry", "dara", "malee", "tom"}
    visible_to_tom = set(queries.members_visible_to(everyone["tom"]))
    assert visible_to_tom == {tom_membership}
    assert lone in set(queries.members_visible_to(everyone["dara"]))
    assert lone not in set(queries.members_visible_to(everyone["alice"]))


def test_plans_follow_their_organization(network: Tree, everyone: dict[str, User]) -> None:
    plan = make_plan(
        network.na_mueang,
        area_level="subdistrict",
        subdistrict=network.na_mueang.subdistrict,
        status="draft",
    )
    editors = {who for who, user in everyone.items() if queries.can_edit_plan(user, plan)}
    assert editors == {"henry", "alice", "dara", "malee"}
    # A draft is not public; its editors still see it.
    from django.contrib.auth.models import AnonymousUser

    assert not queries.can_see_plan(AnonymousUser(), plan)
    assert queries.can_see_plan(everyone["malee"], plan)


def test_activities_count_towards_own_and_ancestor_plans_only(
    network: Tree, everyone: dict[str, User]
) -> None:
    from sujarit.network.tests.conftest import planned

    own = planned(
        make_plan(
            network.na_mueang, area_level="subdistrict", subdistrict=network.na_mueang.subdistrict
        ),
        1,
        "activities",
        2,
    )
    above = planned(make_plan(network.mueang), 1, "activities", 2)
    unrelated = planned(make_plan(network.bang_khla), 1, "activities", 2)
    linkable = set(queries.linkable_plan_activities(everyone["tom"]))
    assert linkable == {own, above}
    assert unrelated in set(queries.linkable_plan_activities(everyone["alice"]))


def test_editing_an_activity(network: Tree, everyone: dict[str, User]) -> None:
    by_tom = record([network.na_mueang], by=everyone["tom"])
    by_malee = record([network.na_mueang], by=everyone["malee"])
    assert queries.can_edit_activity(everyone["tom"], by_tom)
    assert not queries.can_edit_activity(everyone["tom"], by_malee)
    assert queries.can_edit_activity(everyone["malee"], by_tom)
    assert queries.can_edit_activity(everyone["dara"], by_tom)
    assert not queries.can_edit_activity(everyone["bob"], by_tom)
    assert not queries.can_edit_activity(everyone["eve"], by_tom)


def test_province_records_and_mou_documents(network: Tree, everyone: dict[str, User]) -> None:
    managers = {
        who for who, user in everyone.items() if queries.can_manage_province_records(user, "24")
    }
    assert managers == {"henry", "alice"}
    mou = Mou.objects.create(
        title="x", province_id="24", signed_on="2023-03-16", starts_on="2023-03-16"
    )
    mou.organizations.add(network.mueang)
    readers = {who for who, user in everyone.items() if queries.can_see_mou_document(user, mou)}
    assert readers == {"henry", "grace", "alice", "dara"}
