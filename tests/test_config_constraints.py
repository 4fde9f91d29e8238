"""Settings declared with constraints: every bad setting is refused at load and by ``cxlab validate`` with
one line naming the file and the key; values inside a declared range are accepted, values outside refused."""

from __future__ import annotations

import dataclasses
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cxlab import i18n
from cxlab.cli import main
from cxlab.colours import is_hex_colour
from cxlab.config import (
    ActivitySettings,
    Branding,
    ClientConfig,
    IndicatorSettings,
    SegmentSettings,
    TableSource,
    TextSettings,
    Thresholds,
    config_from_dict,
    config_to_dict,
    load_config,
    validate_settings,
)
from cxlab.constraints import DateFormat, Interval, Regex, Timezone
from cxlab.demo import generate_demo_client
from cxlab.errors import ConfigError

# --------------------------------------------------------------------------------------------------
# every refused setting, through the command line on a copy of a small demo client


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_demo_client(
        tmp_path_factory.mktemp("demo") / "client", customers=50, cases=50, seed=3, language="en"
    )


def _append(text: str) -> Any:
    return lambda yaml: yaml + text


def _replace(old: str, new: str) -> Any:
    def edit(yaml: str) -> str:
        assert old in yaml, f"the demo client.yaml no longer has {old!r}"
        return yaml.replace(old, new, 1)

    return edit


# (edit of the demo's client.yaml, the key the message must name, a further text it must hold)
REFUSED = {
    "confidence 5": (_append("thresholds:\n  confidence: 5\n"), "thresholds.confidence", "found 5"),
    "confidence 1": (_append("thresholds:\n  confidence: 1\n"), "thresholds.confidence", "(0, 1)"),
    "negative share": (_append("segments:\n  value_top_share: -0.2\n"), "segments.value_top_share", "-0.2"),
    "negative potential share": (
        _append("segments:\n  potential_top_share: -1\n"),
        "segments.potential_top_share",
        "(0, 1]",
    ),
    "NPS promoter minimum 42": (
        _append("indicators:\n  nps_promoter_min: 42\n"),
        "indicators.nps_promoter_min",
        "[0, 10]; found 42",
    ),
    "NPS detractor max not below promoter min": (
        _append("indicators:\n  nps_detractor_max: 9\n"),
        "indicators.nps_promoter_min",
        "indicators.nps_detractor_max (9)",
    ),
    "reversed response-rate band": (
        _append("thresholds:\n  response_rate_band: [0.4, 0.2]\n"),
        "thresholds.response_rate_band",
        "low above high",
    ),
    "unknown timezone": (
        _replace("timezone: Europe/Rome", "timezone: Europe/Roma"),
        "timezone",
        "Europe/Roma",
    ),
    "regex that does not compile": (
        _append("activities:\n  chaser: [sollecit, '(unclosed']\n"),
        "activities.chaser[1]",
        "(unclosed",
    ),
    "theme regex that does not compile": (
        _append("text:\n  themes:\n    pricing: [prezz, '[a-']\n"),
        "text.themes.pricing[1]",
        "[a-",
    ),
    "header_row 0": (
        _replace("    file: data/vendite.csv\n", "    file: data/vendite.csv\n    header_row: 0\n"),
        "tables.transactions.header_row",
        "found 0",
    ),
    "header_row negative": (
        _replace("    file: data/vendite.csv\n", "    file: data/vendite.csv\n    header_row: -2\n"),
        "tables.transactions.header_row",
        "found -2",
    ),
    "date_format without codes": (
        _replace('date_format: "%d/%m/%Y"', 'date_format: "dd/mm/yyyy"'),
        "tables.customers.date_format",
        "dd/mm/yyyy",
    ),
    "date_format with an unknown code": (
        _replace('date_format: "%d/%m/%Y"', 'date_format: "%d/%m/%Q"'),
        "tables.customers.date_format",
        "%Q",
    ),
    "duplicate top-level key": (
        _replace("timezone: Europe/Rome\n", "timezone: Europe/Rome\ncurrency: USD\n"),
        "currency",
        "first on line 4",
    ),
    "duplicate nested key": (
        _replace('    sep: ";"\n', '    sep: ";"\n    sep: ","\n'),
        "tables.customers.sep",
        "line 14",
    ),
    "language without a catalog": (_replace("language: en", "language: xx"), "language", "'xx'"),
    "colour that is not hex": (
        _replace('colour: "#1f4e79"', 'colour: "#zzzzzz"'),
        "branding.colour",
        "#zzzzzz",
    ),
    "colour with 8 digits": (
        _replace('accent: "#e07b39"', 'accent: "#e07b39ff"'),
        "branding.accent",
        "#e07b39ff",
    ),
}


