"""Whether the database holds generated demo records (then every page says so)."""

from __future__ import annotations


def has_demo_data() -> bool:
    from sujarit.accounts.models import User
    from sujarit.agencies.models import Agency

    return (
        User.objects.filter(is_demo=True).exists() or Agency.objects.filter(is_demo=True).exists()
    )
