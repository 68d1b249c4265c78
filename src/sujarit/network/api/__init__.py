"""The network's endpoints under /api/v1/network/: organizations, plans and activities.

Reads are public and carry no member's personal data; writes need a logged-in session that
passed a second factor, and the same per-organization rights as the staff pages.
"""

from __future__ import annotations

from ninja import Router

from sujarit.network.api.activities import router as activities_router
from sujarit.network.api.organizations import router as organizations_router
from sujarit.network.api.plans import router as plans_router

router = Router(tags=["network"])
router.add_router("", organizations_router)
router.add_router("", plans_router)
router.add_router("", activities_router)
