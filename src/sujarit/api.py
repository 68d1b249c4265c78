"""The JSON API under /api/v1/, documented as OpenAPI at /api/v1/openapi.json (browsable at
/api/v1/docs). Each app adds its router here."""

from __future__ import annotations

from ninja import NinjaAPI

from sujarit.cases.api.figures import router as figures_router
from sujarit.cases.api.reports import router as reports_router
from sujarit.evidence.api import router as evidence_router
from sujarit.network.api import router as network_router

api = NinjaAPI(
    title="Sujarit API",
    version="1",
    description=(
        "Reports from citizens (anonymous, confidential or named), their follow-up by receipt "
        "code, and agency response figures."
    ),
    urls_namespace="api",
)
api.add_router("/reports", reports_router)
api.add_router("/reports/evidence", evidence_router)
api.add_router("/figures", figures_router)
api.add_router("/network", network_router)
