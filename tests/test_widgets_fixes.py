"""Widget defects of issue 22, each with a test that failed before the fix."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cxlab.intake import load_client
from cxlab.widgets import HandoffExplorer

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def explorer(demo_client_dir: Path) -> HandoffExplorer:
    return HandoffExplorer(load_client(demo_client_dir), lang="en")


def test_filtering_to_one_department_keeps_its_handoffs(explorer: HandoffExplorer) -> None:
    everything = explorer.matrix
    department = max(explorer.departments, key=lambda d: sum(d in (r["from"], r["to"]) for r in everything))
    explorer.selected_departments = [department]
    try:
        touching = [r for r in everything if department in (r["from"], r["to"])]
        assert touching and sorted(map(json.dumps, explorer.matrix)) == sorted(map(json.dumps, touching))
    finally:
        explorer.selected_departments = []
    assert explorer.matrix == everything


@pytest.mark.skipif(shutil.which("node") is None, reason="no node to load the front-end module")
def test_nps_points_lost_is_shaded_by_signed_value_worst_darkest() -> None:
    """Points lost (positive) darken with the loss; points gained (negative) never look worse than a loss."""
    values = [-10.0, 3.0, 1.0, 0.0]
    script = (
        f"import {{cellShade}} from {(REPO / 'widgets' / 'handoff_explorer.js').as_uri()!r};"
        f"const v = {json.dumps(values)};"
        "console.log(JSON.stringify(v.map(x => cellShade('nps_points_lost', x, v))));"
    )
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, check=True
    )
    shades = json.loads(out.stdout)
    darkest = max(range(len(values)), key=lambda i: shades[i]["alpha"])
    assert values[darkest] == 3.0  # the most points lost, not the largest absolute value (a gain of 10)
    assert shades[1]["alpha"] == 1.0 and abs(shades[2]["alpha"] - 1 / 3) < 1e-9
    assert shades[0]["rgb"] != shades[1]["rgb"] and shades[0]["alpha"] <= 0.3


def test_saving_one_segment_slider_never_writes_the_other(demo_client_dir: Path, tmp_path: Path) -> None:
    import yaml

    from cxlab.widgets import SegmentExplorer

    root = Path(shutil.copytree(demo_client_dir, tmp_path / "demo"))

    def segments() -> dict:
        return yaml.safe_load((root / "client.yaml").read_text(encoding="utf-8")).get("segments") or {}

    before = segments()
    explorer = SegmentExplorer(load_client(root), lang="en")
    assert explorer.value_share == explorer.dx.settings.segments.value_top_share  # opens on client.yaml's
    explorer.value_share = 0.25
    explorer.save()
    assert segments() == {**before, "value_top_share": 0.25}
    # absolute thresholds: switching mode writes both, then moving one writes that one only
    explorer.mode = "absolute"
    explorer.save()
    saved = segments()
    assert {"value_threshold", "potential_threshold"} <= set(saved)
    reopened = SegmentExplorer(load_client(root), lang="en")
    reopened.value_threshold = saved["value_threshold"] * 2
    reopened.save()
    assert segments()["potential_threshold"] == saved["potential_threshold"]
    assert segments()["value_threshold"] == round(saved["value_threshold"] * 2, 2)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_badges_are_readable_in_both_themes() -> None:
    """Badge text (ok / warning / error) on the badge background reaches WCAG AA (4.5:1) on JupyterLab's
    light layout colour (#f6f8fa fallback) and on its dark one (--jp-layout-color2 = #424242)."""
    import re

    css = (REPO / "widgets" / "cxlab.css").read_text(encoding="utf-8")

    def palette(selector: str) -> dict[str, str]:
        block = css[css.index(selector + " {") :].split("}", 1)[0]
        return dict(re.findall(r"--cx-(ok|warn|err):\s*(#[0-9a-fA-F]{6})", block))

    light, dark = palette(".cxlab-w"), palette('body[data-jp-theme-light="false"] .cxlab-w')
    assert set(dark) == {"ok", "warn", "err"}
    for name in ("ok", "warn", "err"):
        assert _contrast(light[name], "#f6f8fa") >= 4.5, name
        assert _contrast(dark[name], "#424242") >= 4.5, name


def test_an_old_error_is_cleared_by_the_fix(demo_client_dir: Path) -> None:
    from cxlab.widgets import SegmentExplorer

    explorer = SegmentExplorer(load_client(demo_client_dir), lang="en")
    explorer.value_share = 0.0  # invalid: a share above 0 % is expected
    assert explorer.status == "error" and explorer.message
    explorer.value_share = 0.3
    assert (explorer.status, explorer.message) == ("", "")


@pytest.mark.skipif(shutil.which("node") is None, reason="no node to read the front-end labels")
@pytest.mark.parametrize("module", sorted(p.name for p in (REPO / "widgets").glob("*.js")))
def test_every_label_exists_in_english_and_italian(module: str) -> None:
    """Each front end's label table (``const T``) has the same keys, nested ones too, in both languages:
    a key missing in one language shows ``undefined`` or the other language's word."""
    source = (REPO / "widgets" / module).read_text(encoding="utf-8")
    if "const T = {" not in source:
        pytest.skip(f"{module} has no label table")
    table = source[source.index("const T = {") + len("const T = ") :].split("\n};\n", 1)[0] + "\n}"
    script = f"const T = {table};\nconsole.log(JSON.stringify(T));"
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    labels = json.loads(out.stdout)

    def keys(tree: dict, prefix: str = "") -> set[str]:
        found = set()
        for key, value in tree.items():
            found.add(prefix + key)
            if isinstance(value, dict):
                found |= keys(value, prefix + key + ".")
        return found

    assert keys(labels["en"]) == keys(labels["it"])


def _page(widget, action: str) -> None:
    """What a click in the page does: a custom message to the kernel."""
    widget._on_page_message(widget, {"action": action}, [])


def test_error_messages_are_in_the_widget_language(tmp_path: Path) -> None:
    """An Italian widget's error names file, column and value in Italian (it was the English message);
    the English widget keeps the one message form of cxlab.errors."""
    from cxlab.widgets import CultureForm
    from cxlab.widgets.culture_form import FORM

    (tmp_path / "client.yaml").write_text("name: Rossi\nlanguage: it\n", encoding="utf-8")
    italian = CultureForm(tmp_path, file="data/ws.csv", lang="it")
    _page(italian, "submit")
    assert italian.status == "error"
    assert italian.message == (
        "modulo del workshop: colonna 'department': atteso: il reparto di chi risponde; trovato: nessuna scelta"
    )
    italian.department, italian.respondent = "Sales", "x"
    italian.answers = {**italian.answers, "q01_what_we_do": 7}
    _page(italian, "submit")
    assert (
        italian.message
        == "modulo del workshop: colonna 'q01_what_we_do': atteso: un punteggio da 1 a 5; trovato: 7"
    )

    english = CultureForm(tmp_path, file="data/ws.csv", lang="en")
    _page(english, "submit")
    assert (
        english.message
        == f"{FORM}: column 'department': expected the respondent's department; found nothing chosen"
    )
    assert not (tmp_path / "data" / "ws.csv").exists()


def test_error_text_translates_rows_and_keys() -> None:
    from cxlab.errors import ConfigError, InvalidValueError
    from cxlab.widgets._base import error_text

    rows = InvalidValueError(
        "a score from 1 to 5", file="w.csv", column="score", rows=range(2, 10), found="'9'"
    )
    assert error_text(rows, "it") == (
        "w.csv: colonna 'score', righe 2, 3, 4, 5, 6 (e altre 3): atteso: un punteggio da 1 a 5; trovato: '9'"
    )
    assert error_text(rows, "en") == str(rows)
    key = ConfigError("one of share, absolute", file="client.yaml", column="segments.mode", found="'x'")
    assert error_text(key, "it") == (
        "client.yaml: chiave 'segments.mode': atteso: uno tra share, absolute; trovato: 'x'"
    )


def test_a_custom_recommendation_without_evidence_prints_no_empty_evidence(
    demo_client_dir: Path, tmp_path: Path
) -> None:
    """Issue 22: custom recommendations printed an empty "Evidence:"; the evidence shows only when there
    is some, in the recommendations section and in the summary's priority actions."""
    from cxlab.report import open_client, story

    client = tmp_path / "client"
    shutil.copytree(demo_client_dir, client)
    (client / "recommendations.yaml").write_text(
        "unreviewed: show\n"
        "custom:\n"
        "  - id: pricing_review\n"
        "    title: {it: Rivedere il listino, en: Review the price list}\n"
        "    text: {it: Rivedere il listino con Vendite., en: Review the price list with Sales.}\n"
        "    owner: Sales\n"
        "    priority: 25\n",
        encoding="utf-8",
    )
    ctx = open_client(client)
    recs = [r for r in ctx.recommendations if r.id == "pricing_review"]
    assert recs and not recs[0].evidence.get(ctx.lang)
    section = story.recommendations_section(ctx).body
    card = section[section.index("Rivedere il listino") :].split("</li>", 1)[0]
    assert "cx-rec-evidence" not in card and "Rivedere il listino con Vendite." in card
    assert '<span class="cx-rec-evidence"></span>' not in section
    assert '<span class="cx-rec-evidence">' in section  # the generated ones keep theirs
    summary = story.executive_summary(ctx).body
    line = summary[summary.index("<strong>Rivedere il listino") :].split("</li>", 1)[0]
    assert re.search(r"</strong>(<[^>]+>[^<]*</[^>]+>)? — <span class=\"cx-owner\">", line), line
