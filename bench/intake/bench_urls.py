"""The benchmark's baseline: the site's own URLs plus one minimal view that only inserts one
row into PostgreSQL. Served by the same production server as the intake path, so that the
ratio between the two measures what intake adds (validation, hashing, routing, the case, its
event and its audit record) and nothing else."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from sujarit.urls import urlpatterns as site_urlpatterns


@csrf_exempt
def insert_one(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_baseline (idempotency_key, body) VALUES (%s, %s)",
            [request.headers.get("Idempotency-Key", ""), request.body.decode()],
        )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/baseline/", insert_one), *site_urlpatterns]
