"""The per-client comment model (issue 23): trained on the consultant's labels, blended with the lexicon,
saved in the client folder, used by the Diagnosis and named in the report; 0 labels = lexicon alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import copy_client

from cxlab.diagnosis import Diagnosis
from cxlab.errors import InvalidValueError
from cxlab.intake.comment_labels import LABELS_FILE, read_comment_labels, write_comment_labels
from cxlab.report.context import ReportContext
from cxlab.report.sections import comments_section
from cxlab.text import sentiment
from cxlab.text.model import MIN_LABELS, apply_model, apply_theme_labels, least_sure, train_model

# a client word the lexicon does not know: "zorpato" = the product arrived crushed (negative),
# "blinky" = the new packaging customers like (positive)
NEG = [f"Pacco zorpato numero {i}" for i in range(12)]
POS = [f"Confezione blinky numero {i}" for i in range(12)]


def _labels() -> pd.DataFrame:
    return pd.DataFrame({"comment": NEG + POS, "polarity": ["negative"] * 12 + ["positive"] * 12})


def _lex(texts) -> np.ndarray:
    return sentiment(pd.Series(texts), "it")["sentiment"].to_numpy()


def test_no_model_without_enough_labels_or_with_one_class():
    assert train_model(pd.Series([], dtype=object), pd.Series([], dtype=object), np.zeros(0)) is None
    few = _labels().iloc[: MIN_LABELS - 1]
    assert train_model(few["comment"], few["polarity"], _lex(few["comment"])) is None
    one = _labels().iloc[:12]  # negatives only
    assert train_model(one["comment"], one["polarity"], _lex(one["comment"])) is None


def test_model_learns_the_clients_words():
    labels = _labels()
    model = train_model(labels["comment"], labels["polarity"], _lex(labels["comment"]))
    assert model is not None and (model.n_labels, model.n_positive, model.n_negative) == (24, 12, 12)
    new = pd.Series(["Ancora un pacco zorpato", "Confezione blinky, brava"])
    analysed = pd.DataFrame({"comment": new, "language": ["it", "it"]}).join(
        sentiment(new, "it")[["sentiment", "polarity"]]
    )
    assert np.isnan(analysed["sentiment"].iloc[0])  # the lexicon alone has no signal there
    out = apply_model(analysed, model)
    assert out["sentiment"].iloc[0] < 0 < out["sentiment"].iloc[1]
    assert out["polarity"].astype(object).tolist() == ["negative", "positive"]
    assert "sentiment_lexicon" in out.columns


def test_zero_labels_is_the_lexicon_alone():
    analysed = pd.DataFrame(
        {"comment": ["Ottimo"], "language": ["it"], "sentiment": [0.7], "polarity": ["positive"]}
    )
    assert apply_model(analysed, None) is analysed


def test_least_sure_first():
    analysed = pd.DataFrame(
        {
            "comment": ["a bit long", "sure", "unsure", "no signal", "done"],
            "sentiment": [0.1, 0.9, 0.1, np.nan, 0.0],
        }
    )
    picked = least_sure(analysed, labelled=pd.Series(["done"]), n=3)
    # no signal first, then |sentiment| smallest, longer first on ties; labelled comments left out
    assert picked["comment"].tolist() == ["no signal", "a bit long", "unsure"]


def test_labels_file_round_trip_and_validation(tmp_path):
    assert read_comment_labels(tmp_path) is None
    write_comment_labels(
        tmp_path, pd.DataFrame({"comment": ["A", "B"], "polarity": ["positive", "negative"]})
    )
    write_comment_labels(tmp_path, pd.DataFrame({"comment": ["B", "C"], "polarity": ["positive", "neutral"]}))
    got = read_comment_labels(tmp_path)
    assert got is not None
    assert dict(zip(got["comment"], got["polarity"], strict=True)) == {
        "A": "positive",
        "B": "positive",
        "C": "neutral",
    }
    (tmp_path / LABELS_FILE).write_text("comment,polarity\nX,great\n", encoding="utf-8")
    with pytest.raises(InvalidValueError):
        read_comment_labels(tmp_path)


@pytest.fixture(scope="module")
def labelled_client(demo_client_dir, tmp_path_factory):
    folder = copy_client(demo_client_dir, tmp_path_factory.mktemp("labelled") / "demo")
    dx = Diagnosis.open(folder)
    analysed = dx.comments.analysed
    # the consultant's labels: 20 comments of promoters (positive) and 20 of detractors (negative)
    pos = analysed.loc[analysed["nps"] >= 9, "comment"].drop_duplicates().head(20)
    neg = analysed.loc[analysed["nps"] <= 6, "comment"].drop_duplicates().head(20)
    labels = pd.DataFrame(
        {"comment": [*pos, *neg], "polarity": ["positive"] * len(pos) + ["negative"] * len(neg)}
    )
    write_comment_labels(folder, labels)
    return folder, len(labels)


def test_report_names_the_model_and_its_labels(labelled_client, demo_client_dir):
    folder, n = labelled_client
    dx = Diagnosis.open(folder)
    assert dx.comments.model is not None and dx.comments.model.n_labels == n
    assert "sentiment_lexicon" in dx.comments.analysed.columns
    html = comments_section(ReportContext(dx.client, "en", dx=dx)).body
    assert f"trained on {n} comments labelled by the consultant" in html
    plain = Diagnosis.open(demo_client_dir)  # no labels file: the lexicon alone, as before
    assert plain.comments.model is None
    assert "sentiment_lexicon" not in plain.comments.analysed.columns
    assert "the lexicon alone" in comments_section(ReportContext(plain.client, "en", dx=plain)).body


def test_labelling_widget_shows_least_sure_and_saves_labels(labelled_client):
    from cxlab.widgets.comment_labeller import CommentLabeller

    folder, n = labelled_client
    w = CommentLabeller(folder, batch=5, lang="en")
    assert w.model_name and w.labelled == n
    assert len(w.items) == 5
    already = set(read_comment_labels(folder)["comment"])
    assert not {item["comment"] for item in w.items} & already  # labelled comments are not shown again
    sure = [abs(item["sentiment"]) if item["sentiment"] is not None else -1 for item in w.items]
    assert sure == sorted(sure)  # least sure first
    first = w.items[0]["comment"]
    # a page action, as the front end sends it
    w._on_page_message(
        w, {"action": "label", "comment": first, "polarity": "negative", "themes": ["delivery"]}, []
    )
    assert w.status == "ok" and first not in {item["comment"] for item in w.items}
    saved = read_comment_labels(folder).set_index("comment")
    assert saved.loc[first, "polarity"] == "negative" and saved.loc[first, "themes"] == "delivery"
    w._on_page_message(w, {"action": "label", "comment": "x", "polarity": "great"}, [])
    assert w.status == "error"  # a bad label is a message in the widget, not a traceback
    w.refresh()
    assert w.labelled == n + 1  # retrained with the new label
    assert "labelled so far" in w.to_html()


def test_theme_labels_replace_the_rule_themes_of_their_comments():
    analysed = pd.DataFrame(
        {
            "comment": ["Consegna in ritardo", "Personale gentile", "Ottimo", "Fattura errata"],
            "themes": ["delivery", "staff_attitude", "", "billing"],
        }
    )
    labels = pd.DataFrame(
        {
            "comment": ["Consegna in ritardo", "Ottimo", "Fattura errata", "not in the survey"],
            "polarity": ["negative", "positive", "negative", "negative"],
            # the consultant adds a theme, gives one to a comment the rules missed, leaves one unjudged
            "themes": ["delivery; waiting_time;delivery", "price_value", " ", "billing"],
        }
    )
    out = apply_theme_labels(analysed, labels)
    assert out["themes"].tolist() == ["delivery;waiting_time", "staff_attitude", "price_value", "billing"]
    assert out["themes_rules"].tolist() == analysed["themes"].tolist()  # nothing lost
    assert apply_theme_labels(analysed, labels.assign(themes="")) is analysed  # no judged themes
    assert apply_theme_labels(analysed, None) is analysed


def test_diagnosis_uses_the_consultants_themes(demo_client_dir, tmp_path):
    folder = copy_client(demo_client_dir, tmp_path / "demo")
    before = Diagnosis.open(folder).comments.analysed
    comment = str(before["comment"].iloc[0])
    write_comment_labels(
        folder, pd.DataFrame({"comment": [comment], "polarity": ["negative"], "themes": ["self_service"]})
    )
    after = Diagnosis.open(folder).comments.analysed
    rows = after[after["comment"] == comment]
    assert set(rows["themes"]) == {"self_service"}
    assert set(rows["themes_rules"]) == set(before.loc[before["comment"] == comment, "themes"])
    others = after["comment"] != comment
    assert after.loc[others, "themes"].tolist() == before.loc[others.to_numpy(), "themes"].tolist()
