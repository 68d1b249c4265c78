"""The indicator definitions, written once as SQL over the normalised ``releases`` relation.

How an indicator is computed, in two steps:

1. **Per contracting process** (one row per line, streaming): list expressions over the
   process's bids and awards decide what a process contributes — a flag (R003, R018, R028,
   R030, R035, R044), the winner and second-lowest bid (R024, R058), the lowest bid (R036), the
   bidders and the winner (R025), the disqualified bids (R038), the supplier's item classes
   (R048). These columns form the ``summary`` relation, which DuckDB materialises once; it is
   much smaller than the parsed file, so the file is parsed exactly once.
2. **Across processes**: GROUP BY over ``summary`` (per tenderer, buyer, procuring entity,
   supplier) and the choice of the main currency.

The few dataset-wide statistics (Cardinal's quartiles and fences) are then computed in Python by
:mod:`sujarit.redflags.engine` from the returned values, identically whatever backend ran the
SQL. The SQL never uses ``QUANTILE_CONT``/``PERCENTILE_CONT``: SQLGlot mistranslates them for
Spark, and neither matches Cardinal's quartile estimator anyway.

**Dialect.** Plain SQL (SELECT, JOIN, GROUP BY, CASE, ``UNNEST`` in the select list) is written
as is. The handful of constructs whose spelling differs between DuckDB and Spark SQL — lambdas
over lists, struct literals, list functions, 1-based element access — go through the small
:class:`Dialect` below, so the definitions are written once and a Spark dialect only has to
spell those functions (``filter(xs, x -> ...)``, ``named_struct``, ``element_at``...).

Every output SELECT has the same columns, ``OUTPUT_COLUMNS``:

``code``  the indicator code, or a ``~name`` for internal rows (maps, statistics);
``grp``   ``OCID``, ``Buyer``, ``ProcuringEntity``, ``Tenderer`` (the result's group);
``ocid``  the contracting process, when the row is about one;
``id``    the organisation, when the row is about one;
``n1``, ``n2``, ``s1``, ``s2``  numbers and texts whose meaning each definition documents.
"""

from __future__ import annotations

from sujarit.redflags.indicators.builder import FIELDS, fields_needed
from sujarit.redflags.indicators.plan import (
    Builder,
    outputs_query,
    outputs_union,
    plan_for,
    summary_select,
)
from sujarit.redflags.indicators.sql import (
    OUTPUT_COLUMNS,
    Dialect,
    Plan,
    SparkDialect,
    in_list,
    literal,
    number,
)

__all__ = [
    "FIELDS",
    "OUTPUT_COLUMNS",
    "Builder",
    "Dialect",
    "Plan",
    "SparkDialect",
    "fields_needed",
    "in_list",
    "literal",
    "number",
    "outputs_query",
    "outputs_union",
    "plan_for",
    "summary_select",
]
