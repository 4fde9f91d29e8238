"""The demo client generator: determinism, formats, and every planted finding checked on the raw files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlab.config import load_config
from cxlab.demo import DEPARTMENTS, generate_demo_client
from cxlab.errors import ConfigError
from cxlab.questionnaire import QUESTION_IDS

FILES = (
    "clienti.csv",
    "vendite.csv",
    "eventi.csv",
    "inviti.csv",
    "risposte.csv",
    "workshop.xlsx",
    "README.md",
)


@pytest.fixture(scope="module")
def demo(demo_client_dir: Path) -> Path:
    return demo_client_dir


@pytest.fixture(scope="module")
def raw(demo: Path) -> dict[str, pd.DataFrame]:
    d = demo / "data"
    return {
        "customers": pd.read_csv(d / "clienti.csv", sep=";", encoding="utf-8-sig", dtype=str),
        "transactions": pd.read_csv(d / "vendite.csv", sep=";", dtype=str),
        "events": pd.read_csv(d / "eventi.csv", parse_dates=["timestamp"]),
        "invitations": pd.read_csv(d / "inviti.csv", parse_dates=["sent_at", "responded_at"]),
        "responses": pd.read_csv(d / "risposte.csv", parse_dates=["answered_at", "followup_at"]),
        "culture": pd.read_excel(d / "workshop.xlsx"),
    }


@pytest.fixture(scope="module")
def planted(demo: Path) -> dict:
    return json.loads((demo / "planted.json").read_text(encoding="utf-8"))


def _nps(s: pd.Series) -> float:
    return 100 * ((s >= 9).mean() - (s <= 6).mean())


def _visits(events: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive events of a case in one department, in time order."""
    ev = events.sort_values(["case_id", "timestamp"], kind="stable")
    new = (ev["case_id"] != ev["case_id"].shift()) | (ev["department"] != ev["department"].shift())
    ev = ev.assign(visit=new.cumsum())
    return ev.groupby("visit", sort=False).agg(
        case_id=("case_id", "first"),
        department=("department", "first"),
        start=("timestamp", "first"),
        end=("timestamp", "last"),
    )


# --------------------------------------------------------------------------------------------------
# the folder


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    a = generate_demo_client(tmp_path / "a", customers=100, cases=300, seed=3)
    b = generate_demo_client(tmp_path / "b", customers=100, cases=300, seed=3)
    c = generate_demo_client(tmp_path / "c", customers=100, cases=300, seed=4)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) == 9
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    assert (a / "data" / "eventi.csv").read_bytes() != (c / "data" / "eventi.csv").read_bytes()


def test_all_files_exist_and_config_loads(demo: Path) -> None:
    for name in FILES:
        assert (demo / "data" / name).stat().st_size > 0, name
    cfg = load_config(demo)
    assert cfg.name == "Distribuzioni Martelli S.p.A."
    assert cfg.language == "it" and cfg.currency == "EUR"
    assert str(cfg.analysis_date) == "2026-10-31"
    assert set(cfg.tables) == {
        "customers",
        "transactions",
        "events",
        "survey_invitations",
        "survey_responses",
        "culture",
    }
    assert cfg.tables["customers"].values["industry"]["Edilizia"] == "Construction"
    for src in cfg.tables.values():
        assert cfg.path(src.file).exists()


def test_language_and_name_options(tmp_path: Path) -> None:
    p = generate_demo_client(
        tmp_path / "en", customers=60, cases=100, language="en", name="Acme: Rossi & C. #1"
    )
    cfg = load_config(p)
    assert cfg.language == "en" and cfg.name == "Acme: Rossi & C. #1"


@pytest.mark.parametrize("kwargs", [{"language": "de"}, {"customers": 10}, {"cases": 5}])
def test_bad_arguments(tmp_path: Path, kwargs: dict) -> None:
    with pytest.raises(ConfigError):
        generate_demo_client(tmp_path / "x", **kwargs)


def test_raw_formats_are_the_italian_exports(demo: Path, raw: dict) -> None:
    text = (demo / "data" / "clienti.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbfcodice_cliente;ragione_sociale;regione;settore;segmento;cliente_dal")
    cust = raw["customers"]
    assert set(cust["settore"]) <= {"Edilizia", "Manifattura", "Commercio", "Ospitalità"}
    assert cust["cliente_dal"].str.fullmatch(r"\d\d/\d\d/\d{4}").all()
    assert cust["codice_cliente"].is_unique and cust["ragione_sociale"].is_unique
    assert cust["ragione_sociale"].str.contains(r"S\.r\.l\.|S\.p\.A\.|s\.n\.c\.|s\.a\.s\.").all()
    tx = raw["transactions"]
    assert list(tx.columns) == ["numero_documento", "data", "codice_cliente", "importo", "margine"]
    assert tx["importo"].str.fullmatch(r"\d+,\d\d").all()
    assert tx["data"].str.fullmatch(r"\d\d/\d\d/\d{4}").all()
    amount = tx["importo"].str.replace(",", ".").astype(float)
    margin = tx["margine"].str.replace(",", ".").astype(float)
    assert 150 < amount.median() < 3000 and (margin < amount).all() and (amount > 0).all()
    dates = pd.to_datetime(tx["data"], format="%d/%m/%Y")
    assert dates.max() <= pd.Timestamp("2026-10-31") and dates.min() >= pd.Timestamp("2023-10-30")
    assert set(raw["events"]["department"]) == set(DEPARTMENTS)


