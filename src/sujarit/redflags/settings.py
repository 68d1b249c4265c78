"""Settings for the indicators, in the INI format of Open Contracting's Cardinal.

A Cardinal settings file works here unchanged: top-level keys (``currency``,
``no_price_comparison_procurement_methods``, ``price_comparison_procurement_methods``), the
``[exclusions]`` section, and one ``[Rxxx]`` section per indicator. **An indicator runs only if
its section is present**, even when the section is empty. The sections that only Cardinal's
``prepare`` command reads (``[defaults]``, ``[redactions]``, ``[corrections]``,
``[modifications]``, ``[codelists.*]``, ``[output]``) are accepted and checked, so that the file
written by ``init`` loads, but they change nothing here.

One section is Sujarit's own: ``[matching]`` (:class:`Matching`), how the bid-price indicators
match bids to awards (lots, consortia, ``relatedBids``); all off, it is Cardinal's way.

Every key is checked: an unknown section or key, or a value of the wrong type, raises
:class:`SettingsError` whose message names the file, the line and the key (and suggests the
closest known key), instead of being silently ignored.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

Kind = Literal["int", "uint", "float", "bool", "str", "pipe"]

_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


class SettingsError(ValueError):
    """A settings file that cannot be used; the message says where and why."""


def _option(kind: Kind, default: Any) -> Any:
    return dataclasses.field(default=default, metadata={"kind": kind})


def parse_pipe_list(value: str) -> frozenset[str]:
    """Split ``a|b|c`` into a set, as Cardinal does (a trailing ``|`` adds no empty entry)."""
    parts = value.split("|")
    if parts and parts[-1] == "":
        parts.pop()
    return frozenset(parts)


# Indicator options. Field names are the INI keys; ``None`` means "computed from the data".


@dataclasses.dataclass(frozen=True)
class R003Options:
    threshold: int = _option("int", 15)
    procurement_methods: frozenset[str] = _option("pipe", frozenset())
    #: ``[R003.procurement_method_details]``: a threshold (days) per procurementMethodDetails.
    procurement_method_details: Mapping[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class R018Options:
    procurement_methods: frozenset[str] = _option("pipe", frozenset({"open", "selective"}))


@dataclasses.dataclass(frozen=True)
class FenceOptions:
    """R024 and R058: a fixed fence (a ratio) instead of the computed one."""

    threshold: float | None = _option("float", None)


@dataclasses.dataclass(frozen=True)
class R025Options:
    percentile: int = _option("uint", 75)
    threshold: float | None = _option("float", None)


@dataclasses.dataclass(frozen=True)
class NoOptions:
    """R028, R030, R036: nothing to configure."""


@dataclasses.dataclass(frozen=True)
class R035Options:
    threshold: int = _option("uint", 1)


@dataclasses.dataclass(frozen=True)
class R038Options:
    threshold: float | None = _option("float", None)
    minimum_submitted_bids: int = _option("uint", 2)
    minimum_contracting_processes: int = _option("uint", 2)


@dataclasses.dataclass(frozen=True)
class R048Options:
    digits: int = _option("uint", 2)
    threshold: int | None = _option("uint", None)
    minimum_contracting_processes: int = _option("uint", 20)


@dataclasses.dataclass(frozen=True)
class R044Options:
    """Bidders in one process that share contact details (Sujarit; not in Cardinal 0.0.8)."""

    #: Which ``parties[]`` details to compare, from address|telephone|email|contact.
    fields: frozenset[str] = _option(
        "pipe", frozenset({"address", "telephone", "email", "contact"})
    )


@dataclasses.dataclass(frozen=True)
class R055Options:
    """Non-competitive awards above the limit of their method (Sujarit; not in Cardinal 0.0.8).

    The defaults are Thailand's: the specific method (วิธีเฉพาะเจาะจง) may be used for any
    purchase up to 500,000 baht (Ministerial Regulation on procurement amounts by the specific
    method, B.E. 2560, under section 56(2)(b) of the Public Procurement and Supplies
    Administration Act B.E. 2560); above that amount it needs one of the Act's special grounds.
    """

    #: OCDS ``tender.procurementMethod`` values that are not competitive.
    procurement_methods: frozenset[str] = _option("pipe", frozenset({"direct", "limited"}))
    #: The limit for those methods, in the main currency (500,000 THB by default).
    threshold: float = _option("float", 500_000.0)
    #: ``[R055.procurement_method_details]``: a limit per procurementMethodDetails; a process whose
    #: details are listed here is checked against that limit whatever its procurementMethod.
    procurement_method_details: Mapping[str, float] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class SplitOptions:
    """Split purchases (Sujarit code ``X001``)."""

    #: Each contract is under this amount (main currency) while their sum is at least this.
    threshold: float = _option("float", 500_000.0)
    #: Contracts of the same buyer, supplier and item class within this many days form a group.
    window_days: int = _option("uint", 30)
    #: A group needs at least this many contracts.
    minimum_contracts: int = _option("uint", 2)
    #: How many leading characters of the item classification make an "item class".
    digits: int = _option("uint", 4)


@dataclasses.dataclass(frozen=True)
class ConcentrationOptions:
    """Supplier concentration per buyer (Sujarit code ``X002``)."""

    #: A buyer is flagged when its top supplier's share of awarded value is at least this.
    threshold: float = _option("float", 0.5)
    #: Buyers with fewer awarded processes than this are not judged.
    minimum_contracting_processes: int = _option("uint", 10)


@dataclasses.dataclass(frozen=True)
class Matching:
    """``[matching]``: how bids are matched to awards by the bid-price indicators (R024, R025,
    R058). Every option is off by default, which is Cardinal's behaviour (Cardinal's own
    fixtures give Cardinal's output); Sujarit's additions answer Cardinal's issues #14, #17
    and #22.
    """

    #: Compare bids per lot: a tender whose awards name ``relatedLots`` is judged lot by lot
    #: (the lot's bids, by ``bids.details[].relatedLots``, against the lot's one active
    #: award), where Cardinal skips a tender with several active awards.
    lots: bool = _option("bool", False)
    #: Accept consortia: a bid by several tenderers and an award to several suppliers match
    #: when the two sets of identifiers are equal, and every member counts; Cardinal skips
    #: bids with several tenderers and awards with several suppliers.
    consortia: bool = _option("bool", False)
    #: Link an award to its bids by ``awards[].relatedBids`` (bid ``id``s) when the award has
    #: them, instead of matching the award's suppliers with the bids' tenderers.
    related_bids: bool = _option("bool", False)

    @property
    def cardinal(self) -> bool:
        """True when every option is off: Cardinal's matching."""
        return not (self.lots or self.consortia or self.related_bids)


