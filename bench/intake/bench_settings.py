"""Settings of the intake benchmark: the site's own, with a URL configuration that adds the
baseline view (``bench_urls``)."""

from __future__ import annotations

from sujarit.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
