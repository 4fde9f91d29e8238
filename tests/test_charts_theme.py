"""The chart theme carries the client's brand colours into every chart's spec, per client, without leaking."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import yaml

from cxlab.charts.theme import PALETTE, THEME_NAME, brand_theme, use_theme
from cxlab.config import Branding
from cxlab.errors import ConfigError
from cxlab.jupyter.charts import use_client_charts
from cxlab.report.charts import as_spec, chart_html, use_report_renderer
from cxlab.report.context import open_client

CLIENT_A = Branding(colour="#aa0011", accent="#00bb22")
CLIENT_B = Branding(colour="#0000cc", accent="#dd8800")


@pytest.fixture(autouse=True)
def _restore_altair():
    """Each test leaves Altair's theme and renderer as it found them."""
    theme, renderer = alt.theme.active, alt.renderers.active
    yield
    alt.theme.enable(theme)
    alt.renderers.enable(renderer)


def bar_spec() -> dict:
    frame = pd.DataFrame({"department": ["Sales", "Logistics"], "handoffs": [3, 5]})
    return as_spec(alt.Chart(frame).mark_bar().encode(x="department:N", y="handoffs:Q"))


def test_two_clients_in_one_process_each_get_their_own_colours() -> None:
    use_report_renderer(branding=CLIENT_A)
    spec_a = bar_spec()
    use_report_renderer(branding=CLIENT_B)
    spec_b = bar_spec()
    use_report_renderer(branding=CLIENT_A)  # back to the first client: its theme is unchanged
    spec_a_again = bar_spec()

    assert spec_a["config"]["bar"]["color"] == "#aa0011"
    assert spec_a["config"]["range"]["category"][:2] == ["#aa0011", "#00bb22"]
    assert spec_b["config"]["bar"]["color"] == "#0000cc"
    assert spec_b["config"]["range"]["category"][:2] == ["#0000cc", "#dd8800"]
    text_b = json.dumps(spec_b)
    assert "#aa0011" not in text_b and "#00bb22" not in text_b
    assert spec_a_again["config"] == spec_a["config"]


def test_a_report_without_branding_does_not_keep_the_previous_clients_colours() -> None:
    use_report_renderer(branding=CLIENT_A)
    use_report_renderer()
    spec = bar_spec()
    assert spec["config"]["bar"]["color"] == PALETTE[0]
    assert "#aa0011" not in json.dumps(spec)


def test_one_theme_per_brand_registered_once() -> None:
    name = brand_theme("#AA0011", "#00BB22")
    assert name == brand_theme("#aa0011", "#00bb22") == f"{THEME_NAME}-aa0011-00bb22"
    assert name in alt.theme.names()
    assert brand_theme("#0000cc", "#dd8800") != name
    # the palette after the brand's two colours drops the brand's own colours (no duplicate in the range)
    use_theme(PALETTE[2], PALETTE[0])
    category = bar_spec()["config"]["range"]["category"]
    assert category == [PALETTE[2], PALETTE[0], *PALETTE[3:]]


def test_a_bad_brand_colour_is_refused_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"branding\.accent") as caught:
        brand_theme("#1f4e79", "#zzzzzz")
    assert "client.yaml" in str(caught.value)


def test_the_report_snippet_carries_the_brand() -> None:
    use_report_renderer(branding=CLIENT_B)
    snippet = chart_html(alt.Chart(pd.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q"))
    assert '"bar":{"color":"#0000cc"}' in snippet


def test_jupyterlab_charts_get_the_client_theme() -> None:
    name = use_client_charts(CLIENT_A)
    assert alt.theme.active == name
    assert bar_spec()["config"]["bar"]["color"] == "#aa0011"
    use_client_charts()
    assert bar_spec()["config"]["bar"]["color"] == PALETTE[0]


def test_open_client_enables_the_clients_brand(demo_client_dir: Path, tmp_path: Path) -> None:
    # two clients opened one after the other in the same process, as in a warm batch kernel
    folders = []
    for name, brand in (("a", CLIENT_A), ("b", CLIENT_B)):
        folder = Path(shutil.copytree(demo_client_dir, tmp_path / name))
        path = folder / "client.yaml"
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        config["branding"] = {"colour": brand.colour, "accent": brand.accent}
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
        folders.append(folder)
    open_client(folders[0])
    spec_a = bar_spec()
    open_client(folders[1])
    spec_b = bar_spec()
    assert spec_a["config"]["range"]["category"][:2] == [CLIENT_A.colour, CLIENT_A.accent]
    assert spec_b["config"]["range"]["category"][:2] == [CLIENT_B.colour, CLIENT_B.accent]