def test_planted_ids_exist_in_the_data(raw: dict, planted: dict) -> None:
    customers = set(raw["customers"]["codice_cliente"])
    cases = set(raw["events"]["case_id"])
    for key in ("potential", "dilemma", "over_surveyed", "stopped_answering"):
        assert planted[key], key
        assert set(planted[key]) <= customers, key
    groups = [set(planted[k]) for k in ("potential", "dilemma", "over_surveyed")]
    assert not (groups[0] & groups[1]) and not (groups[0] & groups[2]) and not (groups[1] & groups[2])
    for key in (
        "address_loss_cases",
        "dispute_pingpong_cases",
        "contradictory_cases",
        "self_service_failure_cases",
    ):
        assert planted[key] and set(planted[key]) <= cases, key
    assert planted["barometer_drop_industry"] == "Construction"


# --------------------------------------------------------------------------------------------------
# planted findings, checked with plain pandas on the raw files


def test_address_loss_orders_are_late_and_unhappy(raw: dict, planted: dict) -> None:
    ev = raw["events"]
    orders = ev.loc[ev["activity"] == "Shipment scheduled", "case_id"].unique()
    lost = ev.loc[ev["activity"] == "Address missing - query to Sales", "case_id"].unique()
    share = len(lost) / len(orders)
    assert 0.2 < share < 0.4
    assert set(lost) == set(planted["address_loss_cases"])
    late = set(ev.loc[ev["activity"] == "Delivered late", "case_id"])
    assert late <= set(lost)
    hot = raw["responses"].query("touchpoint == 'delivery'")
    lost_nps = hot.loc[hot["case_id"].isin(lost), "nps"]
    clean_nps = hot.loc[~hot["case_id"].isin(lost), "nps"]
    assert lost_nps.mean() < 4.5 and clean_nps.mean() > 7.8


def test_sales_to_logistics_is_the_worst_handoff(raw: dict) -> None:
    v = _visits(raw["events"])
    nxt = v.shift(-1)
    same_case = nxt["case_id"] == v["case_id"]
    wait = (nxt["start"] - v["end"]).dt.total_seconds()[same_case]
    pair = (v["department"] + "→" + nxt["department"])[same_case]
    total = wait.groupby(pair).sum().sort_values(ascending=False)
    assert total.index[0] == "Sales→Logistics"
    # the order ping-pong Logistics→Sales→Logistics exists
    seq = v.groupby("case_id")["department"].agg(" > ".join)
    assert seq.str.contains("Logistics > Sales > Logistics").mean() > 0.1


def test_customer_service_credit_ping_pong_on_disputes(raw: dict, planted: dict) -> None:
    ev = raw["events"]
    disputes = ev.loc[ev["activity"] == "Dispute logged", "case_id"].unique()
    seq = _visits(ev[ev["case_id"].isin(disputes)]).groupby("case_id")["department"].agg(" > ".join)
    bounce = seq.str.contains("Customer Service > Credit > Customer Service > Credit")
    assert 0.6 < bounce.mean() < 0.85
    assert set(bounce[bounce].index) == set(planted["dispute_pingpong_cases"])
    chasers = ev[
        (ev["activity"] == "Customer chaser call") & ev["case_id"].isin(planted["dispute_pingpong_cases"])
    ]
    per_case = chasers.groupby("case_id").size().reindex(planted["dispute_pingpong_cases"], fill_value=0)
    assert per_case.between(1, 3).all()
    assert chasers["is_customer_contact"].all()
    reopened = ev.loc[ev["activity"] == "Case reopened", "case_id"].unique()
    assert 0.3 < len(reopened) / len(disputes) < 0.5
    # contradictory answers: two different agents answered before the reopening
    answers = ev[(ev["activity"] == "Answer sent to customer") & ev["case_id"].isin(reopened)]
    assert (answers.groupby("case_id")["agent"].nunique() >= 2).all()
    hot = raw["responses"]
    pp = hot.loc[hot["case_id"].isin(planted["dispute_pingpong_cases"]), "nps"]
    assert pp.mean() < 5


