"""Matching bids to awards beyond Cardinal: lots, consortia and ``awards.relatedBids``.

Cardinal's bid-price indicators (R024, R025, R058) use a tender only if it has exactly one
active award with exactly one supplier, compare only bids by exactly one tenderer, and find
the winner's bids by matching the supplier's id with the tenderers' ids (Cardinal's issues
#14, #17 and #22 ask for more). With ``[matching]`` options on, those indicators work on
*units* instead:

* a unit is a lot (``lots``: every lot named by an active award's ``relatedLots``, with the
  awards and the bids whose ``relatedLots`` name it), or the whole tender (no lots, or
  ``lots`` off);
* a unit is used when all the tender's awards are final (as in Cardinal) and the unit has
  exactly one active award, whose suppliers are one identifier (or, with ``consortia``, one or
  more, all identified);
* a bid takes part when it is valid and has one identified tenderer (or, with ``consortia``,
  one or more, all identified); its *bidder* is its set of tenderers;
* the winning bids are the bids named by the award's ``relatedBids`` (``related_bids``, when
  the award has some), or else the bids whose bidder equals the award's set of suppliers; the
  other bids are those of the other bidders.

Each unit then counts as one contracting process in R024/R058's ratios and R025's counts, and
every member of a consortium counts. A bidder is carried through the SQL as its members'
identifiers, sorted and joined by ``MEMBER_SEPARATOR``; the engine splits them again.
"""

# This package builds SQL text, which is its purpose: every value that comes from a settings
# file or from the data goes through ``literal()`` or ``number()``, never into the SQL as is.
# ruff: noqa: S608

from __future__ import annotations

from sujarit.redflags.indicators.builder import BuilderBase

#: Joins the members of a consortium in a bidder's key (a control character that identifiers
#: do not contain).
MEMBER_SEPARATOR = "\x1f"


class MatchedUnits(BuilderBase):
    """The units and the winning bids of each, for the bid-price indicators."""

    def _units(self) -> str:
        """Prepare ``m_units``: per unit, its lot, its active awards and its candidate bids."""
        d = self.d
        if "m_units" in self.plan.prepared:
            return "m_units"
        matching = self.settings.matching
        for name in ("all_final", "active"):
            self._prepared(name)
        no_lot = d.array("CAST(NULL AS VARCHAR)")
        empty = d.empty("VARCHAR")
        if matching.consortia:
            tenderers = f"b.n_tenderers >= 1 AND {d.size('b.tenderer_ids')} = b.n_tenderers"
        else:
            tenderers = f"b.n_tenderers = 1 AND {d.at('b.tenderer_ids', 1)} IS NOT NULL"
        self.plan.prepared["m_bids"] = d.transform(
            d.filter("bids", "b", f"b.status = 'valid' AND {tenderers}"),
            "b",
            d.struct(
                idx="b.idx",
                amount="b.amount",
                currency="b.currency",
                id="b.id",
                lot_ids=f"coalesce(b.lot_ids, {empty})",
                members=d.sort(d.distinct("b.tenderer_ids")),
                key=self._key("b.tenderer_ids"),
            ),
        )
        if matching.lots:
            lots = d.distinct(
                d.flatten(d.transform("active", "a", f"coalesce(a.lot_ids, {empty})"))
            )
            self.plan.prepared["m_lots"] = (
                f"CASE WHEN {d.size(lots)} > 0 THEN {lots} ELSE {no_lot} END"
            )
        else:
            self.plan.prepared["m_lots"] = no_lot
        in_lot = "l IS NULL OR {}"
        self.plan.prepared["m_units"] = (
            "CASE WHEN all_final THEN "
            + d.transform(
                "m_lots",
                "l",
                d.struct(
                    lot="l",
                    awards=d.filter(
                        "active",
                        "a",
                        in_lot.format(d.contains(f"coalesce(a.lot_ids, {empty})", "l")),
                    ),
                    bids=d.filter("m_bids", "b", in_lot.format(d.contains("b.lot_ids", "l"))),
                ),
            )
            + " END"
        )
        return "m_units"

    def _key(self, ids: str) -> str:
        """A bidder's or an award's key: its distinct identifiers, sorted and joined."""
        d = self.d
        return d.join(d.sort(d.distinct(ids)), "chr(31)")

    def _matched_units(self) -> str:
        """The units that can be judged (one active award with identified suppliers, some
        candidate bids), as a list expression over ``m_units``."""
        d = self.d
        award = d.at("u.awards", 1)
        if self.settings.matching.consortia:
            identified = d.size(f"{award}.supplier_ids")
            suppliers = f"{award}.n_suppliers >= 1 AND {identified} = {award}.n_suppliers"
        else:
            suppliers = f"{award}.n_suppliers = 1 AND {d.size(f'{award}.supplier_ids')} = 1"
        return d.filter(
            self._units(),
            "u",
            f"{d.size('u.awards')} = 1 AND {suppliers} AND {d.size('u.bids')} > 0",
        )

    def _winning(self, bid: str = "b") -> str:
        """Whether bid ``bid`` of unit ``u`` is a winning bid."""
        d = self.d
        award = d.at("u.awards", 1)
        by_suppliers = f"{bid}.key = {self._key(f'{award}.supplier_ids')}"
        if not self.settings.matching.related_bids:
            return by_suppliers
        related = f"coalesce({award}.bid_ids, {d.empty('VARCHAR')})"
        return (
            f"CASE WHEN {d.size(related)} > 0 THEN "
            f"coalesce({d.contains(related, f'{bid}.id')}, FALSE) ELSE {by_suppliers} END"
        )

    def _winner_keys(self) -> str:
        """The keys of the bidders of unit ``u``'s winning bids."""
        d = self.d
        return d.distinct(d.transform(d.filter("u.bids", "w", self._winning("w")), "w", "w.key"))

    def _is_other(self, bid: str = "b") -> str:
        """Whether bid ``bid`` of unit ``u`` is by a bidder that did not win the unit."""
        return f"NOT coalesce({self.d.contains(self._winner_keys(), f'{bid}.key')}, FALSE)"
