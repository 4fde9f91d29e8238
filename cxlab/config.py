"""client.yaml: every setting of an engagement, declared and validated in one place.

Each section is a frozen dataclass whose fields carry their type and default; its
``_parameter_constraints`` (scikit-learn's convention, see :mod:`cxlab.constraints`) add a range, a
choice or a check per field, and ``_field_relations`` the order between two fields. :func:`load_config`
reads the YAML (duplicate keys refused), and :func:`_build` checks every key, type and constraint in one
place, raising a one-line :class:`~cxlab.errors.ConfigError` that names the file and the dotted key
(``client.yaml: key 'thresholds.confidence': expected a number in (0, 1); found 5``). Analyses receive
only the section they need.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from .constraints import (
    BabelLocale,
    Below,
    CatalogLanguage,
    Constraint,
    DateFormat,
    Each,
    Encoding,
    HexColour,
    Interval,
    Matches,
    OrderedPair,
    Regex,
    StrOptions,
    Timezone,
)
from .errors import ConfigError
from .i18n import N_, Message
from .safety import (
    DEFAULT_MAX_MB,
    DEFAULT_MAX_ROWS,
    MAX_SETTINGS_NODES,
    check_client_paths,
    expanded_nodes,
    read_limited_text,
)
from .schema import TABLES

#: values that mean "no value" in exports (compared after stripping spaces, case-sensitive); a table's
#: ``missing_values:`` in client.yaml replaces them for every column ("*") or for one column
DEFAULT_MISSING_VALUES: tuple[str, ...] = (
    "", "?", "??", "-", "--", "N/A", "n/a", "#N/A", "null", "NULL", "(null)", "(blank)", "(none)",
)  # fmt: skip


class MissingMarkers(Constraint):
    """Missing-value markers: a list of short texts, or a mapping of column (or "*") to such lists."""

    def describe(self) -> str:
        return "a list of texts (each at most 40 characters on one line), or column: [texts]"

    def problem(self, value: Any) -> str | None:
        lists = value.values() if isinstance(value, dict) else [value]
        for markers in lists:
            if not isinstance(markers, list):
                return repr(markers)
            for marker in markers:
                if not isinstance(marker, str) or len(marker) > 40 or "\n" in marker:
                    return repr(marker)
        return None


CONFIG_FILE = "client.yaml"
#: the locale (number and date conventions) of a report language when client.yaml names none
_DEFAULT_LOCALES = {"it": "it_IT", "en": "en_GB"}


@dataclass(frozen=True)
class Branding:
    colour: str = "#1f4e79"
    accent: str = "#e07b39"
    logo: str | None = None  # path relative to the client folder

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {"colour": HexColour(), "accent": HexColour()}


@dataclass(frozen=True)
class KpiTargets:
    """The client's targets for the summary's KPI tiles (``report: targets:``); a tile shows the gap to
    its target. NPS in points (−100…100), rates as shares (0…1); unset = no target."""

    nps_cold: float | None = None
    nps_hot: float | None = None
    closed_loop: float | None = None  # share of hot detractors contacted within the follow-up target
    response_rate_cold: float | None = None

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {
        "nps_cold": Interval(float, -100, 100),
        "nps_hot": Interval(float, -100, 100),
        "closed_loop": Interval(float, 0, 1),
        "response_rate_cold": Interval(float, 0, 1),
    }


@dataclass(frozen=True)
class ReportSettings:
    """What the client report may show (``report:`` in client.yaml)."""

    #: customer names in the report itself; by default they appear only in the attachments
    show_names: bool = False
    #: KPI targets the executive summary measures the tiles against (issue 21)
    targets: KpiTargets = field(default_factory=KpiTargets)


@dataclass(frozen=True)
class TableSource:
    """Where one canonical table comes from and how to read it."""

    file: str
    #: client column name -> canonical column name
    columns: dict[str, str] = field(default_factory=dict)
    #: per canonical column, client value -> canonical value (e.g. survey: {Relazionale: cold})
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: extra client columns kept as they are (e.g. segment attributes)
    keep: list[str] = field(default_factory=list)
    sep: str | None = None  # None = detect
    decimal: str | None = None  # None = detect ("." or ",")
    encoding: str | None = None  # None = detect (utf-8, utf-8-sig, latin-1)
    sheet: str | int | None = None  # XLSX sheet name or 0-based index
    header_row: int | None = None  # 1-based XLSX/CSV header row; None = detect
    date_format: str | None = None  # strftime format; None = ISO or day-first detection
    dayfirst: bool = True
    #: texts that mean "no value": a list for every column, or per canonical column (key "*" = the
    #: others); None = DEFAULT_MISSING_VALUES. A marker counts as a blank (dropped, blanked or filled
    #: like one) and is counted in the data-quality appendix.
    missing_values: list[str] | dict[str, list[str]] | None = None
    #: lines equal in every column to an earlier line are noted; True drops them
    drop_duplicate_lines: bool = False
    max_mb: float = DEFAULT_MAX_MB  # a larger file is refused before it is read
    max_rows: int = DEFAULT_MAX_ROWS  # a table with more data rows is refused

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {
        "missing_values": MissingMarkers(),
        "max_mb": Interval(float, 0, None, closed="neither"),
        "max_rows": Interval(int, 1, None),
        "decimal": StrOptions(frozenset({".", ","})),
        "encoding": Encoding(),
        "sheet": Interval(int, 0, None),  # a sheet index; a sheet name is any text
        "header_row": Interval(int, 1, None),
        "date_format": DateFormat(),
    }

    def missing_markers(self, column: str) -> frozenset[str]:
        """The texts read as "no value" in canonical ``column`` (see ``missing_values``)."""
        given = self.missing_values
        if given is None:
            return frozenset(DEFAULT_MISSING_VALUES)
        if isinstance(given, list):
            return frozenset(given)
        return frozenset(given.get(column, given.get("*", DEFAULT_MISSING_VALUES)))


@dataclass(frozen=True)
class Thresholds:
    small_n: int = 30  # groups with fewer responses are flagged
    over_surveyed: float = 3  # invitations per customer per rolling window
    pressure_window_days: int = 90
    ultra_detractor_max: int = 1
    ultra_promoter_min: int = 9
    followup_target_hours: float = 48
    response_rate_band: tuple[float, float] = (0.15, 0.25)
    confidence: float = 0.95  # level of every confidence interval (z = 1.96 at 0.95)

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {
        "small_n": Interval(int, 1, None),
        "over_surveyed": Interval(float, 0, None, closed="neither"),
        "pressure_window_days": Interval(int, 1, None),
        "ultra_detractor_max": Interval(int, 0, 10),
        "ultra_promoter_min": Interval(int, 0, 10),
        "followup_target_hours": Interval(float, 0, None, closed="neither"),
        "response_rate_band": OrderedPair(Interval(float, 0, 1)),
        # 0 and 1 have no finite normal quantile
        "confidence": Interval(float, 0, 1, closed="neither"),
    }
    _field_relations: ClassVar[tuple[Below, ...]] = (Below("ultra_detractor_max", "ultra_promoter_min"),)


@dataclass(frozen=True)
class IndicatorSettings:
    nps_promoter_min: int = 9
    nps_detractor_max: int = 6
    csat_rule: Literal["top2box", "mean"] = "top2box"
    ces_rule: Literal["top3box", "mean"] = "top3box"  # top3box = share of 5-7 on the 1-7 scale
    blanks: Literal["exclude"] = "exclude"  # a blank answer is not a response to that question
    csat_top_min: int = 4  # CSAT 1-5: answers >= this are "satisfied" (top-2-box)
    ces_top_min: int = 5  # CES 1-7: answers >= this are "easy" (top-3-box)
    cxi_top_min: int = 4  # CXi questions 1-5: % of answers >= this ...
    cxi_bottom_max: int = 2  # ... minus % of answers <= this, per question, averaged

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {
        "nps_promoter_min": Interval(int, 0, 10),
        "nps_detractor_max": Interval(int, 0, 10),
        "csat_top_min": Interval(int, 1, 5),
        "ces_top_min": Interval(int, 1, 7),
        "cxi_top_min": Interval(int, 1, 5),
        "cxi_bottom_max": Interval(int, 1, 5),
    }
    _field_relations: ClassVar[tuple[Below, ...]] = (
        Below("nps_detractor_max", "nps_promoter_min"),
        Below("cxi_bottom_max", "cxi_top_min"),
    )


@dataclass(frozen=True)
class ActivitySettings:
    """Which activities mean what (case-insensitive regular expressions on the activity name)."""

    self_service: list[str] = field(
        default_factory=lambda: [
            r"self.?service",
            r"portal",
            r"web ?form",
            r"app\b",
            r"area riservata",
            r"fai da te",
        ]
    )
    authorisation: list[str] = field(
        default_factory=lambda: [r"authori[sz]", r"approv", r"autorizz", r"credit check", r"verifica credit"]
    )
    chaser: list[str] = field(
        default_factory=lambda: [r"chaser", r"reminder", r"sollecit", r"follow.?up request"]
    )
    reopen: list[str] = field(default_factory=lambda: [r"reopen", r"riapert", r"riapr"])
    #: the organisation waits on the customer (a form or documents asked for): the customer's next contact
    #: is a reply, not a chaser
    customer_request: list[str] = field(
        default_factory=lambda: [
            r"form sent",
            r"(?:documents|information) requested from (?:the )?customer(?! service)",
            r"modulo inviato",
            r"richiest[ao] (?:di )?(?:documenti|informazioni) al cliente",
        ]
    )
    answer: list[str] = field(
        default_factory=lambda: [
            r"answer",
            r"reply",
            r"respon",
            r"rispost",
            r"resolved",
            r"risolt",
            r"closed",
            r"chius",
            r"quote sent",
            r"inviat[oa] al cliente",
            r"preventivo inviato",
        ]
    )
    customer_contact: list[str] = field(
        default_factory=lambda: [
            r"(?<!outbound )call",
            r"inbound",
            r"e-?mail received",
            r"form received",
            r"chat",
            r"chiamat",
            r"telefonat",
            r"contact",
        ]
    )
    case_window_days: float = 14  # survey-to-case matching window when no case_id is given
    #: statuses or activities (regular expressions on the ``status`` column and on the activity name) that
    #: mean the organisation waits for the customer: the time until the case's next event is customer wait,
    #: reported apart from the internal waits between departments
    customer_wait: list[str] = field(
        default_factory=lambda: [
            r"wait(?:ing)?\W*(?:for\W*)?(?:the\W*)?(?:customer|user|client|caller|requester)",
            r"pending\W*(?:customer|user|client)",
            r"in attesa (?:del |di )?cliente",
            r"attesa cliente",
        ]
    )
    #: the same for a third party (supplier, vendor, another company)
    third_party_wait: list[str] = field(
        default_factory=lambda: [
            r"wait(?:ing)?\W*(?:for\W*)?(?:the\W*)?(?:vendor|supplier|third.?party|external|partner)",
            r"pending\W*(?:vendor|supplier|third.?party)",
            r"in attesa (?:del |di )?fornitore",
            r"attesa fornitore",
        ]
    )
    #: events with a blank department (or a declared missing value): left out of the handoffs ("exclude",
    #: counted in the data-quality appendix) or kept as a department called "unknown" ("keep")
    unknown_department: Literal["exclude", "keep"] = "exclude"
    #: share of events in a timestamp tie (same case, same time) above which the report warns
    tie_warning_share: float = 0.05
    #: charts show the busiest departments and group the others as "other"
    top_departments: int = 12
    #: ranked tables (worst handoffs, ping-pong pairs) list department pairs with at least this many handoffs
    min_support: int = 5

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {
        "customer_wait": Each(Regex()),
        "third_party_wait": Each(Regex()),
        "tie_warning_share": Interval(float, 0, 1),
        "top_departments": Interval(int, 1, 100),
        "min_support": Interval(int, 1, None),
        **{
            name: Each(Regex())
            for name in (
                "self_service",
                "authorisation",
                "chaser",
                "reopen",
                "customer_request",
                "answer",
                "customer_contact",
            )
        },
        "case_window_days": Interval(float, 0, None, closed="neither"),
    }


@dataclass(frozen=True)
class SegmentSettings:
    value_window_months: int = 12
    horizon_months: int = 12
    value_top_share: float = 0.20
    potential_top_share: float = 0.20
    value_threshold: float | None = None  # absolute, overrides the share
    potential_threshold: float | None = None
    min_repeat_customers: int = 200  # below this the trend fallback is used for the whole client
    discount_rate_annual: float = 0.0
    value_basis: Literal["sales", "margin"] = "sales"  # current value axis
    min_history_days: int = 30  # customers whose first purchase is more recent get the trend fallback
    trend_months: int = 6  # trend fallback: run rate of the last N months vs the N before
    purchase_merge: Literal["D", "W"] = "D"  # purchases merged per day (CDNOW convention) or per week

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {
        "value_window_months": Interval(int, 1, None),
        "horizon_months": Interval(int, 1, None),
        # a share of customers: the top 20 % is 0.2; 0 would leave the "high" group empty
        "value_top_share": Interval(float, 0, 1, closed="right"),
        "potential_top_share": Interval(float, 0, 1, closed="right"),
        "min_repeat_customers": Interval(int, 0, None),
        "discount_rate_annual": Interval(float, 0, 1),
        "min_history_days": Interval(int, 0, None),
        "trend_months": Interval(int, 1, None),
    }


@dataclass(frozen=True)
class TextSettings:
    #: theme -> keywords/regexes added to (or, with replace_themes, replacing) the default taxonomy;
    #: each entry is a regular expression matched case-insensitively at the start of a word
    #: ("consegn" matches consegna, consegne); a default theme key adds to that theme's patterns
    themes: dict[str, list[str]] = field(default_factory=dict)
    replace_themes: bool = False
    min_comment_chars: int = 3
    #: sentiment scores with |score| below this are "neutral"
    neutral_band: float = 0.15

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {
        "themes": Each(Each(Regex())),
        "min_comment_chars": Interval(int, 0, None),
        "neutral_band": Interval(float, 0, 1),  # sentiment scores lie in [-1, 1]
    }


@dataclass(frozen=True)
class ClientConfig:
    name: str
    language: str = "en"  # the report's language: en or one with a catalog (see CatalogLanguage)
    currency: str = "EUR"
    locale: str | None = None  # default from language
    timezone: str = "Europe/Rome"
    analysis_date: dt.date | None = None  # None = the day after the last record up to today
    #: dates before this are typing slips or sentinels (01/01/1900): dropped or blanked, counted
    date_floor: dt.date | None = dt.date(1950, 1, 1)
    branding: Branding = field(default_factory=Branding)
    tables: dict[str, TableSource] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)
    indicators: IndicatorSettings = field(default_factory=IndicatorSettings)
    activities: ActivitySettings = field(default_factory=ActivitySettings)
    segments: SegmentSettings = field(default_factory=SegmentSettings)
    text: TextSettings = field(default_factory=TextSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    #: folder holding client.yaml; relative file paths are resolved against it
    root: Path = field(default=Path("."), compare=False)
    source: str = field(default=CONFIG_FILE, compare=False)

    _parameter_constraints: ClassVar[dict[str, Constraint]] = {
        "language": CatalogLanguage(),
        "currency": Matches(r"[A-Z]{3}", N_("a three-letter currency code such as EUR")),
        "locale": BabelLocale(),
        "timezone": Timezone(),
    }

    @property
    def effective_locale(self) -> str:
        return self.locale or _DEFAULT_LOCALES.get(self.language, self.language)

    def path(self, relative: str) -> Path:
        p = Path(relative)
        return p if p.is_absolute() else self.root / p


# --------------------------------------------------------------------------------------------------
# generic, typed construction of the dataclasses above from parsed YAML


#: YAML 1.1 (PyYAML, older client.yaml files) read yes/no/on/off as booleans; YAML 1.2 reads them as text
_YAML11_BOOLEANS = {"yes": True, "no": False, "on": True, "off": False}


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", None) or str(tp).replace("typing.", "")


def _coerce(value: Any, tp: Any, where: str, file: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)

    # the expected phrases are Messages: a widget says them in its own language (settings.po)
    def fail(expected: str) -> ConfigError:
        return ConfigError(expected, file=file, column=where, found=repr(value))

    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        # the branch of the value's own type first: `sheet: 1` is a sheet index, not a sheet named "1"
        exact = [a for a in args if isinstance(a, type) and type(value) is a]
        for arg in exact + [a for a in args if a not in exact]:
            if arg is type(None):
                continue
            try:
                return _coerce(value, arg, where, file)
            except ConfigError as exc:
                errors.append(exc.expected)
        phrases = [e for e in errors if e]
        either = phrases[0] if phrases else ""
        for phrase in phrases[1:]:  # "a or b or c", each part translated on its own
            either = Message("{first} or {second}", first=either, second=phrase)
        raise fail(either)
    if origin is Literal:
        if value in args:
            return value
        raise fail(Message("one of {items}", items=", ".join(map(str, args))))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise fail(Message("a mapping"))
        return _build(tp, value, where, file)
    if origin is dict:
        if not isinstance(value, dict):
            raise fail(Message("a mapping"))
        kt, vt = args
        return {_coerce(k, kt, where, file): _coerce(v, vt, f"{where}.{k}", file) for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise fail(Message("a list"))
        return [_coerce(v, args[0], f"{where}[{i}]", file) for i, v in enumerate(value)]
    if origin is tuple:
        if not isinstance(value, list | tuple) or len(value) != len(args):
            raise fail(Message("a list of {n} values", n=len(args)))
        return tuple(_coerce(v, a, where, file) for v, a in zip(value, args, strict=True))
    if tp is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _YAML11_BOOLEANS:
            return _YAML11_BOOLEANS[value.lower()]
        raise fail(Message("true or false"))
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise fail(Message("a whole number"))
    if tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise fail(Message("a number"))
    if tp is str:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        raise fail(Message("text"))
    if tp is dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise fail(Message("a date as YYYY-MM-DD")) from None
    if tp is Path:
        return Path(str(value))
    raise fail(_type_name(tp))


def _build(cls: type, data: dict, where: str, file: str) -> Any:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.name not in ("root", "source")}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        prefix = f"{where}." if where else ""
        raise ConfigError(
            Message("one of {items}", items=", ".join(fields)),
            file=file,
            column=prefix + str(unknown[0]),
            found=Message("an unknown setting"),
        )
    kwargs = {}
    for name, f in fields.items():
        key = f"{where}.{name}" if where else name
        if name in data:
            kwargs[name] = _coerce(data[name], hints[name], key, file)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ConfigError(Message("this setting"), file=file, column=key, found=Message("nothing"))
    settings = cls(**kwargs)
    _check_constraints(settings, where, file)
    return settings


def _check_constraints(settings: Any, where: str, file: str) -> None:
    """The declared constraints and relations of one section (its nested sections were checked when
    they were built): the one place where a setting's range, choice or check is enforced."""
    prefix = f"{where}." if where else ""
    constraints: dict[str, Constraint] = getattr(settings, "_parameter_constraints", {})
    for name, constraint in constraints.items():
        violation = constraint.violation(getattr(settings, name))
        if violation is not None:
            raise ConfigError(
                violation.expected, file=file, column=prefix + name + violation.at, found=violation.found
            )
    relations: tuple[Below, ...] = getattr(settings, "_field_relations", ())
    for relation in relations:
        violation = relation.violation(settings, where)
        if violation is not None:
            raise ConfigError(
                violation.expected, file=file, column=prefix + relation.upper, found=violation.found
            )


