"""Signals other apps listen to, so that ``cases`` need not import them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent inside the transaction that purges a case's personal data (retention policy or the
#: complainant's own request), with ``case`` and ``reason``. Apps that keep personal data about
#: the case (evidence files, for one) delete it in their receiver and return how many items
#: they removed; the purge records the counts in the audit chain.
personal_data_purge = Signal()