def test_self_service_that_ends_in_a_call(raw: dict) -> None:
    ev = raw["events"].sort_values(["case_id", "timestamp"], kind="stable")
    addr = ev.loc[
        ev["activity"].isin(["Self-service address change", "Address change requested"]), "case_id"
    ].unique()
    acts = ev[ev["case_id"].isin(addr)].groupby("case_id")["activity"].agg(" > ".join)
    tortuous = acts.str.startswith("Self-service address change > Self-service attempt failed > Inbound call")
    assert 0.45 < tortuous.mean() < 0.75
    assert acts[tortuous].str.contains("Form sent to customer").all()
    calls = ev[(ev["activity"] == "Inbound call") & ev["case_id"].isin(acts[tortuous].index)]
    assert (calls["channel"] == "phone").all() and (calls["department"] == "Customer Service").all()


def test_hot_and_cold_surveys_are_consistent(raw: dict) -> None:
    inv, resp, ev = raw["invitations"], raw["responses"], raw["events"]
    assert inv["invitation_id"].is_unique and resp["response_id"].is_unique
    assert set(inv["touchpoint"]) == {"delivery", "customer service", "relationship"}
    hot = inv[inv["survey"] == "hot"]
    assert hot["case_id"].notna().all() and hot["case_id"].isin(ev["case_id"]).all()
    case_end = ev.groupby("case_id")["timestamp"].max()
    assert (hot["sent_at"].to_numpy() > case_end.reindex(hot["case_id"]).to_numpy()).all()
    cold = inv[inv["survey"] == "cold"]
    assert cold["case_id"].isna().all()
    assert set(cold["wave"]) == {"2026-W1", "2026-W2"}
    assert set(cold["sent_at"].dt.strftime("%Y-%m-%d")) == {"2026-03-15", "2026-09-15"}
    rate = cold.groupby("wave")["responded_at"].apply(lambda s: s.notna().mean())
    assert rate.between(0.15, 0.3).all()
    m = resp.merge(inv, on="invitation_id", suffixes=("", "_inv"), validate="one_to_one")
    assert len(m) == len(resp) == inv["responded_at"].notna().sum()
    assert (m["customer_id"] == m["customer_id_inv"]).all()
    assert (m["case_id"].fillna("") == m["case_id_inv"].fillna("")).all()
    assert (m["answered_at"] > m["sent_at"]).all() and (m["answered_at"] == m["responded_at"]).all()
    assert (m["survey"] == m["survey_inv"]).all()
    for col, lo, hi in (
        ("nps", 0, 10),
        ("csat", 1, 5),
        ("ces", 1, 7),
        ("cxi_ease", 1, 5),
        ("cxi_needs", 1, 5),
    ):
        assert resp[col].dropna().between(lo, hi).all(), col
    # indicators agree with each other
    assert resp["nps"].corr(resp["csat"]) > 0.7 and resp["nps"].corr(resp["ces"]) > 0.5
    assert (resp["followup_at"].dropna() > resp.loc[resp["followup_at"].notna(), "answered_at"]).all()


def test_construction_loses_about_30_nps_points_between_waves(raw: dict) -> None:
    cust = raw["customers"][["codice_cliente", "settore"]]
    cold = (
        raw["responses"]
        .query("survey == 'cold'")
        .merge(cust, left_on="customer_id", right_on="codice_cliente")
    )
    by = cold.groupby(["settore", "wave"])["nps"].apply(_nps).unstack()
    drop = by["2026-W1"] - by["2026-W2"]
    assert 20 < drop["Edilizia"] < 45
    others = cold[cold["settore"] != "Edilizia"].groupby("wave")["nps"].apply(_nps)
    assert abs(others["2026-W1"] - others["2026-W2"]) < 8


def test_survey_pressure(raw: dict, planted: dict) -> None:
    inv = raw["invitations"].sort_values(["customer_id", "sent_at"])
    t = inv["sent_at"].to_numpy()
    c = inv["customer_id"].to_numpy()
    # invitations of the same customer in the 90 days up to each invitation
    count = np.zeros(len(inv), dtype=int)
    for i in range(len(inv)):  # small table: plain loop is clearest
        j = i
        while j >= 0 and c[j] == c[i] and t[i] - t[j] < np.timedelta64(90, "D"):
            j -= 1
        count[i] = i - j
    inv = inv.assign(pressure=count)
    peak = inv.groupby("customer_id")["pressure"].max()
    over = set(peak[peak > 3].index)
    assert over == set(planted["over_surveyed"])
    assert 0.03 < len(over) / len(raw["customers"]) < 0.08
    rate = inv.groupby(inv["pressure"].clip(upper=6))["responded_at"].apply(lambda s: s.notna().mean())
    assert rate[1] > 0.22 and rate[6] < 0.15
    # stopped answering: answered wave 1, invited to wave 2, no answer
    resp = raw["responses"]
    w1 = set(resp.loc[resp["wave"] == "2026-W1", "customer_id"])
    w2_inv = set(inv.loc[inv["wave"] == "2026-W2", "customer_id"])
    w2 = set(resp.loc[resp["wave"] == "2026-W2", "customer_id"])
    assert set(planted["stopped_answering"]) == (w1 & w2_inv) - w2