def validate_settings(settings: Any, file: str = "settings", where: str = "") -> None:
    """Check a settings object built in code (e.g. ``dataclasses.replace(thresholds, confidence=0.9)`` for
    a what-if) against the same constraints as client.yaml; raises :class:`ConfigError` naming the key."""
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        key = f"{where}.{f.name}" if where else f.name
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            validate_settings(value, file, key)
        elif isinstance(value, dict):
            for name, item in value.items():
                if dataclasses.is_dataclass(item) and not isinstance(item, type):
                    validate_settings(item, file, f"{key}.{name}")
    _check_constraints(settings, where, file)


def _check_tables(cfg: ClientConfig, file: str) -> None:
    for table, src in cfg.tables.items():
        if table not in TABLES:
            raise ConfigError(
                Message("a canonical table: {tables}", tables=", ".join(TABLES)),
                file=file,
                column=f"tables.{table}",
                found=Message("unknown table"),
            )
        canonical = TABLES[table].column_names
        for client_col, target in src.columns.items():
            if target not in canonical:
                raise ConfigError(
                    Message(
                        "a canonical column of '{table}': {columns}",
                        table=table,
                        columns=", ".join(canonical),
                    ),
                    file=file,
                    column=f"tables.{table}.columns.{client_col}",
                    found=repr(target),
                )
        targets = list(src.columns.values())
        dupes = sorted({t for t in targets if targets.count(t) > 1})
        if dupes:
            raise ConfigError(
                Message("each canonical column mapped once"),
                file=file,
                column=f"tables.{table}.columns",
                found=Message("{column} mapped more than once", column=repr(dupes[0])),
            )
        if isinstance(src.missing_values, dict):
            for col in src.missing_values:
                if col != "*" and col not in canonical:
                    raise ConfigError(
                        Message("a canonical column of '{table}' or '*'", table=table),
                        file=file,
                        column=f"tables.{table}.missing_values.{col}",
                        found=repr(col),
                    )
        for col in src.values:
            if col not in canonical:
                raise ConfigError(
                    Message("a canonical column of '{table}'", table=table),
                    file=file,
                    column=f"tables.{table}.values.{col}",
                    found=repr(col),
                )