OPTIONS: dict[str, type] = {
    "R003": R003Options,
    "R018": R018Options,
    "R024": FenceOptions,
    "R025": R025Options,
    "R028": NoOptions,
    "R030": NoOptions,
    "R035": R035Options,
    "R036": NoOptions,
    "R038": R038Options,
    "R048": R048Options,
    "R058": FenceOptions,
    "R044": R044Options,
    "R055": R055Options,
    "X001": SplitOptions,
    "X002": ConcentrationOptions,
}
#: Cardinal's indicators, in Cardinal's order.
CARDINAL_CODES = (
    "R003",
    "R018",
    "R024",
    "R025",
    "R028",
    "R030",
    "R035",
    "R036",
    "R038",
    "R048",
    "R058",
)
#: Sections whose keys are free (a value per procurementMethodDetails), with the value kind.
MAP_SECTIONS: dict[str, Kind] = {
    "R003.procurement_method_details": "int",
    "R055.procurement_method_details": "float",
}
#: Sections read by Cardinal's ``prepare`` command: accepted and checked, not used here.
PREPARE_SECTIONS: dict[str, dict[str, Kind] | None] = {
    "output": {"info_currency_mismatches": "bool"},
    "defaults": {
        "currency": "str",
        "item_classification_scheme": "str",
        "bid_status": "str",
        "award_status": "str",
        "party_roles": "bool",
    },
    "redactions": {"amount": "str", "organization_id": "str"},
    "corrections": {"award_status_by_contract_status": "bool"},
    "modifications": {
        "move_auctions": "bool",
        "prefix_buyer_or_procuring_entity_id": "str",
        "prefix_tenderer_or_supplier_id": "str",
        "split_procurement_method_details": "str",
    },
    # Code-list mappings: any key, string values.
    "codelists.bid_status": None,
    "codelists.award_status": None,
}
TOP_LEVEL: dict[str, Kind] = {
    "currency": "str",
    "no_price_comparison_procurement_methods": "pipe",
    "price_comparison_procurement_methods": "pipe",
}
EXCLUSIONS: dict[str, Kind] = {"procurement_method_details": "pipe"}


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything the indicators read from a settings file."""

    #: The main currency; ``None`` means the first currency seen in the data.
    currency: str | None = None
    no_price_comparison_procurement_methods: frozenset[str] = frozenset()
    price_comparison_procurement_methods: frozenset[str] = frozenset()
    #: ``[exclusions] procurement_method_details``: processes skipped by every indicator.
    excluded_procurement_method_details: frozenset[str] = frozenset()
    info_currency_mismatches: bool = False
    #: ``[matching]``: how bids are matched to awards (Cardinal's way by default).
    matching: Matching = Matching()
    #: The enabled indicators (code → options), in the order of ``OPTIONS``.
    indicators: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def options(self, code: str) -> Any:
        return self.indicators[code]

    def enabled(self, code: str) -> bool:
        return code in self.indicators

    @classmethod
    def all_enabled(cls, codes: tuple[str, ...] | None = None) -> Settings:
        """Every indicator (or the given ones) enabled with its defaults."""
        chosen = OPTIONS if codes is None else {code: OPTIONS[code] for code in codes}
        return cls(indicators={code: options() for code, options in chosen.items()})


@dataclasses.dataclass
class _Entry:
    line: int
    value: str


def _convert(kind: Kind, raw: str, where: str) -> Any:
    text = raw.strip()
    if kind == "str":
        return raw
    if kind == "pipe":
        return parse_pipe_list(raw)
    if kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise SettingsError(f"{where}: {raw!r} is not a boolean (use true or false)")
    if kind in ("int", "uint"):
        if not _INT.fullmatch(text):
            raise SettingsError(f"{where}: {raw!r} is not a whole number")
        number = int(text)
        if kind == "uint" and number < 0:
            raise SettingsError(f"{where}: {raw!r} must not be negative")
        return number
    if not _FLOAT.fullmatch(text):
        raise SettingsError(f"{where}: {raw!r} is not a decimal number")
    return float(text)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _read_ini(text: str, source: str) -> dict[str, dict[str, _Entry]]:
    """Sections (``""`` for top-level keys) → key → value, with line numbers for messages."""
    sections: dict[str, dict[str, _Entry]] = {"": {}}
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in ";#":
            continue
        if stripped.startswith("["):
            if not stripped.endswith("]"):
                raise SettingsError(f"{source}, line {number}: a section header must end with ]")
            current = stripped[1:-1].strip()
            if current in sections:
                raise SettingsError(f"{source}, line {number}: section [{current}] appears twice")
            sections[current] = {}
            continue
        positions = [p for p in (stripped.find("="), stripped.find(":")) if p > 0]
        if not positions:
            raise SettingsError(f"{source}, line {number}: expected 'key = value', got {line!r}")
        key, value = stripped[: min(positions)].strip(), stripped[min(positions) + 1 :].strip()
        section_name = f"[{current}]" if current else "the top level"
        if key in sections[current]:
            raise SettingsError(f"{source}, line {number}: {key!r} is set twice in {section_name}")
        sections[current][key] = _Entry(number, _unquote(value))
    return sections


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_keys(
    entries: Mapping[str, _Entry], kinds: Mapping[str, Kind], section: str, source: str
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, entry in entries.items():
        where = f"{source}, line {entry.line}: {section}{key}"
        if key not in kinds:
            known = ", ".join(sorted(kinds)) or "none"
            raise SettingsError(
                f"{where}: unknown key{_suggest(key, list(kinds))}; known keys: {known}"
            )
        values[key] = _convert(kinds[key], entry.value, where)
    return values


def _option_kinds(options_type: type) -> dict[str, Kind]:
    return {
        field.name: field.metadata["kind"]
        for field in dataclasses.fields(options_type)
        if "kind" in field.metadata
    }


def parse(text: str, source: str = "settings") -> Settings:
    """Parse a settings file's text; ``source`` names the file in error messages."""
    sections = _read_ini(text, source)
    top = _check_keys(sections.pop(""), TOP_LEVEL, "", source)
    exclusions: dict[str, Any] = {}
    info_currency_mismatches = False
    indicators: dict[str, Any] = {}
    maps: dict[str, dict[str, Any]] = {}
    matching: dict[str, Any] = {}
    known_sections = [*OPTIONS, *MAP_SECTIONS, *PREPARE_SECTIONS, "exclusions", "matching"]
    for name, entries in sections.items():
        prefix = f"[{name}] "
        if name == "exclusions":
            exclusions = _check_keys(entries, EXCLUSIONS, prefix, source)
        elif name == "matching":
            matching = _check_keys(entries, _option_kinds(Matching), prefix, source)
        elif name in PREPARE_SECTIONS:
            kinds = PREPARE_SECTIONS[name]
            if kinds is None:
                kinds = {key: "str" for key in entries}
            checked = _check_keys(entries, kinds, prefix, source)
            if name == "output":
                info_currency_mismatches = bool(checked.get("info_currency_mismatches", False))
        elif name in MAP_SECTIONS:
            kind = MAP_SECTIONS[name]
            maps[name] = _check_keys(entries, {key: kind for key in entries}, prefix, source)
        elif name in OPTIONS:
            indicators[name] = _check_keys(entries, _option_kinds(OPTIONS[name]), prefix, source)
        else:
            raise SettingsError(
                f"{source}: unknown section [{name}]{_suggest(name, known_sections)}"
            )
    for name, values in maps.items():
        code, _, key = name.partition(".")
        # As in Cardinal, whose dotted section names nest, a sub-section alone also enables
        # its indicator.
        indicators.setdefault(code, {})[key] = values
    enabled = {code: OPTIONS[code](**indicators[code]) for code in OPTIONS if code in indicators}
    return Settings(
        currency=top.get("currency"),
        no_price_comparison_procurement_methods=top.get(
            "no_price_comparison_procurement_methods", frozenset()
        ),
        price_comparison_procurement_methods=top.get(
            "price_comparison_procurement_methods", frozenset()
        ),
        excluded_procurement_method_details=exclusions.get(
            "procurement_method_details", frozenset()
        ),
        info_currency_mismatches=info_currency_mismatches,
        matching=Matching(**matching),
        indicators=enabled,
    )


