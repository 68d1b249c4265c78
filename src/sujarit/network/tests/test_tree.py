"""The organization tree: descendants, ancestors, moving a subtree, the province's tree."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

import pytest
from pytest_django import DjangoAssertNumQueries

from sujarit.audit.models import AuditEvent
from sujarit.network import actions
from sujarit.network.actions.organizations import OrganizationInput
from sujarit.network.models import Organization
from sujarit.network.tests.conftest import Tree
from sujarit.network.tree import ancestors, descendants, province_tree, subtree_q

pytestmark = pytest.mark.django_db


def codes(organizations: Iterable[Organization]) -> list[str]:
    return [org.code for org in organizations]


def same_place(org: Organization, **changes: object) -> OrganizationInput:
    values = OrganizationInput(
        code=org.code,
        name_th=org.name_th,
        kind=org.kind,
        level=org.level,
        parent=org.parent,
        province=org.province,
        district=org.district,
        subdistrict=org.subdistrict,
        village=org.village,
    )
    for name, value in changes.items():
        setattr(values, name, value)
    return values


def test_descendants_are_the_whole_subtree_in_tree_order(network: Tree) -> None:
    assert codes(descendants(network.province)) == [
        "net-2401",
        "council-240101",
        "village-240101-3",
        "net-2402",
        "council-240201",
    ]
    assert codes(descendants(network.mueang)) == ["council-240101", "village-240101-3"]
    assert codes(descendants(network.mueang, include_self=True))[0] == "net-2401"
    assert codes(descendants(network.village)) == []


def test_ancestors_go_from_the_root_down_in_one_query(
    network: Tree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        chain = ancestors(network.village)
    assert codes(chain) == ["net-24", "net-2401", "council-240101"]
    assert ancestors(network.province) == []
    assert codes(ancestors(network.na_mueang, include_self=True))[-1] == "council-240101"


def test_paths_and_depths_are_written_on_create(network: Tree) -> None:
    assert network.province.depth == 0 and network.village.depth == 3
    assert network.village.path.startswith(network.na_mueang.path)
    assert network.village.ancestor_ids == [
        network.province.pk,
        network.mueang.pk,
        network.na_mueang.pk,
    ]


def test_moving_an_organization_moves_its_whole_subtree(network: Tree) -> None:
    actions.update_organization(
        organization=network.na_mueang,
        values=same_place(network.na_mueang, parent=network.bang_khla),
        by=None,
    )
    village = Organization.objects.get(code="village-240101-3")
    assert codes(ancestors(village)) == ["net-24", "net-2402", "council-240101"]
    assert village.depth == 3
    assert codes(descendants(Organization.objects.get(code="net-2402"))) == [
        "council-240101",
        "village-240101-3",
        "council-240201",
    ]
    assert codes(descendants(Organization.objects.get(code="net-2401"))) == []
    event = AuditEvent.objects.filter(action="network.organization_updated").last()
    assert event is not None and event.data["fields"] == ["parent"]


def test_moving_to_the_root_makes_depth_zero(network: Tree) -> None:
    actions.update_organization(
        organization=network.mueang, values=same_place(network.mueang, parent=None), by=None
    )
    mueang = Organization.objects.get(code="net-2401")
    village = Organization.objects.get(code="village-240101-3")
    assert (mueang.depth, village.depth) == (0, 2)
    assert codes(ancestors(village)) == ["net-2401", "council-240101"]


def test_an_organization_cannot_go_under_its_own_subtree(network: Tree) -> None:
    with pytest.raises(ValidationError) as error:
        actions.update_organization(
            organization=network.mueang,
            values=same_place(network.mueang, parent=network.village),
            by=None,
        )
    assert "parent" in error.value.message_dict
    assert Organization.objects.get(code="net-2401").parent_id == network.province.pk


def test_subtree_filter_matches_several_subtrees(network: Tree) -> None:
    found = Organization.objects.filter(subtree_q([network.na_mueang.path, network.bang_khla.path]))
    assert set(codes(found)) == {"council-240101", "village-240101-3", "net-2402", "council-240201"}
    assert not Organization.objects.filter(subtree_q([])).exists()


def test_province_tree_is_one_query_whatever_its_size(
    network: Tree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        roots = province_tree("24")
    assert codes(node.organization for node in roots) == ["net-24"]
    (root,) = roots
    assert root.subtree_size == 6
    assert codes(child.organization for child in root.children) == ["net-2401", "net-2402"]


def test_an_organization_whose_parent_is_inactive_starts_its_own_tree(network: Tree) -> None:
    Organization.objects.filter(pk=network.mueang.pk).update(is_active=False)
    roots = province_tree("24")
    assert codes(node.organization for node in roots) == ["net-24", "council-240101"]


def test_area_is_completed_upwards_and_checked_against_the_level(network: Tree) -> None:
    assert network.village.district_id == "2401" and network.village.province_id == "24"
    with pytest.raises(ValidationError) as error:
        actions.create_organization(
            values=OrganizationInput(code="x", name_th="x", kind="network", level="district"),
            by=None,
        )
    assert "district" in error.value.message_dict
    with pytest.raises(ValidationError):
        actions.create_organization(
            values=OrganizationInput(
                code="y",
                name_th="y",
                kind="community_organization",
                level="village",
                subdistrict=network.na_mueang.subdistrict,
            ),
            by=None,
        )
