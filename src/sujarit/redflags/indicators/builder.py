"""What every indicator builds on: the fields each reads, and the shared per-process expressions
(eligibility, price comparison, final awards, the main currency, order statistics)."""

# This package builds SQL text, which is its purpose: every value that comes from a settings
# file or from the data goes through ``literal()`` or ``number()``, never into the SQL as is.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable, Iterable

from sujarit.redflags.indicators.sql import Dialect, Plan, in_list, literal, output
from sujarit.redflags.settings import Matching, Settings

#: The fields each indicator reads (besides ocid, tender.status and procurementMethodDetails).
_BID_PRICES = {"bids.status", "bids.tenderers", "bids.value", "awards.status", "awards.suppliers"}
FIELDS: dict[str, set[str]] = {
    "R003": {"tender.procurementMethod", "tender.tenderPeriod"},
    "R018": {"tender.procurementMethod", "tender.numberOfTenderers"},
    "R024": _BID_PRICES,
    "R058": _BID_PRICES,
    "R025": {"bids.status", "bids.tenderers", "awards.status", "awards.suppliers"},
    "R028": {"bids.status", "bids.tenderers", "bids.value"},
    "R030": {
        "tender.tenderPeriod",
        "bids.status",
        "bids.date",
        "bids.tenderers",
        "awards.status",
        "awards.suppliers",
    },
    "R035": {"bids.status", "bids.tenderers", "awards.status", "awards.suppliers"},
    "R036": {"bids.status", "bids.value", "awards.status"},
    "R038": {"bids.status", "bids.tenderers", "buyer", "tender.procuringEntity"},
    "R048": {"awards.status", "awards.suppliers", "awards.items"},
    "R044": {"parties", "bids.tenderers"},
    "R055": {"tender.procurementMethod", "awards.status", "awards.suppliers", "awards.value"},
    "X001": {
        "buyer",
        "awards.status",
        "awards.suppliers",
        "awards.items",
        "awards.value",
        "awards.date",
    },
    "X002": {"buyer", "awards.status", "awards.suppliers", "awards.value"},
}


def fields_needed(codes: Iterable[str], matching: Matching | None = None) -> frozenset[str]:
    """Which fields the reader must read for these indicators (and ``[matching]`` options)."""
    needed: set[str] = set()
    chosen = set(codes)
    for code in chosen:
        needed |= FIELDS[code]
    if matching is not None and chosen & {"R024", "R025", "R058"}:
        if matching.lots:
            needed |= {"bids.relatedLots", "awards.relatedLots"}
        if matching.related_bids:
            needed |= {"bids.id", "awards.relatedBids"}
    return frozenset(needed)


