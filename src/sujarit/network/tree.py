"""Reads of the organization tree: descendants, ancestors, and the tree of a province.

The tree is a materialized path (see ``Organization``): descendants are the rows whose path
starts with the organization's path, one indexed range scan on PostgreSQL and SQLite alike;
ancestors are the ids written in the path, one primary-key lookup. No recursive query is
needed, and a page showing a tree of any size costs one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from sujarit.network.models import Member, Organization

_LIST_DEFER = ("description", "address")


def public_organizations() -> QuerySet[Organization]:
    """Every active organization, as public pages may list them."""
    return Organization.objects.filter(is_active=True).defer(*_LIST_DEFER)


def descendants(
    organization: Organization, *, include_self: bool = False
) -> QuerySet[Organization]:
    """Every organization below ``organization`` (children, their children…), in tree order."""
    queryset = Organization.objects.filter(path__startswith=organization.path)
    if not include_self:
        queryset = queryset.exclude(pk=organization.pk)
    return queryset.order_by("path")


def ancestors(organization: Organization, *, include_self: bool = False) -> list[Organization]:
    """The chain from the root down to the parent (and the organization itself if asked)."""
    ids = organization.ancestor_ids
    found = Organization.objects.in_bulk(ids) if ids else {}
    chain = [found[pk] for pk in ids if pk in found]
    if include_self:
        chain.append(organization)
    return chain


def subtree_q(paths: Iterable[str], *, prefix: str = "") -> Q:
    """A filter matching the organizations at or below any of ``paths``.

    ``prefix`` names the relation to the organization (``"organization__"`` for members).
    Matches nothing when there is no path.
    """
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def is_within(organization: Organization, paths: Iterable[str]) -> bool:
    """Whether ``organization`` is one of, or under one of, the organizations of ``paths``."""
    return any(organization.path.startswith(path) for path in paths if path)


@dataclass
class TreeNode:
    organization: Organization
    children: list[TreeNode] = field(default_factory=list)
    member_count: int = 0

    @property
    def subtree_size(self) -> int:
        return 1 + sum(child.subtree_size for child in self.children)


def province_tree(province_code: str) -> list[TreeNode]:
    """The active organizations of a province as a forest, with member counts; one query.

    An organization whose parent is outside the province (a regional network, say) or
    inactive starts a tree of its own, so nobody is lost from the page.
    """
    rows = list(
        public_organizations()
        .filter(province_id=province_code)
        .select_related("subdistrict", "district")
        .defer("subdistrict__boundary", "district__boundary")
        .annotate(active_members=Count("members", filter=Q(members__is_active=True), distinct=True))
        .order_by("path")
    )
    return build_forest(rows)


def build_forest(rows: Sequence[Organization]) -> list[TreeNode]:
    nodes = {row.pk: TreeNode(row, member_count=getattr(row, "active_members", 0)) for row in rows}
    roots: list[TreeNode] = []
    for row in rows:
        node = nodes[row.pk]
        parent = nodes.get(row.parent_id) if row.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    return roots


def member_counts(organization: Organization) -> dict[str, int]:
    """Active members of an organization by role: figures only, no names."""
    rows = (
        Member.objects.filter(organization=organization, is_active=True)
        .values("role")
        .annotate(n=Count("pk"))
    )
    return {row["role"]: row["n"] for row in rows}


def subtree_member_total(organization: Organization) -> int:
    return int(
        Member.objects.filter(
            organization__path__startswith=organization.path, is_active=True
        ).count()
    )
