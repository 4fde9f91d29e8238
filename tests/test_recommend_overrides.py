"""recommendations.yaml, third-party playbooks through entry points, and the action-plan export."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
import types
from importlib.metadata import EntryPoint

import openpyxl
import pandas as pd
import pytest

from cxlab.errors import ConfigError
from cxlab.findings import Findings
from cxlab.recommend import (
    Condition,
    Rule,
    RuleError,
    Text,
    action_plan,
    discover_rules,
    export_action_plan,
    generate_recommendations,
    load_overrides,
    save_overrides,
)
from cxlab.recommend import engine as engine_module
from cxlab.recommend.playbook import BUILTIN_RULES

AS_OF = dt.date(2026, 10, 31)
FINDINGS = Findings(
    {
        "handoff.pingpong_pair": "Customer Service ↔ Credit",
        "handoff.pingpong_rate": 0.7,
        "handoff.pingpong_cases": 420,
        "selfservice.cases": 240,
        "selfservice.failure_to_call_share": 0.6,
        "selfservice.department": "Web Portal",
        "survey.has_cold": False,
        "chasers.cases": 480,
        "chasers.share_of_cases": 0.12,
        "chasers.department": "Credit",
    },
    analysis_date=AS_OF,
)


def _write(tmp_path, text: str):
    (tmp_path / "recommendations.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_without_overrides_everything_triggered_is_proposed_and_shown(tmp_path):
    result = generate_recommendations(FINDINGS, tmp_path, rules=BUILTIN_RULES)
    ids = [r.id for r in result.recommendations]
    assert set(ids) == {"handoff_pingpong", "selfservice_fix", "survey_add_cold", "chasers_status_updates"}
    assert {r.status for r in result.recommendations} == {"proposed"}
    assert [r.id for r in result.shown] == ids


def test_scaffolded_comment_only_file_means_no_decisions(tmp_path):
    _write(tmp_path, "# only comments\n")
    assert len(action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES)) == 4


def test_reject_one_and_reword_another(tmp_path):
    _write(
        tmp_path,
        """
        recommendations:
          survey_add_cold:
            status: rejected
          handoff_pingpong:
            status: accepted
            text:
              it: Una checklist condivisa tra Servizio clienti e Credito entro gennaio.
              en: A shared Customer Service–Credit checklist by January.
            owner: Credit
            priority: 24
            due: 2027-Q1
        """,
    )
    shown = action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES)
    ids = [r.id for r in shown]
    assert "survey_add_cold" not in ids
    first = shown[0]
    assert first.id == "handoff_pingpong" and first.priority == 24
    assert first.action.en == "A shared Customer Service–Credit checklist by January."
    assert first.action.it.startswith("Una checklist condivisa")
    assert first.owner == "Credit" and first.due == "2027-Q1" and first.status == "accepted"
    assert set(first.edited) == {"status", "text", "owner", "priority", "due"}
    # the evidence still carries the generated figures
    assert "70%" in first.evidence.en and "420" in first.evidence.en


def test_reject_and_reword_change_the_exported_plan(tmp_path):
    """The acceptance case end to end: same findings, with and without the file, down to the CSV."""
    before = action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES, as_of=AS_OF)
    assert "selfservice_fix" in [r.id for r in before]
    generated = {r.id: r for r in before}["chasers_status_updates"].action
    _write(
        tmp_path,
        """
        recommendations:
          selfservice_fix: {status: rejected}
          chasers_status_updates:
            text: {it: Richiamare entro un giorno ogni cliente in attesa., en: Call every waiting customer within a day.}
        """,
    )
    after = action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES, as_of=AS_OF)
    assert [r.id for r in after] == [r.id for r in before if r.id != "selfservice_fix"]
    reworded = {r.id: r for r in after}["chasers_status_updates"]
    assert reworded.action.en != generated.en and reworded.edited == ("text",)
    for lang, sep, text in (
        ("en", ",", "Call every waiting customer within a day."),
        ("it", ";", "Richiamare entro un giorno ogni cliente in attesa."),
    ):
        frame = pd.read_csv(
            export_action_plan(after, tmp_path / f"plan_{lang}.csv", lang=lang), sep=sep, encoding="utf-8-sig"
        )
        assert len(frame) == len(before) - 1
        recommendation = "Raccomandazione" if lang == "it" else "Recommendation"
        assert text in set(frame[recommendation]) and generated.get(lang) not in set(frame[recommendation])


def test_accepted_only_is_explicit(tmp_path):
    _write(
        tmp_path,
        """
        recommendations:
          selfservice_fix: {status: accepted}
          survey_add_cold: {status: rejected}
        custom:
          - {id: pricing_review, text: Review the price list., owner: Sales, priority: 2}
        """,
    )
    result = generate_recommendations(FINDINGS, tmp_path, rules=BUILTIN_RULES, as_of=AS_OF)
    assert [r.id for r in result.accepted] == ["selfservice_fix", "pricing_review"]
    assert [r.id for r in result.rejected] == ["survey_add_cold"]
    assert {r.id for r in result.proposed} == {"handoff_pingpong", "chasers_status_updates"}
    # the default (unreviewed: show) also shows the proposals nobody reviewed yet, never the rejected
    assert {r.id for r in result.shown} == {r.id for r in result.accepted + result.proposed}
    final = action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES, as_of=AS_OF, accepted_only=True)
    assert [r.id for r in final] == ["selfservice_fix", "pricing_review"]
    assert {r.status for r in final} == {"accepted"}


def test_reword_one_language_keeps_the_other(tmp_path):
    _write(tmp_path, "recommendations:\n  selfservice_fix:\n    text: {it: Rifare il portale.}\n")
    rec = {r.id: r for r in action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES)}["selfservice_fix"]
    assert rec.action.it == "Rifare il portale."
    assert rec.action.en.startswith("Fix the self-service flow")


def test_unreviewed_hide_shows_only_accepted(tmp_path):
    _write(
        tmp_path,
        """
        unreviewed: hide
        recommendations:
          selfservice_fix: {status: accepted}
          chasers_status_updates: {status: proposed}
        """,
    )
    result = generate_recommendations(FINDINGS, tmp_path, rules=BUILTIN_RULES)
    assert [r.id for r in result.shown] == ["selfservice_fix"]
    assert len(result.recommendations) == 4


def test_custom_recommendation_and_unmatched_override(tmp_path):
    _write(
        tmp_path,
        """
        recommendations:
          barometer_drop_group: {status: accepted}
        custom:
          - id: pricing_review
            title: Revisione listino
            text: {it: Rivedere il listino edilizia., en: Review the construction price list.}
            owner: Sales
            priority: 18
        """,
    )
    result = generate_recommendations(FINDINGS, tmp_path, rules=BUILTIN_RULES, as_of=AS_OF)
    custom = {r.id: r for r in result.shown}["pricing_review"]
    assert custom.source == "custom" and custom.status == "accepted"
    assert custom.action.en == "Review the construction price list."
    assert custom.title.en == custom.title.it == "Revisione listino"
    assert custom.due == "2027-Q1"  # priority 18 -> next quarter
    assert result.unmatched == ("barometer_drop_group",)


@pytest.mark.parametrize(
    "text, column",
    [
        (
            "recommendations:\n  handoff_pingpong: {status: maybe}\n",
            "recommendations.handoff_pingpong.status",
        ),
        (
            "recommendations:\n  handoff_pingpong: {priority: 40}\n",
            "recommendations.handoff_pingpong.priority",
        ),
        ("recommendations:\n  handoff_pingpong: {due: Q1 2027}\n", "recommendations.handoff_pingpong.due"),
        ("recommendations:\n  handoff_pingpong: {colour: red}\n", "recommendations.handoff_pingpong.colour"),
        (
            "recommendations:\n  handoff_pingpong: {text: {de: Hallo}}\n",
            "recommendations.handoff_pingpong.text.de",
        ),
        ("recommendations:\n  handoff_pingpong: {effort: huge}\n", "recommendations.handoff_pingpong.effort"),
        ("unreviewed: maybe\n", "unreviewed"),
        ("custom:\n  - {id: x, text: y, owner: Sales}\n", "custom[0].priority"),
        (
            "custom:\n  - {id: x, text: y, owner: Sales, priority: 3}\n  - {id: x, text: z, owner: Sales, priority: 3}\n",
            "custom[1].id",
        ),
        ("recomendations: {}\n", "recomendations"),
    ],
)
def test_invalid_override_files_name_file_and_key(tmp_path, text, column):
    _write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_overrides(tmp_path)
    assert err.value.column == column
    assert "recommendations.yaml" in str(err.value) and column in str(err.value)


def test_broken_yaml_names_the_line(tmp_path):
    _write(tmp_path, "recommendations:\n  a: [1, 2\n")
    with pytest.raises(ConfigError) as err:
        load_overrides(tmp_path)
    assert "recommendations.yaml" in str(err.value) and err.value.rows


def test_save_and_reload_round_trip(tmp_path):
    overrides = load_overrides(tmp_path)  # no file yet
    overrides = overrides.with_override("selfservice_fix", status="rejected")
    overrides = overrides.with_override("handoff_pingpong", priority=22, text={"en": "New words."})
    save_overrides(overrides, tmp_path)
    again = load_overrides(tmp_path)
    assert again == overrides
    shown = {r.id: r for r in action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES)}
    assert "selfservice_fix" not in shown and shown["handoff_pingpong"].action.en == "New words."
    with pytest.raises(ConfigError):
        overrides.with_override("handoff_pingpong", priority=99)


# ------------------------------------------------------------------------------------------ entry points

THIRD_PARTY = (
    Rule(
        id="acme_churn_calls",
        topic="segments",
        lever="acme_retention",
        needs=("chasers.cases",),
        when=(Condition("chasers.cases", ">=", 100),),
        title=Text(it="Chiamate anti-abbandono", en="Churn-prevention calls"),
        evidence=Text(it="{chasers.cases} casi sollecitati.", en="{chasers.cases} chased cases."),
        action=Text(it="Chiamare i clienti sollecitanti.", en="Call the chasing customers."),
        owner="Sales",
        effort="low",
        impact=5,
        urgency=5,
    ),
)


@pytest.fixture
def acme_package(monkeypatch):
    """A fake installed playbook package 'acme_playbook' with one rule, registered as an entry point."""
    module = types.ModuleType("acme_playbook")
    module.rules = lambda: THIRD_PARTY
    module.not_rules = lambda: ["oops"]
    module.clash = lambda: (BUILTIN_RULES[0],)
    monkeypatch.setitem(sys.modules, "acme_playbook", module)

    def fake_entry_points(group=None, **_):
        eps = [
            EntryPoint("builtin", "cxlab.recommend.playbook:builtin_rules", "cxlab.rules"),
            EntryPoint("acme", "acme_playbook:rules", "cxlab.rules"),
        ]
        return [ep for ep in eps if group in (None, ep.group)]

    monkeypatch.setattr(engine_module, "entry_points", fake_entry_points)
    return module


def test_builtin_playbook_is_registered_through_entry_points():
    rules = discover_rules()
    assert {r.id for r in BUILTIN_RULES} <= {r.id for r in rules}
    assert {r.source for r in rules if r.id == "handoff_pingpong"} == {"builtin"}


def test_third_party_rule_appears_in_the_output(acme_package):
    rules = discover_rules()
    assert rules[-1].id == "acme_churn_calls" and rules[-1].source == "acme"
    shown = action_plan(FINDINGS)  # rules discovered through the (fake) entry points
    assert shown[0].id == "acme_churn_calls" and shown[0].source == "acme"
    assert shown[0].evidence.it == "480 casi sollecitati."
    assert "handoff_pingpong" in {r.id for r in shown}


def test_installed_distribution_with_an_entry_point_is_discovered(tmp_path, monkeypatch):
    """No test doubles: a real (unpacked) distribution on sys.path, found by importlib.metadata."""
    site = tmp_path / "site"
    (site / "acme_cx_rules").mkdir(parents=True)
    (site / "acme_cx_rules" / "__init__.py").write_text(
        textwrap.dedent(
            """
            from cxlab.recommend import Condition, Rule, Text

            def rules():
                return [
                    Rule(
                        id="acme_selfservice_chat",
                        topic="self_service",
                        lever="self_service",
                        needs=("selfservice.failure_to_call_share",),
                        when=(Condition("selfservice.failure_to_call_share", ">=", 0.5),),
                        title=Text(it="Chat sul portale", en="Portal chat"),
                        evidence=Text(
                            it="{selfservice.failure_to_call_share} dei tentativi finisce al telefono.",
                            en="{selfservice.failure_to_call_share} of attempts end on the phone.",
                        ),
                        action=Text(it="Aggiungere una chat.", en="Add a chat."),
                        owner="Web Portal",
                        effort="medium",
                        impact=4,
                        urgency=4,
                    )
                ]
            """
        ),
        encoding="utf-8",
    )
    dist = site / "acme_cx_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-cx-rules\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text("[cxlab.rules]\nacme = acme_cx_rules:rules\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "acme_cx_rules", raising=False)

    rules = discover_rules()
    assert {r.source for r in rules if r.id == "acme_selfservice_chat"} == {"acme"}
    assert {r.id for r in BUILTIN_RULES} <= {r.id for r in rules}
    shown = {r.id: r for r in action_plan(FINDINGS, tmp_path)}
    assert shown["acme_selfservice_chat"].evidence.it == "60% dei tentativi finisce al telefono."
    assert shown["acme_selfservice_chat"].source == "acme" and "selfservice_fix" in shown


def test_bad_third_party_packages_are_named(acme_package, monkeypatch):
    for target, found in (("acme_playbook:not_rules", "str"), ("acme_playbook:clash", "already defined")):

        def fake(group=None, target=target, **_):
            return [
                EntryPoint("builtin", "cxlab.recommend.playbook:builtin_rules", "cxlab.rules"),
                EntryPoint("acme", target, "cxlab.rules"),
            ]

        monkeypatch.setattr(engine_module, "entry_points", fake)
        with pytest.raises(RuleError) as err:
            discover_rules()
        assert "entry point 'acme'" in str(err.value) and found in str(err.value)


# ------------------------------------------------------------------------------------------------ export


@pytest.mark.parametrize("lang", ["it", "en"])
def test_export_xlsx_and_csv(tmp_path, lang):
    _write(tmp_path, "recommendations:\n  survey_add_cold: {status: rejected}\n")
    shown = action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES)
    xlsx = export_action_plan(shown, tmp_path / "plan.xlsx", lang=lang)
    csv = export_action_plan(shown, tmp_path / "plan.csv", lang=lang)

    ws = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in ws[1]]
    expected = (
        ["Raccomandazione", "Evidenza", "Responsabile", "Priorità (1–25)", "Impegno", "Trimestre"]
        if lang == "it"
        else ["Recommendation", "Evidence", "Owner", "Priority (1–25)", "Effort", "Due quarter"]
    )
    assert set(expected) <= set(header)
    assert ws.max_row == 1 + len(shown) == 4

    # Italian: ";" and a decimal comma, as Excel on an Italian PC reads numbers
    frame = pd.read_csv(
        csv, sep=";" if lang == "it" else ",", decimal="," if lang == "it" else ".", encoding="utf-8-sig"
    )
    assert list(frame[expected[0]]) == [r.action.get(lang) for r in shown]
    assert list(frame[expected[1]]) == [r.evidence.get(lang) for r in shown]
    assert list(frame[expected[3]]) == [r.priority for r in shown]
    assert frame[expected[2]].iloc[0] == shown[0].owner
    if lang == "it":
        assert set(frame["Impegno"]) <= {"basso", "medio", "alto"}


def test_export_refuses_unknown_suffix(tmp_path):
    with pytest.raises(ConfigError):
        export_action_plan([], tmp_path / "plan.pdf")


def test_priority_charts(tmp_path):
    from cxlab.charts.recommend import priority_bars, priority_matrix

    shown = action_plan(FINDINGS, tmp_path, rules=BUILTIN_RULES)
    spec = priority_matrix(shown, "it").to_dict()
    points = spec["layer"][2]
    assert points["encoding"]["x"]["field"] == "urgency" and points["encoding"]["y"]["field"] == "impact"
    assert points["encoding"]["color"]["scale"]["domain"] == ["basso", "medio", "alto"]
    bars = priority_bars(shown, "en", top=2).to_dict()
    assert bars["encoding"]["y"]["sort"] == [r.title.en for r in shown[:2]]
    assert bars["title"] == "Recommendations by priority"
