from __future__ import annotations

from django.contrib import admin

from sujarit.audit.models import AuditEvent
from sujarit.lib.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the log is written by domain actions and never edited by hand."""

    list_display = ("seq", "at", "actor_label", "action", "target_type", "target_id")
    list_filter = ("action", "target_type")
    search_fields = ("action", "target_type", "target_id", "actor_label")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "data",
        "seq",
        "prev_hash",
        "hash",
    )
