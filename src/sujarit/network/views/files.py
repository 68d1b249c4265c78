"""Private files, served only after a permission check: never through a public URL."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from django.urls import URLPattern, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sujarit.network import queries
from sujarit.network.models import ActivityPhoto, Mou, VisitPhoto


def _serve(field_file: object, content_type: str, filename: str, *, inline: bool) -> FileResponse:
    try:
        handle = field_file.open("rb")  # type: ignore[attr-defined]
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=filename
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@cache_control(private=True, max_age=0, no_store=True)
def mou_document(request: HttpRequest, pk: int) -> FileResponse:
    mou = Mou.objects.filter(pk=pk).first()
    if mou is None or not mou.document:
        raise Http404("No document")
    if not queries.can_see_mou_document(request.user, mou):
        raise PermissionDenied
    extension = (mou.document.name or "").rsplit(".", 1)[-1]
    return _serve(
        mou.document,
        mou.document_type or "application/octet-stream",
        f"mou-{mou.pk}.{extension}",
        inline=False,
    )


@require_GET
@cache_control(public=True, max_age=3600)
def activity_photo(request: HttpRequest, pk: int) -> FileResponse:
    # Activities are public records and their photos have no metadata left: anyone may see
    # them, through this view only (the storage has no public address).
    photo = ActivityPhoto.objects.filter(pk=pk).first()
    if photo is None:
        raise Http404("No photo")
    extension = (photo.image.name or "").rsplit(".", 1)[-1]
    return _serve(photo.image, photo.content_type, f"activity-{photo.pk}.{extension}", inline=True)


@require_GET
@cache_control(private=True, max_age=0, no_store=True)
def visit_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = VisitPhoto.objects.filter(pk=pk).select_related("visit__organization").first()
    if photo is None:
        raise Http404("No photo")
    if not queries.can_see_visit_details(request.user, photo.visit):
        raise PermissionDenied
    extension = (photo.image.name or "").rsplit(".", 1)[-1]
    return _serve(photo.image, photo.content_type, f"visit-{photo.pk}.{extension}", inline=True)


urlpatterns: list[URLPattern] = [
    path("mous/<int:pk>/document/", mou_document, name="mou_document"),
    path("activities/photos/<int:pk>/", activity_photo, name="activity_photo"),
    path("visits/photos/<int:pk>/", visit_photo, name="visit_photo"),
]