def load(path: str | Path) -> Settings:
    """Read and parse a settings file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot read the settings file ({error})") from error
    return parse(text, str(path))


#: The settings file written by ``init``: every indicator enabled with its defaults, every
#: option shown as a comment. Thai defaults are filled in for the indicators beyond Cardinal.
DEFAULT_INI = """\
; Settings for `sujarit redflags indicators` (the format of Open Contracting's Cardinal).
; A line starting with ; or # is a comment. An indicator runs only if its [section] is present:
; delete a section to disable its indicator. Uncomment a line to change a default.

; The currency of bid and award amounts that are compared; other currencies are skipped.
; Without it, the most frequent currency in the data is used.
; currency = THB
; procurementMethodDetails values whose bids must not be compared on price (| separates values):
; no_price_comparison_procurement_methods = Random Selection
; ...or the only ones whose bids may be compared (this list wins if both are set):
; price_comparison_procurement_methods = Reverse Auction

[output]
; Report bids in other currencies at INFO level instead of WARNING.
; info_currency_mismatches = true

[exclusions]
; Contracting processes skipped by every indicator, by procurementMethodDetails:
; procurement_method_details = Random Selection

[matching]
; How R024, R025 and R058 match bids to awards. All off: Cardinal's way (one active award with
; one supplier per tender; bids by one tenderer; awards matched to bids by supplier id).
; Compare bids lot by lot (awards' and bids' relatedLots):
; lots = true
; Accept bids by consortia and awards to several suppliers (every member counts):
; consortia = true
; Link awards to bids by awards' relatedBids instead of supplier ids:
; related_bids = true