def config_from_dict(data: dict, root: Path | str = ".", source: str = CONFIG_FILE) -> ClientConfig:
    """Build and validate a :class:`ClientConfig` from already-parsed YAML."""
    if not isinstance(data, dict):
        raise ConfigError(Message("a YAML mapping at the top level"), file=source, found=type(data).__name__)
    cfg = _build(ClientConfig, data, "", source)
    cfg = dataclasses.replace(cfg, root=Path(root), source=source)
    _check_tables(cfg, source)
    return cfg


def load_config(client_dir: Path | str) -> ClientConfig:
    """Read ``client.yaml`` from a client folder."""
    root = Path(client_dir)
    path = root / CONFIG_FILE if root.is_dir() or not root.suffix else root
    if path.suffix in (".yaml", ".yml") and path.parent != root:
        root = path.parent
    if not path.exists():
        raise ConfigError(
            Message("a client folder with a client.yaml"), file=str(path), found=Message("no such file")
        )
    data = read_settings_yaml(path)
    config = config_from_dict(data or {}, root=path.parent, source=str(path))
    check_client_paths(config)  # every path inside the client folder, the logo a real image
    return config


def read_settings_yaml(path: Path) -> Any:
    """Parse a settings file with YAML 1.2's safe loader, refusing a key given twice in one mapping (PyYAML
    would silently keep the last one); a problem is a ConfigError naming the file, the line and the key."""
    text = read_limited_text(path)  # a regular UTF-8 file of bounded size (not a FIFO, not /dev/zero)
    try:
        nodes = expanded_nodes(YAML(typ="safe").compose(text))
    except (YAMLError, ValueError, RecursionError):
        nodes = 0  # the load below names the problem
    if nodes > MAX_SETTINGS_NODES:
        raise ConfigError(
            Message(
                "a settings file of at most {n} values once its aliases are expanded",
                n=f"{MAX_SETTINGS_NODES:,}",
            ),
            file=str(path),
            found=Message("more (an alias bomb?)"),
        )
    try:
        return YAML(typ="safe").load(text)
    except ValueError as exc:  # a timestamp that is no date (2026-02-30)
        key, line = _bad_timestamp(text)
        raise ConfigError(
            Message("a real date as YYYY-MM-DD"),
            file=str(path),
            column=key,
            rows=[line] if line else None,
            found=str(exc),
        ) from None
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key, first_line = _duplicate_key_at(text, mark.line, mark.column) if mark else (None, None)
        raise ConfigError(
            Message("each setting once"),
            file=str(path),
            column=key,
            rows=[mark.line + 1] if mark else None,
            found=Message("the key a second time (first on line {line})", line=first_line)
            if first_line
            else Message("the key a second time"),
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise ConfigError(
            Message("valid YAML"),
            file=str(path),
            rows=[mark.line + 1] if mark else None,
            found=str(exc.problem or exc),
        ) from None
    except (YAMLError, RecursionError) as exc:  # a control character, nesting too deep
        raise ConfigError(
            Message("valid YAML"), file=str(path), found=" ".join(str(exc).split())[:200]
        ) from None


def _bad_timestamp(text: str) -> tuple[str | None, int | None]:
    """The dotted key and (1-based) line of the first value YAML reads as a timestamp that is no real
    date or time (``analysis_date: 2026-02-30``)."""

    def walk(node: Node | None, path: str) -> tuple[str | None, int | None]:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                found = walk(value_node, f"{path}.{key_node.value}" if path else str(key_node.value))
                if found[0]:
                    return found
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                found = walk(item, f"{path}[{i}]")
                if found[0]:
                    return found
        elif node is not None and str(node.tag).endswith(":timestamp"):
            try:
                dt.datetime.fromisoformat(str(node.value).replace("t", "T").replace(" ", "T", 1))
            except ValueError:
                return path or "(top)", node.start_mark.line + 1
        return None, None

    try:
        return walk(YAML(typ="safe").compose(text), "")
    except MarkedYAMLError:
        return None, None


def _duplicate_key_at(text: str, line: int, column: int) -> tuple[str | None, int | None]:
    """The dotted path of the mapping key written at (0-based) ``line``/``column`` of a YAML document,
    and the (1-based) line where the same mapping first gives that key."""

    def walk(node: Node | None, path: str) -> tuple[str | None, int | None]:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                key = f"{path}.{key_node.value}" if path else str(key_node.value)
                if key_node.start_mark.line == line and key_node.start_mark.column == column:
                    first = next(k for k, _ in node.value if k.value == key_node.value)
                    return key, first.start_mark.line + 1
                found = walk(value_node, key)
                if found[0]:
                    return found
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                found = walk(item, f"{path}[{i}]")
                if found[0]:
                    return found
        return None, None

    try:  # composing builds the node tree without constructing mappings, so duplicates pass
        return walk(YAML(typ="safe").compose(text), "")
    except MarkedYAMLError:
        return None, None


def config_to_dict(cfg: ClientConfig) -> dict:
    """The YAML-ready form of a config (for writing client.yaml back, e.g. from widgets)."""

    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v):
            return {
                f.name: plain(getattr(v, f.name))
                for f in dataclasses.fields(v)
                if f.name not in ("root", "source")
            }
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, Path):
            return str(v)
        return v

    return plain(cfg)