def _validate(folder: Path) -> Any:
    return CliRunner(env={"LANGUAGE": "en"}).invoke(main, ["validate", str(folder)])


def test_the_small_demo_client_validates(small_demo: Path) -> None:
    result = _validate(small_demo)
    assert result.exit_code == 0, result.output
    assert "usable" in result.output


@pytest.mark.parametrize("case", list(REFUSED))
def test_cxlab_validate_refuses_the_setting_naming_file_and_key(
    case: str, small_demo: Path, tmp_path: Path
) -> None:
    edit, key, detail = REFUSED[case]
    folder = tmp_path / "client"
    shutil.copytree(small_demo, folder)
    config_file = folder / "client.yaml"
    config_file.write_text(edit(config_file.read_text(encoding="utf-8")), encoding="utf-8")

    result = _validate(folder)

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert len(message.splitlines()) == 1, message
    assert "client.yaml" in message and f"key '{key}'" in message and detail in message, message
    with pytest.raises(ConfigError) as refused:  # the same refusal when loaded from Python
        load_config(folder)
    assert refused.value.key == key


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    (tmp_path / "client.yaml").write_text(
        "name: X\nthresholds:\n  small_n: 20\n  confidence: 0.9\n  small_n: 40\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path)
    assert str(refused.value) == (
        f"{tmp_path / 'client.yaml'}: key 'thresholds.small_n', line 5: expected each setting once; "
        "found the key a second time (first on line 3)"
    )


def test_yaml_11_booleans_still_read(tmp_path: Path) -> None:
    # client.yaml files written for PyYAML (YAML 1.1) say yes/no; YAML 1.2 reads those as text
    (tmp_path / "client.yaml").write_text(
        "name: X\ntables:\n  events:\n    file: e.csv\n    dayfirst: no\ntext:\n  replace_themes: yes\n",
        encoding="utf-8",
    )
    config = load_config(tmp_path)
    assert config.tables["events"].dayfirst is False and config.text.replace_themes is True


def test_a_language_with_a_catalog_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "de" / "LC_MESSAGES" / "report.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.clear_cache()
    assert config_from_dict({"name": "x", "language": "de"}).language == "de"
    with pytest.raises(ConfigError, match="key 'language'"):
        config_from_dict({"name": "x", "language": "it"})  # no Italian catalog in this locale folder


def test_sheet_index_stays_a_number() -> None:
    config = config_from_dict({"name": "x", "tables": {"events": {"file": "e.xlsx", "sheet": 1}}})
    assert config.tables["events"].sheet == 1
    named = config_from_dict({"name": "x", "tables": {"events": {"file": "e.xlsx", "sheet": "Foglio1"}}})
    assert named.tables["events"].sheet == "Foglio1"


# --------------------------------------------------------------------------------------------------
# declared ranges: inside accepted, outside refused (hypothesis)

SECTIONS: dict[str, type] = {
    "thresholds": Thresholds,
    "indicators": IndicatorSettings,
    "segments": SegmentSettings,
    "text": TextSettings,
    "activities": ActivitySettings,
    "tables.events": TableSource,
}

NUMERIC_FIELDS = [
    (section, name, constraint)
    for section, cls in SECTIONS.items()
    for name, constraint in cls._parameter_constraints.items()  # type: ignore[attr-defined]
    if isinstance(constraint, Interval)
]


def test_every_numeric_setting_declares_a_constraint() -> None:
    for section, cls in {**SECTIONS, "branding": Branding}.items():
        declared = cls._parameter_constraints  # type: ignore[attr-defined]
        for f in dataclasses.fields(cls):
            if f.type in ("int", "float", "int | None", "float | None", "str | int | None"):
                if f.name not in ("value_threshold", "potential_threshold"):  # any amount is a threshold
                    assert f.name in declared, f"{section}.{f.name} has no declared constraint"


def _config_with(section: str, values: dict[str, Any]) -> ClientConfig:
    if section == "tables.events":
        return config_from_dict({"name": "x", "tables": {"events": {"file": "e.csv", **values}}})
    return config_from_dict({"name": "x", section: values})


def _inside(interval: Interval) -> st.SearchStrategy[float]:
    if interval.type is int:
        low = None if interval.left is None else math.ceil(interval.left) + (0 if interval.left_closed else 1)
        high = (
            None
            if interval.right is None
            else math.floor(interval.right) - (0 if interval.right_closed else 1)
        )
        return st.integers(min_value=low, max_value=high)
    return st.floats(
        min_value=interval.left,
        max_value=interval.right,
        exclude_min=interval.left is not None and not interval.left_closed,
        exclude_max=interval.right is not None and not interval.right_closed,
        allow_nan=False,
    )


def _outside(interval: Interval) -> st.SearchStrategy[float]:
    sides: list[st.SearchStrategy[float]] = []
    if interval.type is int:
        if interval.left is not None:
            sides.append(st.integers(max_value=math.ceil(interval.left) - (1 if interval.left_closed else 0)))
        if interval.right is not None:
            sides.append(
                st.integers(min_value=math.floor(interval.right) + (1 if interval.right_closed else 0))
            )
        return st.one_of(sides)
    if interval.left is not None:
        sides.append(st.floats(max_value=interval.left, exclude_max=interval.left_closed, allow_nan=False))
    if interval.right is not None:
        sides.append(st.floats(min_value=interval.right, exclude_min=interval.right_closed, allow_nan=False))
    return st.one_of([*sides, st.just(math.nan)])


def _partners(cls: type, name: str, value: float) -> dict[str, Any]:
    """For a field in a relation (detractor max below promoter min), its partner at the far end of the
    partner's own range, the value that lets the most in-range values of ``name`` pass."""
    ranges: dict[str, Interval] = cls._parameter_constraints  # type: ignore[attr-defined]
    partners: dict[str, Any] = {}
    for relation in getattr(cls, "_field_relations", ()):
        if relation.upper == name:
            lowest = ranges[relation.lower].left
            assert lowest is not None
            partners[relation.lower] = lowest
            assume(value > lowest)
        elif relation.lower == name:
            highest = ranges[relation.upper].right
            assert highest is not None
            partners[relation.upper] = highest
            assume(value < highest)
    return partners


@pytest.mark.parametrize(("section", "name", "interval"), NUMERIC_FIELDS, ids=lambda v: str(v)[:40])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_values_inside_the_declared_range_are_accepted(
    section: str, name: str, interval: Interval, data: st.DataObject
) -> None:
    value = data.draw(_inside(interval))
    partners = _partners(SECTIONS[section], name, value)
    config = _config_with(section, {name: value, **partners})
    read = config.tables["events"] if section == "tables.events" else getattr(config, section)
    assert getattr(read, name) == value


@pytest.mark.parametrize(("section", "name", "interval"), NUMERIC_FIELDS, ids=lambda v: str(v)[:40])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_values_outside_the_declared_range_are_refused(
    section: str, name: str, interval: Interval, data: st.DataObject
) -> None:
    value = data.draw(_outside(interval))
    with pytest.raises(ConfigError) as refused:
        _config_with(section, {name: value})
    assert refused.value.key == f"{section}.{name}"
    assert refused.value.expected == interval.describe()


@given(
    low=st.floats(min_value=0, max_value=1),
    high=st.floats(min_value=0, max_value=1),
)
@settings(max_examples=60, deadline=None)
def test_response_rate_band_accepted_exactly_when_ordered(low: float, high: float) -> None:
    values = {"response_rate_band": [low, high]}
    if low <= high:
        assert _config_with("thresholds", values).thresholds.response_rate_band == (low, high)
    else:
        with pytest.raises(ConfigError, match="low above high"):
            _config_with("thresholds", values)


# --------------------------------------------------------------------------------------------------
# the checks, by hand


@given(digits=st.text(alphabet="0123456789abcdefABCDEF", min_size=3, max_size=6))
def test_hex_colours_of_3_or_6_digits_are_colours(digits: str) -> None:
    assert is_hex_colour("#" + digits) == (len(digits) in (3, 6))


@pytest.mark.parametrize(
    "text", ["#zzzzzz", "1f4e79", "#1f4e7", "#1f4e79ff", "red", "#fff ", "", None, 0x1F4E79]
)
def test_not_colours(text: object) -> None:
    assert not is_hex_colour(text)


@pytest.mark.parametrize("fmt", ["%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%d.%m.%y", "%d %b %Y %H:%M", "ISO8601"])
def test_date_formats_accepted(fmt: str) -> None:
    assert DateFormat().violation(fmt) is None


@pytest.mark.parametrize(
    ("fmt", "why"),
    [
        ("dd/mm/yyyy", "no year code"),
        ("%d/%m", "no year code"),
        ("%Y-%m-%Q", "unknown code %Q"),
        ("%Y-%m-%", "unknown code %"),
        ("%G-%m-%d", "ISO year directive"),
    ],
)
def test_date_formats_refused(fmt: str, why: str) -> None:
    violation = DateFormat().violation(fmt)
    assert violation is not None and why in violation.found


def test_timezones() -> None:
    assert Timezone().violation("Europe/Rome") is None and Timezone().violation("UTC") is None
    for name in ("Europe/Roma", "CET+1", "../etc/passwd", "", "Europe"):
        assert Timezone().violation(name) is not None, name


def test_regexes() -> None:
    assert Regex().violation(r"self.?service") is None
    assert Regex().violation("(unclosed") is not None
    assert Regex().violation("   ") is not None  # a blank pattern would match every activity


def test_interval_descriptions() -> None:
    assert Interval(int, 0, 10).describe() == "a whole number in [0, 10]"
    assert Interval(float, 0, 1, closed="neither").describe() == "a number in (0, 1)"
    assert Interval(float, 0, 1, closed="right").describe() == "a number in (0, 1]"
    assert Interval(int, 1, None).describe() == "a whole number ≥ 1"
    assert Interval(float, 0, None, closed="neither").describe() == "a number > 0"


# --------------------------------------------------------------------------------------------------
# round trip: the defaults and the demo's settings validate


def test_defaults_validate_and_round_trip() -> None:
    defaults = ClientConfig(name="x")
    validate_settings(defaults)
    assert config_from_dict(config_to_dict(defaults)) == defaults


def test_demo_settings_round_trip(small_demo: Path) -> None:
    loaded = load_config(small_demo)
    validate_settings(loaded)
    assert config_from_dict(config_to_dict(loaded)) == loaded


def test_settings_built_in_code_are_checked_too() -> None:
    what_if = dataclasses.replace(ClientConfig(name="x"), thresholds=Thresholds(confidence=5))
    with pytest.raises(
        ConfigError, match=r"key 'thresholds.confidence': expected a number in \(0, 1\); found 5"
    ):
        validate_settings(what_if)