; Cardinal's indicators -------------------------------------------------------------------

[R003]
; Short submission period: fewer days than this between tenderPeriod startDate and endDate.
; threshold = 15
; Only for these procurementMethod values (default: all):
; procurement_methods = open|selective|limited

[R003.procurement_method_details]
; A threshold in days for particular procurementMethodDetails, e.g.:
; ประกวดราคาอิเล็กทรอนิกส์ (e-bidding) = 10

[R018]
; Single bid received, for these procurementMethod values.
; procurement_methods = open|selective

[R024]
; Price close to winning bid: a fixed lower fence instead of Q1 - 1.5 IQR (a ratio).
; threshold = 0.05

[R025]
; Excessive unsuccessful bids.
; percentile = 75
; threshold = 0.05

[R028]

[R030]

[R035]
; All except the winning bid disqualified: at least this many disqualified tenderers.
; threshold = 1

[R036]

[R038]
; Excessive disqualified bids: a fixed upper fence instead of Q3 + 1.5 IQR (a ratio).
; threshold = 0.5
; minimum_submitted_bids = 2
; minimum_contracting_processes = 2

[R048]
; Heterogeneous supplier: leading digits of the item classification that make a class.
; digits = 2
; threshold = 10
; minimum_contracting_processes = 20

[R058]
; Heavily discounted bid: a fixed upper fence instead of Q3 + 1.5 IQR (a ratio).
; threshold = 0.5