class BuilderBase:
    """Builds the plan for the enabled indicators of a settings file (shared parts)."""

    def __init__(self, settings: Settings, *, maps: bool, dialect: Dialect | None = None) -> None:
        self.settings = settings
        self.codes = set(settings.indicators)
        self.maps = maps
        self.d = dialect or Dialect()
        self.plan = Plan()

    # Shared per-process expressions. ------------------------------------------------------

    def _prepared(self, name: str) -> str:
        """Add a shared per-process expression (once) and return its name."""
        d = self.d
        if name in self.plan.prepared:
            return name
        definitions = {
            # Cardinal's global exclusions: no string ocid, a cancelled tender, or excluded
            # procurementMethodDetails.
            "eligible": "ocid IS NOT NULL AND (tender_status IS NULL OR tender_status <> "
            "'cancelled') AND (procurement_method_details IS NULL OR NOT "
            + in_list(
                "procurement_method_details", self.settings.excluded_procurement_method_details
            )
            + ")",
            "price_ok": self._price_comparison(),
            # Cardinal's "submitted" bids: a status other than invited and withdrawn.
            "submitted": d.filter(
                "bids", "b", "b.status IS NOT NULL AND b.status NOT IN ('invited', 'withdrawn')"
            ),
            "active": d.filter("awards", "a", "a.status = 'active'"),
            # Cardinal's "all awards final": awards and bids.details are arrays, and no award
            # has a status other than active, cancelled or unsuccessful (no status is fine).
            "all_final": "awards IS NOT NULL AND bids IS NOT NULL AND "
            + d.size(
                d.filter(
                    "awards",
                    "a",
                    "a.status IS NOT NULL AND "
                    "a.status NOT IN ('active', 'cancelled', 'unsuccessful')",
                )
            )
            + " = 0",
        }
        self.plan.prepared[name] = definitions[name]
        return name

    def _price_comparison(self) -> str:
        # Cardinal's matches_procurement_method_details: an allow list, when set, wins; without
        # procurementMethodDetails a process matches only when there is no allow list.
        include = self.settings.price_comparison_procurement_methods
        if include:
            return (
                "CASE WHEN procurement_method_details IS NULL THEN FALSE ELSE "
                f"{in_list('procurement_method_details', include)} END"
            )
        exclude = self.settings.no_price_comparison_procurement_methods
        return (
            "CASE WHEN procurement_method_details IS NULL THEN TRUE ELSE "
            f"NOT {in_list('procurement_method_details', exclude)} END"
        )

    def _single_supplier(self) -> str:
        """The supplier of the only active award, if it has exactly one (string) supplier and
        all awards are final: the processes Cardinal's bid-price indicators accept."""
        d = self.d
        for name in ("all_final", "active"):
            self._prepared(name)
        first = d.at("active", 1)
        self.plan.prepared.setdefault(
            "single_supplier",
            f"CASE WHEN all_final AND {d.size('active')} = 1 "
            f"AND {first}.n_suppliers = 1 THEN {d.at(f'{first}.supplier_ids', 1)} END",
        )
        return "single_supplier"

    def _method(self, methods: frozenset[str]) -> str:
        # Cardinal: no methods configured means every process; otherwise the process's
        # procurementMethod must be one of them (a missing method does not match).
        return "TRUE" if not methods else in_list("procurement_method", methods)

    def _main_currency(self) -> None:
        """The main currency for bid prices: the configured one, or else the most frequent
        among the bids that price comparisons consider (Cardinal takes the first it happens
        to see, which depends on thread timing; this choice is deterministic)."""
        if "main_currency" in self.plan.ctes:
            return
        parts = [
            f"SELECT c.currency, c.n FROM (SELECT UNNEST({column}) AS c FROM summary "
            f"WHERE {column} IS NOT NULL) AS u"
            for column in ("slbr", "r036")
            if column in self.plan.summary
        ]
        self.plan.ctes["currency_count"] = (
            "SELECT currency, sum(n) AS n FROM (" + " UNION ALL ".join(parts) + ") AS c "
            "GROUP BY currency"
        )
        self._currency_cte("main_currency", "currency_count")
        self.plan.outputs.append(
            output(
                "~currency",
                None,
                n1="(SELECT sum(n) FROM currency_count WHERE currency <> "
                "(SELECT currency FROM main_currency))",
                s1="(SELECT currency FROM main_currency)",
            )
        )

    def _currency_cte(self, name: str, counts: str) -> None:
        if self.settings.currency is not None:
            self.plan.ctes[name] = f"SELECT {literal(self.settings.currency)} AS currency"
        else:
            self.plan.ctes[name] = (
                f"SELECT currency FROM {counts} ORDER BY n DESC, currency LIMIT 1"
            )

    # Cardinal's indicators. ---------------------------------------------------------------

    def _per_currency(self, bids: str, fields: dict[str, Callable[[str], str]]) -> str:
        """A list with one struct per currency of ``bids``: currency, n (the number of bids)
        and ``fields`` computed over the bids in that currency.

        Nearly every process uses one currency; for those the list is built directly from all
        the bids, and the split by currency (a filter per currency) is skipped.
        """
        d = self.d
        first = f"{d.at(bids, 1)}.currency"
        single = d.struct(
            currency=first, n=d.size(bids), **{name: f(bids) for name, f in fields.items()}
        )
        in_currency = d.filter(bids, "b", "b.currency = c")
        split = d.transform(
            d.distinct(d.transform(bids, "b", "b.currency")),
            "c",
            d.struct(
                currency="c",
                n=d.size(in_currency),
                **{name: f(in_currency) for name, f in fields.items()},
            ),
        )
        one_currency = f"{d.size(d.filter(bids, 'b', f'b.currency <> {first}'))} = 0"
        return f"CASE WHEN {one_currency} THEN {d.array(single)} ELSE {split} END"

    def _order_statistics(
        self, name: str, relation: str, column: str, *, also: float | None = None
    ) -> None:
        """The values around the R-8 quartile positions of ``column``, and approximate fences.

        Cardinal's quartiles need the whole sorted set; SQL sorts it and returns only the
        values next to the positions h = (n + 1/3) tau + 1/3 (and their neighbours) as
        ``~order`` rows (n1 = position, n2 = value, s1 = n), from which Python computes the
        exact quartiles. ``{name}_fences`` holds the quartiles and fences computed here without
        a fused multiply-add, good enough to select candidates. With ``also``, the values next
        to that quantile's position are returned too, and ``{name}_fences.also`` estimates it.
        """
        third = "(CAST(1 AS DOUBLE) / CAST(3 AS DOUBLE))"
        taus = {"1": 0.25, "3": 0.75}
        if also is not None:
            taus["a"] = also

        def position(tau: float) -> str:
            return f"CAST(floor((n + {third}) * CAST({tau!r} AS DOUBLE) + {third}) AS BIGINT)"

        def h(tau: float) -> str:
            return f"(n + {third}) * CAST({tau!r} AS DOUBLE) + {third}"

        self.plan.ctes[f"{name}_order"] = (
            # NULLS LAST is DuckDB's default and not Spark's.
            f"SELECT {column} AS value, row_number() OVER (ORDER BY {column} NULLS LAST) AS k, "
            f"count(*) OVER () AS n FROM {relation}"
        )
        self.plan.ctes[f"{name}_positions"] = (
            "SELECT n, "
            + ", ".join(
                f"{position(tau)} AS p{key}, {h(tau)} AS h{key}" for key, tau in taus.items()
            )
            + f" FROM (SELECT count(*) AS n FROM {relation}) AS c"
        )
        self.plan.ctes[f"{name}_near"] = (
            f"SELECT o.k, o.value FROM {name}_order AS o, {name}_positions AS p WHERE "
            + " OR ".join(f"o.k BETWEEN p.p{key} - 1 AND p.p{key} + 2" for key in taus)
            + " OR o.k = 1 OR o.k = p.n"
        )

        # The order statistics are picked from the few rows of ``_near`` by one aggregate (an
        # uncorrelated form: Spark turns correlated scalar subqueries into joins that it
        # computes again for each).
        def at(rank: str) -> str:
            return f"max(CASE WHEN o.k = least(greatest({rank}, 1), p.n) THEN o.value END)"

        keys = ", ".join(f"p.p{key}, p.h{key}" for key in taus)
        picks = ", ".join(
            f"{at(f'p.p{key}')} AS v{key}, {at(f'p.p{key} + 1')} AS w{key}" for key in taus
        )
        estimates = ", ".join(
            f"v{key} + (h{key} - p{key}) * (w{key} - v{key}) AS q{key}" for key in taus
        )
        self.plan.ctes[f"{name}_fences"] = (
            "SELECT q1 - 1.5 * (q3 - q1) AS lower, q3 + 1.5 * (q3 - q1) AS upper"
            + (", qa AS also" if also is not None else "")
            + f" FROM (SELECT {estimates} FROM (SELECT {keys}, {picks} "
            f"FROM {name}_positions AS p LEFT JOIN {name}_near AS o ON TRUE "
            f"GROUP BY {keys}) AS v) AS q"
        )
        self.plan.outputs.append(
            output(
                "~order",
                None,
                id=literal(name),
                n1="k",
                n2="value",
                s1=f"(SELECT n FROM {name}_positions)",
            )
            + f" FROM {name}_near"
        )

    def _awarded(self) -> str:
        """The suppliers of active awards (string ids), for R030, R035 and R055."""
        d = self.d
        return d.distinct(
            d.flatten(
                d.transform(
                    d.filter("awards", "a", "a.status = 'active'"),
                    "a",
                    f"coalesce(a.supplier_ids, {d.empty('VARCHAR')})",
                )
            )
        )

    def _award_values(self) -> None:
        """Active awards' values per currency, and the main currency for awarded values."""
        d = self.d
        if "award_values" in self.plan.summary:
            return
        self._prepared("active")
        priced = d.filter("active", "a", "a.amount IS NOT NULL AND a.currency IS NOT NULL")
        self.plan.prepared["priced_awards"] = priced
        self.plan.summary["award_values"] = (
            "CASE WHEN eligible THEN "
            + d.transform(
                "priced_awards",
                "a",
                d.struct(
                    amount="a.amount",
                    currency="a.currency",
                    date="a.date",
                    suppliers=f"coalesce(a.supplier_ids, {d.empty('VARCHAR')})",
                    n_suppliers="a.n_suppliers",
                    classes=f"coalesce(a.classification_ids, {d.empty('VARCHAR')})",
                ),
            )
            + " END"
        )
        self.plan.summary["buyer_id"] = "buyer_id"
        self.plan.ctes["award_value"] = (
            "SELECT ocid, buyer_id, UNNEST(award_values) AS a FROM summary "
            f"WHERE {d.size('award_values')} > 0"
        )
        self.plan.ctes["award_currency_count"] = (
            "SELECT a.currency AS currency, count(*) AS n FROM award_value GROUP BY a.currency"
        )
        self._currency_cte("main_award_currency", "award_currency_count")
