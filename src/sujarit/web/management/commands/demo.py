"""``sujarit demo``: generate clearly labelled demo data for the configured province."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sujarit.agencies.models import Agency
from sujarit.geo.models import Province


class Command(BaseCommand):
    help = (
        "Create demo accounts (one per role; passwords printed once), demo local agencies "
        "and demo cases in every state for the configured province. Everything created is "
        "marked as demo. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from sujarit.accounts.demo import create_demo_users
        from sujarit.accounts.models import User
        from sujarit.agencies.demo import create_demo_local_agencies
        from sujarit.cases.demo import create_demo_cases
        from sujarit.cases.receipts import display
        from sujarit.network.demo import create_demo_network

        code = settings.SUJARIT_PROVINCE
        if not Province.objects.filter(code=code).exists():
            raise CommandError(f"Province {code} is not loaded: run `sujarit load-geo` first.")
        with transaction.atomic():
            agencies = create_demo_local_agencies(province_code=code)
            # The demo officer works for a demo body, so no real agency appears to have staff here.
            officer_agency = (
                Agency.objects.filter(province_id=code, is_demo=True).order_by("code").first()
            )
            if officer_agency is None:
                raise CommandError("No demo agency to attach the demo agency officer to.")
            created = create_demo_users(province_code=code, agency_for_officer=officer_agency)
            network = create_demo_network(province_code=code)
            cases = create_demo_cases(
                province_code=code,
                coordinator=User.objects.get(username="demo-coordinator"),
                officer=User.objects.get(username="demo-officer"),
            )
        self.stdout.write(f"Demo local agencies created: {agencies}")
        self.stdout.write(
            f"Demo network: {network.organizations} organizations, {network.members} members, "
            f"{network.plans} plans, {network.activities} activities, {network.visits} visits"
            + ("" if network.created else " (already there)")
        )
        self.stdout.write(f"Demo cases created: {cases.created}")
        if cases.sample_code:
            self.stdout.write(
                f"  Follow up demo case {cases.sample_reference} at /follow/ with the receipt "
                f"code {display(cases.sample_code)} (shown only now)."
            )
        if not created:
            self.stdout.write("Demo accounts already exist; their passwords were shown when made.")
            return
        self.stdout.write(
            self.style.WARNING(
                "DEMO accounts (generated, not real people). Passwords are shown only now:"
            )
        )
        for user, password in created:
            self.stdout.write(f"  {user.get_username():<22} {user.role:<16} {password}")
        self.stdout.write(
            "Staff accounts enrol a TOTP authenticator app at their first login "
            "(a second factor is required for every staff role)."
        )