; Indicators beyond Cardinal (Sujarit) ---------------------------------------------------

[R044]
; Bidders in one process sharing contact details in `parties`; which details to compare:
; fields = address|telephone|email|contact

[R055]
; Awards by a non-competitive method above the method's limit (amount in the main currency).
; Thai default: the specific method (วิธีเฉพาะเจาะจง) may be used up to 500,000 baht
; (Ministerial Regulation under section 56(2)(b) of the Public Procurement Act B.E. 2560).
; procurement_methods = direct|limited
; threshold = 500000

[R055.procurement_method_details]
; A limit per procurementMethodDetails, checked whatever the procurementMethod. The specific
; method as Thai publishers spell it:
เฉพาะเจาะจง = 500000
วิธีเฉพาะเจาะจง = 500000
; The electronic market is for purchases up to 5,000,000 baht (check the current regulation):
; ตลาดอิเล็กทรอนิกส์ (e-market) = 5000000

[X001]
; Split purchases: awards of one buyer to one supplier for one item class, each under the
; threshold, within window_days, whose sum reaches the threshold.
; threshold = 500000
; window_days = 30
; minimum_contracts = 2
; digits = 4

[X002]
; Supplier concentration: the top supplier's share of a buyer's awarded value.
; threshold = 0.5
; minimum_contracting_processes = 10
"""