def test_comments_carry_the_themes_in_two_languages(raw: dict) -> None:
    resp = raw["responses"]
    com = resp["comment"].dropna()
    assert 0.3 < len(com) / len(resp) < 0.8
    assert com.nunique() > 0.5 * len(com)
    english = com.str.contains(
        r"\b(?:the|was|and|to|is|are|of|for|had|it|very|we|me|nothing|on|thanks|poor|great|frustrating|"
        r"excellent|fast|quick|friendly|reliable|disappointed|average|overall|fairly|standard|some|wide)\b",
        case=False,
    )
    assert 0.1 < english.mean() < 0.45
    low = resp[resp["nps"] <= 8]["comment"].dropna().str.lower()
    for pattern in (
        r"indirizzo|address",
        r"credit|nessuno|nobody|rimbalz|ufficio",
        r"portal|sito|website|online",
    ):
        assert low.str.contains(pattern).any(), pattern
    assert ((resp["survey"] == "hot") & (resp["nps"] <= 1)).any()
    assert ((resp["survey"] == "cold") & (resp["nps"] <= 1)).any()


def test_potential_and_dilemma_customers(raw: dict, planted: dict) -> None:
    tx = raw["transactions"].assign(
        date=lambda d: pd.to_datetime(d["data"], format="%d/%m/%Y"),
        amount=lambda d: d["importo"].str.replace(",", ".").astype(float),
    )
    end = pd.Timestamp("2026-10-31")
    cust = raw["customers"].set_index("codice_cliente")
    since = pd.to_datetime(cust["cliente_dal"], format="%d/%m/%Y")
    last12 = tx[tx["date"] > end - pd.Timedelta(days=365)].groupby("codice_cliente")["amount"].sum()
    last12 = last12.reindex(cust.index, fill_value=0)
    pct = last12.rank(pct=True)
    pot, dil = planted["potential"], planted["dilemma"]
    # potential: recent, not yet valuable, buying ever more often
    assert (since[pot] > end - pd.Timedelta(days=200)).all()
    assert pct[pot].median() < 0.8
    recent = tx[tx["codice_cliente"].isin(pot)]
    late = recent["date"] > end - pd.Timedelta(days=45)
    assert late.sum() > (~late).sum() * 0.3
    # dilemma: top value over the last 12 months, then silent for 6+ months
    assert pct[dil].min() > 0.7
    last = tx.groupby("codice_cliente")["date"].max()
    assert ((end - last[dil]).dt.days > 180).all()
    # other customers: heterogeneous purchase counts, some churned
    counts = tx.groupby("codice_cliente").size()
    assert counts.std() > 0.5 * counts.mean()
    assert ((end - last).dt.days > 180).sum() > len(dil)


def test_culture_workshop(raw: dict) -> None:
    cu = raw["culture"]
    assert set(cu["question_id"]) == set(QUESTION_IDS)
    assert set(cu["department"]) == set(DEPARTMENTS)
    assert cu["score"].between(1, 5).all()
    per_dept = cu.groupby("department")["respondent"].nunique()
    assert per_dept.between(3, 5).all()
    own = cu[cu["rated_department"].isna()]
    assert own.groupby(["respondent", "question_id"]).size().eq(1).all()
    cs_self = own.loc[own["department"] == "Customer Service", "score"].mean()
    cs_others = cu.loc[
        (cu["department"] == "Customer Service") & cu["rated_department"].notna(), "score"
    ].mean()
    assert cs_self > 4.2 and cs_others < 2.7
    info = cu[cu["question_id"].isin(["q03_info_we_pass", "q04_info_we_receive"])]
    target = info["rated_department"].fillna(info["department"])
    lowest = info.groupby(target)["score"].mean().nsmallest(2)
    assert set(lowest.index) == {"Logistics", "Credit"}


def test_load_client_reads_the_demo_without_dropping_rows(demo: Path) -> None:
    io = pytest.importorskip("cxlab.intake")
    client = io.load_client(demo)
    summary = client.quality.summary()
    assert (summary["rows_dropped"] == 0).all() and (summary["values_blanked"] == 0).all()
    assert set(client.customers["industry"].cat.categories) == {
        "Construction",
        "Manufacturing",
        "Retail",
        "Hospitality",
    }
    assert client.transactions["amount"].dtype == "float64"
    assert client.events["is_customer_contact"].dtype == bool
    assert not client.quality.notes
