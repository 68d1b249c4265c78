"""Cardinal's eleven indicators, with Cardinal's semantics (Cardinal 0.0.8, read in its source)."""

# This package builds SQL text, which is its purpose: every value that comes from a settings
# file or from the data goes through ``literal()`` or ``number()``, never into the SQL as is.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable

from sujarit.redflags.indicators.matching import MatchedUnits
from sujarit.redflags.indicators.sql import literal, number, output
from sujarit.redflags.settings import (
    R003Options,
    R018Options,
    R025Options,
    R035Options,
    R038Options,
    R048Options,
)


class CardinalIndicators(MatchedUnits):
    def r003(self, options: R003Options) -> None:
        """R003 short submission period. n1 = days, n2 = threshold, s1/s2 = start/end."""
        threshold = str(options.threshold)
        if options.procurement_method_details:
            cases = " ".join(
                f"WHEN {literal(key)} THEN {value}"
                for key, value in sorted(options.procurement_method_details.items())
            )
            threshold = f"CASE procurement_method_details {cases} ELSE {options.threshold} END"
        flagged = (
            f"eligible AND {self._method(options.procurement_methods)} "
            f"AND tender_days IS NOT NULL AND tender_days < {threshold}"
        )
        self.plan.summary["r003"] = (
            f"CASE WHEN {flagged} THEN "
            + self.d.struct(
                days="tender_days",
                threshold=threshold,
                start_date="tender_start",
                end_date="tender_end",
            )
            + " END"
        )
        self.plan.outputs.append(
            output(
                "R003",
                "OCID",
                ocid="ocid",
                n1="r003.days",
                n2="r003.threshold",
                s1="r003.start_date",
                s2="r003.end_date",
            )
            + " FROM summary WHERE r003 IS NOT NULL"
        )

    def r018(self, options: R018Options) -> None:
        """R018 single bid received. s1 = the procurement method."""
        self.plan.summary["r018"] = (
            f"CASE WHEN eligible AND {self._method(options.procurement_methods)} "
            "AND single_tenderer THEN coalesce(procurement_method, '') END"
        )
        self.plan.outputs.append(
            output("R018", "OCID", ocid="ocid", s1="r018") + " FROM summary WHERE r018 IS NOT NULL"
        )

    def second_lowest_bid(self) -> None:
        """Winner and lowest other valid bid (R024, R058), per currency.

        For each currency of the process's candidate bids — valid bids with one (string)
        tenderer, an amount and a currency, in processes whose method allows price comparison
        and that have one active award with one supplier — the winner's lowest bid and the
        lowest other bid. Among equal amounts the bid listed first counts, as in Cardinal.
        Output: n1 = the winning bid, n2 = the other bid, id = the winner, s1 = the other
        bidder, s2 = the currency; only where the other bid is not lower (price-only award).
        """
        self._prepared("price_ok")
        if not self.settings.matching.cardinal:
            self._second_lowest_bid_matched()
        else:
            self._second_lowest_bid_cardinal()
        self._second_lowest_bid_outputs()

    def _second_lowest_bid_cardinal(self) -> None:
        d = self.d
        supplier = self._single_supplier()
        candidates = d.filter(
            "bids",
            "b",
            "b.status = 'valid' AND b.amount IS NOT NULL AND b.currency IS NOT NULL "
            f"AND b.n_tenderers = 1 AND {d.at('b.tenderer_ids', 1)} IS NOT NULL",
        )
        self.plan.prepared["slbr_bids"] = candidates

        winner = f"{d.at('b.tenderer_ids', 1)} = {supplier}"

        def lowest(condition: str) -> Callable[[str], str]:
            def build(bids: str) -> str:
                return d.minimum(
                    d.transform(
                        d.filter(bids, "b", condition),
                        "b",
                        d.struct(amount="b.amount", idx="b.idx", id=d.at("b.tenderer_ids", 1)),
                    )
                )

            return build

        self.plan.summary["slbr"] = (
            f"CASE WHEN eligible AND price_ok AND {supplier} IS NOT NULL "
            f"AND {d.size('slbr_bids')} > 0 THEN "
            + self._per_currency("slbr_bids", {"w": lowest(winner), "s": lowest(f"NOT ({winner})")})
            + " END"
        )

    def _second_lowest_bid_matched(self) -> None:
        """The same per unit (lot) of each process, with ``[matching]``'s rules; the winner
        and the other bidder are keys (consortium members joined)."""
        d = self.d

        def lowest(condition: str) -> Callable[[str], str]:
            def build(bids: str) -> str:
                return d.minimum(
                    d.transform(
                        d.filter(bids, "b", condition),
                        "b",
                        d.struct(amount="b.amount", idx="b.idx", id="b.key"),
                    )
                )

            return build

        priced = d.filter("u.bids", "p", "p.amount IS NOT NULL AND p.currency IS NOT NULL")
        units = d.filter(self._matched_units(), "u", f"{d.size(priced)} > 0")
        per_unit = d.transform(
            units,
            "u",
            self._per_currency(
                priced, {"w": lowest(self._winning()), "s": lowest(self._is_other())}
            ),
        )
        self.plan.summary["slbr"] = (
            f"CASE WHEN eligible AND price_ok AND all_final THEN {d.flatten(per_unit)} END"
        )

    def _second_lowest_bid_outputs(self) -> None:
        d = self.d
        self.plan.ctes["slbr_ratio"] = (
            "SELECT ocid, x.w.id AS winner, x.w.amount AS low, x.s.id AS second, "
            "x.s.amount AS other, x.currency AS currency, "
            f"{d.divide('x.s.amount - x.w.amount', 'x.w.amount')} AS ratio "
            "FROM (SELECT ocid, UNNEST(slbr) AS x FROM summary WHERE slbr IS NOT NULL) AS u "
            "JOIN main_currency AS m ON x.currency = m.currency "
            "WHERE x.w IS NOT NULL AND x.s IS NOT NULL AND x.s.amount >= x.w.amount"
        )
        self._order_statistics("slbr", "slbr_ratio", "ratio")
        # Only the processes near the fences go back to Python, which applies the exact fences.
        bounds = []
        for code, side in (("R024", "lower"), ("R058", "upper")):
            if code not in self.codes:
                continue
            fence = _fence(self.settings.options(code).threshold, "slbr", side)
            bounds.append(
                f"ratio <= {fence} + {_margin(fence)}"
                if side == "lower"
                else f"ratio >= {fence} - {_margin(fence)}"
            )
        self.plan.outputs.append(
            output(
                "~slbr",
                "OCID",
                ocid="ocid",
                id="winner",
                n1="low",
                n2="other",
                s1="second",
                s2="currency",
            )
            + f" FROM slbr_ratio WHERE {' OR '.join(bounds)}"
        )

    def r025(self) -> None:
        """R025 excessive unsuccessful bids. id = tenderer, n1 = processes won,
        n2 = processes with a valid bid (each counted once per process)."""
        if not self.settings.matching.cardinal:
            self._r025_matched()
            return
        d = self.d
        supplier = self._single_supplier()
        valid = d.filter("bids", "b", "b.status = 'valid' AND b.n_tenderers = 1")
        self.plan.summary["r025"] = (
            f"CASE WHEN eligible AND {supplier} IS NOT NULL THEN "
            + d.struct(
                supplier=supplier,
                ids=d.distinct(d.transform(valid, "b", d.at("b.tenderer_ids", 1))),
            )
            + " END"
        )
        self._r025_outputs(
            "SELECT id, sum(CASE WHEN id = s THEN 1 ELSE 0 END) AS n1, count(*) AS n2 "
            "FROM (SELECT r025.supplier AS s, UNNEST(r025.ids) AS id FROM summary "
            "WHERE r025 IS NOT NULL) AS t WHERE id IS NOT NULL GROUP BY id"
        )

    def _r025_matched(self) -> None:
        """R025 per unit (lot), with ``[matching]``'s rules: every member of a bidder counts;
        a member won the unit when it is a member of a winning bid's bidder."""
        d = self.d
        winners = d.distinct(
            d.flatten(d.transform(d.filter("u.bids", "b", self._winning()), "b", "b.members"))
        )
        bidders = d.distinct(d.flatten(d.transform("u.bids", "b", "b.members")))
        self.plan.summary["r025"] = (
            "CASE WHEN eligible AND all_final THEN "
            + d.transform(self._matched_units(), "u", d.struct(winners=winners, ids=bidders))
            + " END"
        )
        self._r025_outputs(
            f"SELECT id, sum(CASE WHEN {d.contains('w', 'id')} THEN 1 ELSE 0 END) AS n1, "
            "count(*) AS n2 FROM (SELECT x.winners AS w, UNNEST(x.ids) AS id FROM "
            f"(SELECT UNNEST(r025) AS x FROM summary WHERE {d.size('r025')} > 0) AS u) AS t "
            "WHERE id IS NOT NULL GROUP BY id"
        )

    def _r025_outputs(self, per_tenderer: str) -> None:
        """R025's candidates from ``per_tenderer`` (id, n1 = processes won, n2 = processes
        with a valid bid): tenderers are many, so only those near or past both fences go back
        to Python, with the order statistics from which it computes the exact quartiles of the
        ratios and the percentile of the process counts."""
        options: R025Options = self.settings.options("R025")
        self.plan.ctes["r025_tenderer"] = self._with_ratio(per_tenderer)
        self._order_statistics("r025_ratio", "r025_tenderer", "ratio")
        self._order_statistics("r025_count", "r025_tenderer", "n2", also=options.percentile / 100.0)
        lower = _fence(options.threshold, "r025_ratio", "lower")
        upper = "(SELECT also FROM r025_count_fences)"
        self.plan.outputs.append(
            output("R025", "Tenderer", id="id", n1="n1", n2="n2")
            + f" FROM r025_tenderer WHERE n2 >= {upper} - {_margin(upper)} "
            f"AND ratio <= {lower} + {_margin(lower)}"
        )

    def r028(self) -> None:
        """R028 identical bid prices. id = a tenderer, n1 = the amount, s1 = the currency.

        Cardinal remembers, per (amount, currency), the tenderers of the last bid with that price
        and flags a bid whose set of tenderers differs. In a run of equal prices with at least
        two different sets, every set is next to a different one somewhere, so the flagged
        tenderers are exactly those of the prices that have at least two different sets.
        """
        d = self.d
        self._prepared("submitted")
        self._prepared("price_ok")
        self.plan.prepared["r028_bids"] = d.filter(
            "submitted",
            "b",
            f"b.amount IS NOT NULL AND b.currency IS NOT NULL AND {d.size('b.tenderer_ids')} > 0",
        )
        prices = d.distinct(
            d.transform("r028_bids", "b", d.struct(amount="b.amount", currency="b.currency"))
        )
        same = d.filter("r028_bids", "b", "b.amount = p.amount AND b.currency = p.currency")
        sets = d.distinct(d.transform(same, "b", d.sort(d.distinct("b.tenderer_ids"))))
        per_price = d.transform(
            prices,
            "p",
            f"CASE WHEN {d.size(sets)} > 1 THEN "
            + d.struct(amount="p.amount", currency="p.currency", ids=d.distinct(d.flatten(sets)))
            + " END",
        )
        # Most processes have no repeated amount: skip the nested work for them.
        amounts = d.distinct(d.transform("r028_bids", "b", "b.amount"))
        self.plan.summary["r028"] = (
            f"CASE WHEN eligible AND price_ok AND {d.size('r028_bids')} > 1 "
            f"AND {d.size(amounts)} < {d.size('r028_bids')} THEN "
            + d.filter(per_price, "x", "x IS NOT NULL")
            + " END"
        )
        self.plan.outputs.append(
            output("R028", "Tenderer", ocid="ocid", id="id", n1="x.amount", s1="x.currency")
            + " FROM (SELECT ocid, x, UNNEST(x.ids) AS id FROM (SELECT ocid, UNNEST(r028) AS x "
            f"FROM summary WHERE {d.size('r028')} > 0) AS u) AS v"
        )

    def r030(self) -> None:
        """R030 late bid won. id = the winner, s1 = its bid's date, s2 = the end date."""
        d = self.d
        late = d.filter(
            "bids",
            "b",
            "b.status = 'valid' AND b.date IS NOT NULL AND b.date > tender_end",
        )
        awarded = self._awarded()
        pairs = d.flatten(
            d.transform(
                late,
                "b",
                d.transform(
                    d.filter(
                        f"coalesce(b.tenderer_ids, {d.empty('VARCHAR')})",
                        "t",
                        d.contains(awarded, "t"),
                    ),
                    "t",
                    d.struct(id="t", date="b.date", end_date="tender_end"),
                ),
            )
        )
        # The suppliers are looked up only for processes with a late valid bid.
        self.plan.summary["r030"] = (
            "CASE WHEN eligible AND tender_end IS NOT NULL AND awards IS NOT NULL "
            f"AND bids IS NOT NULL AND {d.size(late)} > 0 THEN {pairs} END"
        )
        self.plan.outputs.append(
            output(
                "R030", "Tenderer", ocid="ocid", id="x.id", s1="min(x.date)", s2="max(x.end_date)"
            )
            + " FROM (SELECT ocid, UNNEST(r030) AS x FROM summary "
            f"WHERE {d.size('r030')} > 0) AS u GROUP BY ocid, x.id"
        )

    def r035(self, options: R035Options) -> None:
        """R035 all except winning bid disqualified. id = the winner, n1 = the number of
        other tenderers with disqualified bids."""
        d = self.d
        self._prepared("all_final")

        def tenderers(status: str) -> str:
            bids = d.filter("bids", "b", f"b.status = '{status}'")
            return d.distinct(
                d.flatten(d.transform(bids, "b", f"coalesce(b.tenderer_ids, {d.empty('VARCHAR')})"))
            )

        valid, disqualified = tenderers("valid"), tenderers("disqualified")
        winner = d.at(valid, 1)
        count = d.size(d.filter(disqualified, "t", f"t <> {winner}"))
        awarded = self._awarded()
        # Cheap tests first: the sets are only built for processes with a disqualified bid.
        any_disqualified = d.size(d.filter("bids", "b", "b.status = 'disqualified'"))
        self.plan.summary["r035"] = (
            f"CASE WHEN eligible AND all_final AND {any_disqualified} > 0 THEN CASE "
            f"WHEN {d.size(valid)} = 1 AND {d.size(awarded)} = 1 AND {d.at(awarded, 1)} = {winner} "
            f"AND {count} >= {max(options.threshold, 1)} THEN "
            + d.struct(id=winner, n=count)
            + " END END"
        )
        self.plan.outputs.append(
            output("R035", "Tenderer", ocid="ocid", id="r035.id", n1="r035.n")
            + " FROM summary WHERE r035 IS NOT NULL"
        )

    def r036(self) -> None:
        """R036 lowest bid disqualified, per currency. n1 = the lowest (disqualified) amount,
        n2 = the lowest valid amount, s1 = the currency."""
        d = self.d
        self._prepared("submitted")
        self._prepared("active")
        self._prepared("price_ok")
        self.plan.prepared["r036_bids"] = d.filter(
            "submitted", "b", "b.amount IS NOT NULL AND b.currency IS NOT NULL"
        )
        self.plan.summary["r036"] = (
            f"CASE WHEN eligible AND price_ok AND {d.size('active')} > 0 "
            f"AND {d.size('r036_bids')} > 0 THEN "
            + self._per_currency(
                "r036_bids",
                {
                    "lowest": lambda bids: d.minimum(
                        d.transform(
                            bids,
                            "b",
                            d.struct(
                                amount="b.amount",
                                idx="b.idx",
                                disqualified="b.status = 'disqualified'",
                            ),
                        )
                    ),
                    "lowest_valid": lambda bids: d.minimum(
                        d.transform(d.filter(bids, "b", "b.status = 'valid'"), "b", "b.amount")
                    ),
                },
            )
            + " END"
        )
        self.plan.outputs.append(
            output(
                "R036",
                "OCID",
                ocid="ocid",
                n1="x.lowest.amount",
                n2="x.lowest_valid",
                s1="x.currency",
            )
            + " FROM (SELECT ocid, UNNEST(r036) AS x FROM summary WHERE r036 IS NOT NULL) AS u "
            "JOIN main_currency AS m ON x.currency = m.currency "
            "WHERE x.lowest.disqualified AND x.lowest_valid IS NOT NULL"
        )

    def r038(self, options: R038Options) -> None:
        """R038 excessive disqualified bids. id = the organisation, n1 = disqualified bids,
        n2 = submitted bids (summed over its processes)."""
        d = self.d
        self._prepared("submitted")
        disqualified = d.size(d.filter("submitted", "b", "b.status = 'disqualified'"))
        self.plan.summary["r038"] = (
            f"CASE WHEN eligible AND {d.size('submitted')} > 0 THEN "
            + d.struct(
                submitted=d.size("submitted"),
                disqualified=disqualified,
                buyer="buyer_id",
                procuring_entity="procuring_entity_id",
                tenderers=d.flatten(
                    d.transform(
                        "submitted",
                        "b",
                        d.transform(
                            f"coalesce(b.tenderer_ids, {d.empty('VARCHAR')})",
                            "t",
                            d.struct(id="t", disqualified="b.status = 'disqualified'"),
                        ),
                    )
                ),
            )
            + " END"
        )
        # Cardinal compares minimum_contracting_processes with the summed number of
        # submitted bids, not with the number of processes.
        minimum = options.minimum_contracting_processes
        for group, column in (("Buyer", "buyer"), ("ProcuringEntity", "procuring_entity")):
            self.plan.outputs.append(
                output(
                    "R038",
                    group,
                    id=f"r038.{column}",
                    n1="sum(r038.disqualified)",
                    n2="sum(r038.submitted)",
                )
                + f" FROM summary WHERE r038.{column} IS NOT NULL GROUP BY r038.{column} "
                f"HAVING sum(r038.submitted) >= {minimum}"
            )
            if self.maps:
                self.plan.outputs.append(
                    output(f"~map_{group}", group, ocid="ocid", id=f"r038.{column}")
                    + f" FROM summary WHERE r038.{column} IS NOT NULL AND r038.disqualified > 0"
                )
        # Tenderers are many: only those near or past the fence go back to Python, with the
        # order statistics from which it computes the exact quartiles and fence.
        self.plan.ctes["r038_tenderer"] = self._with_ratio(
            "SELECT t.id AS id, "
            "sum(CASE WHEN t.disqualified THEN 1 ELSE 0 END) AS n1, count(*) AS n2 "
            "FROM (SELECT UNNEST(r038.tenderers) AS t FROM summary WHERE r038 IS NOT NULL) "
            f"AS u GROUP BY t.id HAVING count(*) >= {options.minimum_submitted_bids}"
        )
        self._order_statistics("r038_tenderer", "r038_tenderer", "ratio")
        fence = _fence(options.threshold, "r038_tenderer", "upper")
        self.plan.outputs.append(
            output("R038", "Tenderer", id="id", n1="n1", n2="n2")
            + f" FROM r038_tenderer WHERE ratio >= {fence} - {_margin(fence)}"
        )

    def _with_ratio(self, per_tenderer: str) -> str:
        """``per_tenderer`` (id, n1, n2) with ``ratio`` = n1 / n2."""
        return (
            "SELECT id, n1, n2, "
            + self.d.divide("CAST(n1 AS DOUBLE)", "CAST(n2 AS DOUBLE)")
            + f" AS ratio FROM ({per_tenderer}) AS g"
        )

    def r048(self, options: R048Options) -> None:
        """R048 heterogeneous supplier. id = supplier, n1 = processes, n2 = distinct item
        classes, s1 = the classes (comma-separated).

        Per process, each supplier of an active award with one supplier and with items that
        have a (string) classification counts once, with the classes of all its awards.
        """
        d = self.d
        supplier = d.at("a.supplier_ids", 1)
        self.plan.prepared["r048_awards"] = d.filter(
            "awards",
            "a",
            f"a.status = 'active' AND a.has_items AND a.n_suppliers = 1 "
            f"AND {supplier} IS NOT NULL AND {d.size('a.classification_ids')} > 0",
        )
        classes = d.distinct(
            d.flatten(
                d.transform(
                    d.filter("r048_awards", "a", f"{supplier} = s"),
                    "a",
                    d.transform("a.classification_ids", "k", d.prefix("k", options.digits)),
                )
            )
        )
        only = d.at("r048_awards", 1)
        # Most processes have one such award: skip the grouping by supplier for them.
        self.plan.summary["r048"] = (
            f"CASE WHEN NOT eligible OR {d.size('r048_awards')} = 0 THEN NULL "
            f"WHEN {d.size('r048_awards')} = 1 THEN "
            + d.array(
                d.struct(
                    supplier=d.at(f"{only}.supplier_ids", 1),
                    classes=d.distinct(
                        d.transform(
                            f"{only}.classification_ids", "k", d.prefix("k", options.digits)
                        )
                    ),
                )
            )
            + " ELSE "
            + d.transform(
                d.distinct(d.transform("r048_awards", "a", supplier)),
                "s",
                d.struct(supplier="s", classes=classes),
            )
            + " END"
        )
        self.plan.ctes["r048_process"] = (
            "SELECT x.supplier AS supplier, x.classes AS classes FROM "
            "(SELECT UNNEST(r048) AS x FROM summary WHERE r048 IS NOT NULL) AS u"
        )
        self.plan.outputs.append(
            output("R048", "Tenderer", id="p.supplier", n1="p.n", n2="c.n", s1="c.list")
            + " FROM (SELECT supplier, count(*) AS n FROM r048_process GROUP BY supplier "
            f"HAVING count(*) >= {options.minimum_contracting_processes}) AS p "
            f"JOIN (SELECT supplier, count(DISTINCT cls) AS n, {d.string_agg('cls')} AS list "
            "FROM (SELECT supplier, UNNEST(classes) AS cls FROM r048_process) AS k "
            "GROUP BY supplier) AS c ON c.supplier = p.supplier"
        )

    def ocid_tenderer_map(self) -> None:
        d = self.d
        self._prepared("submitted")
        self.plan.summary["tenderers"] = (
            "CASE WHEN eligible THEN "
            + d.distinct(
                d.flatten(
                    d.transform("submitted", "b", f"coalesce(b.tenderer_ids, {d.empty('VARCHAR')})")
                )
            )
            + " END"
        )
        self.plan.outputs.append(
            output("~map_tenderer", "Tenderer", ocid="ocid", id="id")
            + f" FROM (SELECT ocid, UNNEST(tenderers) AS id FROM summary "
            f"WHERE {d.size('tenderers')} > 0) AS m"
        )

    # Indicators beyond Cardinal. ----------------------------------------------------------


def _fence(threshold: float | None, name: str, side: str) -> str:
    """A fixed threshold from the settings, else the fence ``side`` of ``{name}_fences``."""
    return number(threshold) if threshold is not None else f"(SELECT {side} FROM {name}_fences)"


def _margin(fence: str) -> str:
    """How far from an approximate fence candidates are still selected: a millionth covers
    the difference between a fence computed in SQL without a fused multiply-add and
    Cardinal's fused one (at most a unit in the last place); Python applies the exact one."""
    return f"(abs({fence}) * 1e-6 + 1e-300)"
