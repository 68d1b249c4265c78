"""Sujarit's red-flag engine: procurement indicators over OCDS compiled releases.

Pure Python plus DuckDB; nothing here imports Django. The indicators follow Open Contracting
Partnership's Cardinal (same codes, settings file, semantics and output), computed as SQL.
Entry points: :func:`sujarit.redflags.engine.run` and the command line in
:mod:`sujarit.redflags.cli`.
"""

from __future__ import annotations
