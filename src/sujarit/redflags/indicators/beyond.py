"""Indicators beyond Cardinal: shared contact details (R044), non-competitive awards above the
method's limit (R055), split purchases (X001) and supplier concentration (X002)."""

# This package builds SQL text, which is its purpose: every value that comes from a settings
# file or from the data goes through ``literal()`` or ``number()``, never into the SQL as is.
# ruff: noqa: S608

from __future__ import annotations

from sujarit.redflags.indicators.builder import BuilderBase
from sujarit.redflags.indicators.sql import in_list, literal, number, output
from sujarit.redflags.settings import (
    ConcentrationOptions,
    R044Options,
    R055Options,
    SplitOptions,
)


class BeyondCardinal(BuilderBase):
    def r044(self, options: R044Options) -> None:
        """R044 bidders sharing contact details. id = a tenderer, s1 = the detail (address,
        telephone, email, contact), s2 = the other tenderer.

        Tenderers are the ids in ``bids.details[].tenderers`` and the parties with the role
        ``tenderer``. Two different tenderers whose party entries have the same address,
        telephone (digits), e-mail or contact person (trimmed, lower-cased) are flagged.
        """
        d = self.d
        bidders = d.distinct(
            d.flatten(d.transform("bids", "b", f"coalesce(b.tenderer_ids, {d.empty('VARCHAR')})"))
        )
        self.plan.prepared["r044_bidders"] = bidders
        is_tenderer = (
            f"p.id IS NOT NULL AND (coalesce({d.contains('r044_bidders', 'p.id')}, FALSE) "
            f"OR coalesce({d.contains('p.roles', literal('tenderer'))}, FALSE))"
        )

        def text(expression: str) -> str:
            # Compared trimmed and lower-cased; empty details are ignored.
            return f"NULLIF(lower(trim({expression})), '')"

        details = {
            "address": text(
                "concat_ws(', ', p.address.streetAddress, p.address.locality, "
                "p.address.region, p.address.postalCode, p.address.countryName)"
            ),
            "telephone": "NULLIF("
            + d.replace_all("coalesce(p.contactPoint.telephone, '')", "'[^0-9+]'", "''")
            + ", '')",
            "email": text("p.contactPoint.email"),
            "contact": text("p.contactPoint.name"),
        }
        kinds = [k for k in ("address", "telephone", "email", "contact") if k in options.fields]
        tenderers = d.transform(
            d.filter("parties", "p", is_tenderer),
            "p",
            d.struct(id="p.id", **{kind: details[kind] for kind in kinds}),
        )
        matches = []
        for kind in kinds:
            others = d.filter("tp", "q", f"q.id <> p.id AND q.{kind} = p.{kind}")
            matches.append(
                d.transform(
                    d.filter("tp", "p", f"p.{kind} IS NOT NULL AND {d.size(others)} > 0"),
                    "p",
                    d.struct(id="p.id", kind=literal(kind), other=d.at(others, 1) + ".id"),
                )
            )
        found = (
            d.flatten(d.array(*matches))
            if matches
            else d.empty("STRUCT(id VARCHAR, kind VARCHAR, other VARCHAR)")
        )
        # Details are normalised only in processes with at least two tenderers, and compared
        # through a one-element list so that the normalisation runs once per process.
        self.plan.summary["r044"] = (
            f"CASE WHEN eligible AND {d.size('parties')} > 1 AND ("
            f"{d.size('r044_bidders')} > 1 OR {d.size(d.filter('parties', 'p', is_tenderer))} > 1"
            ") THEN " + d.flatten(d.transform(d.array(tenderers), "tp", found)) + " END"
        )
        self.plan.outputs.append(
            output("R044", "Tenderer", ocid="ocid", id="x.id", s1="x.kind", s2="x.other")
            + f" FROM (SELECT ocid, UNNEST(r044) AS x FROM summary WHERE {d.size('r044')} > 0) "
            "AS u"
        )

    def r055(self, options: R055Options) -> None:
        """R055 non-competitive award above the method's limit. n1 = the awarded amount
        (active awards in the main currency), n2 = the limit, s1 = the method, s2 = currency."""
        self._award_values()
        limit = number(options.threshold)
        method = in_list("procurement_method", options.procurement_methods)
        if options.procurement_method_details:
            cases = " ".join(
                f"WHEN {literal(key)} THEN {number(value)}"
                for key, value in sorted(options.procurement_method_details.items())
            )
            details = in_list("procurement_method_details", options.procurement_method_details)
            limit = f"CASE procurement_method_details {cases} ELSE {number(options.threshold)} END"
            method = f"({details} OR {method})"
        d = self.d
        self.plan.prepared["r055_awards"] = d.filter(
            "active", "a", "a.amount IS NOT NULL AND a.currency IS NOT NULL"
        )
        in_currency = d.filter("r055_awards", "a", "a.currency = c")
        self.plan.summary["r055"] = (
            f"CASE WHEN eligible AND {method} AND {d.size('r055_awards')} > 0 THEN "
            + d.struct(
                maximum=limit,
                method="coalesce(procurement_method_details, procurement_method)",
                suppliers=self._awarded(),
                sums=d.transform(
                    d.distinct(d.transform("r055_awards", "a", "a.currency")),
                    "c",
                    d.struct(
                        currency="c", amount=d.total(d.transform(in_currency, "a", "a.amount"))
                    ),
                ),
            )
            + " END"
        )
        self.plan.ctes["r055"] = (
            "SELECT ocid, r055, x.amount AS amount, x.currency AS currency FROM "
            "(SELECT ocid, r055, UNNEST(r055.sums) AS x FROM summary WHERE r055 IS NOT NULL) AS u "
            "JOIN main_award_currency AS m ON x.currency = m.currency "
            "WHERE x.amount > r055.maximum"
        )
        self.plan.outputs.append(
            output(
                "R055",
                "OCID",
                ocid="ocid",
                n1="amount",
                n2="r055.maximum",
                s1="r055.method",
                s2="currency",
            )
            + " FROM r055"
        )
        self.plan.outputs.append(
            output(
                "R055",
                "Tenderer",
                ocid="ocid",
                id="id",
                n1="amount",
                n2="r055.maximum",
                s1="r055.method",
                s2="currency",
            )
            + " FROM (SELECT ocid, amount, currency, r055, UNNEST(r055.suppliers) AS id "
            "FROM r055) AS s"
        )

    def x001(self, options: SplitOptions) -> None:
        """X001 split purchases. id = the supplier, ocid = the group's first process, n1 = the
        group's total, n2 = the number of awards, s1 = the buyer, s2 = the item class.

        Active awards of one buyer to one supplier for the same item class (the first
        ``digits`` characters of the classification), each under ``threshold``, within
        ``window_days`` of the group's first award, that together reach ``threshold``.
        """
        self._award_values()
        limit = number(options.threshold)
        d = self.d
        self.plan.ctes["x001_award"] = (
            "SELECT DISTINCT ocid, buyer_id, supplier_id, cls, amount, day FROM ("
            f"SELECT v.ocid, v.buyer_id, {d.at('v.a.suppliers', 1)} AS supplier_id, "
            f"{d.prefix('k', options.digits)} AS cls, v.a.amount AS amount, "
            "TRY_CAST(substring(v.a.date, 1, 10) AS DATE) AS day "
            "FROM (SELECT *, UNNEST(a.classes) AS k FROM award_value) AS v "
            "JOIN main_award_currency AS m ON v.a.currency = m.currency "
            f"WHERE v.a.n_suppliers = 1 AND v.buyer_id IS NOT NULL AND v.a.amount < {limit}) AS x "
            "WHERE supplier_id IS NOT NULL"
        )
        # Each award opens a window; the awards inside it (same buyer, supplier and class) form
        # a candidate group; each (buyer, supplier, class) is reported once, by its largest group.
        self.plan.ctes["x001_group"] = (
            "SELECT s.ocid AS start, s.buyer_id, s.supplier_id, s.cls, s.day, "
            f"count(DISTINCT o.ocid) AS n, {d.ordered_sum('o.amount')} AS total, "
            "min(o.ocid) AS ocid "
            "FROM x001_award AS s JOIN x001_award AS o ON o.buyer_id = s.buyer_id "
            "AND o.supplier_id = s.supplier_id AND o.cls = s.cls AND o.day >= s.day "
            f"AND o.day <= s.day + INTERVAL {options.window_days} DAY "
            "WHERE s.day IS NOT NULL GROUP BY s.ocid, s.buyer_id, s.supplier_id, s.cls, s.day "
            f"HAVING count(DISTINCT o.ocid) >= {max(options.minimum_contracts, 2)} "
            f"AND {d.ordered_sum('o.amount')} >= {limit}"
        )
        self.plan.outputs.append(
            output(
                "X001",
                "Tenderer",
                ocid="g.ocid",
                id="g.supplier_id",
                n1="g.total",
                n2="g.n",
                s1="g.buyer_id",
                s2="g.cls",
            )
            + " FROM (SELECT *, row_number() OVER (PARTITION BY buyer_id, supplier_id, cls "
            "ORDER BY total DESC, day, start) AS rn FROM x001_group) AS g WHERE g.rn = 1"
        )

    def x002(self, options: ConcentrationOptions) -> None:
        """X002 supplier concentration. id = the buyer, n1 = the top supplier's share of the
        buyer's awarded value, n2 = the Herfindahl-Hirschman index (0-1), s1 = the top
        supplier, s2 = the number of processes."""
        self._award_values()
        self.plan.ctes["x002_value"] = (
            f"SELECT buyer_id, supplier_id, {self.d.ordered_sum('amount')} AS amount FROM ("
            "SELECT v.buyer_id, UNNEST(v.a.suppliers) AS supplier_id, "
            f"v.a.amount / {self.d.size('v.a.suppliers')} AS amount FROM award_value AS v "
            "JOIN main_award_currency AS m ON v.a.currency = m.currency "
            "WHERE v.buyer_id IS NOT NULL AND v.a.amount > 0 "
            f"AND {self.d.size('v.a.suppliers')} > 0) AS x GROUP BY buyer_id, supplier_id"
        )
        self.plan.ctes["x002_buyer"] = (
            f"SELECT v.buyer_id, {self.d.ordered_sum('v.amount')} AS total, "
            "max(v.amount) AS top "
            "FROM x002_value AS v GROUP BY v.buyer_id"
        )
        self.plan.ctes["x002_processes"] = (
            "SELECT buyer_id, count(DISTINCT ocid) AS processes FROM award_value "
            "WHERE buyer_id IS NOT NULL GROUP BY buyer_id"
        )
        self.plan.outputs.append(
            output(
                "X002",
                "Buyer",
                id="b.buyer_id",
                n1="b.top / b.total",
                n2=self.d.ordered_sum("(v.amount / b.total) * (v.amount / b.total)"),
                s1="min(CASE WHEN v.amount = b.top THEN v.supplier_id END)",
                s2="max(p.processes)",
            )
            + " FROM x002_buyer AS b JOIN x002_value AS v ON v.buyer_id = b.buyer_id "
            "JOIN x002_processes AS p ON p.buyer_id = b.buyer_id "
            f"WHERE p.processes >= {options.minimum_contracting_processes} "
            "GROUP BY b.buyer_id, b.top, b.total "
            f"HAVING b.top / b.total >= {number(options.threshold)}"
        )
