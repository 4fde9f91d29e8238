"""Verbatims in the report's language first, each with its score, value segment and date (issue 21)."""

from __future__ import annotations

import html
import re

import pandas as pd

from cxlab import report
from cxlab.text import verbatims


def _analysed() -> pd.DataFrame:
    # one theme, four negative comments: the strongest one is English and from an ultra-detractor
    return pd.DataFrame(
        {
            "response_id": ["en1", "it1", "it2", "en2"],
            "comment": [
                "Terrible delivery, never again",
                "Consegna in ritardo",
                "Consegna sbagliata",
                "Late",
            ],
            "language": ["en", "it", "it", "en"],
            "nps": [0.0, 6.0, 5.0, 3.0],
            "sentiment": [-0.9, -0.4, -0.5, -0.3],
            "polarity": ["negative"] * 4,
            "themes": ["delivery"] * 4,
        }
    )


def test_the_report_language_comes_first_then_the_usual_order() -> None:
    analysed = _analysed()
    assert list(verbatims(analysed, "delivery", n=4)["response_id"]) == ["en1", "it2", "it1", "en2"]
    picked = verbatims(analysed, "delivery", n=4, first_language="it")
    # Italian first (most negative first among them), then English in the usual order
    assert list(picked["response_id"]) == ["it2", "it1", "en1", "en2"]
    # with n=2 an Italian report quotes only Italian comments while there are enough
    assert set(verbatims(analysed, "delivery", n=2, first_language="it")["language"]) == {"it"}


def test_each_quote_of_the_demo_report_shows_score_segment_and_date(demo_client_dir) -> None:
    ctx = report.open_client(demo_client_dir, lang="it")
    section = report.comments_section(ctx)
    assert section is not None
    quotes = re.findall(
        r'<blockquote class="cx-quote"><p>(.*?)</p><footer>(.*?)</footer>', section.body, re.S
    )
    assert quotes
    analysed = ctx.comments.drop_duplicates("comment").set_index("comment")
    segments = ctx.dx.segments.table.set_index("customer_id")["segment"].astype(str)
    labels = {
        "premium": "Premium",
        "potential": "Potenziale",
        "dilemma": "Dilemma",
        "maintain": "Mantenimento",
    }
    for quoted, footer in quotes:
        row = analysed.loc[html.unescape(quoted)]
        parts = footer.split(" · ")
        assert parts[1] == f"NPS {int(row['nps'])}".replace("-", "\u2212"), footer
        segment = segments.get(str(row["customer_id"]))
        if segment is not None:
            assert labels[segment].lower() in parts[2].lower(), footer
        day = pd.Timestamp(row["answered_at"])
        assert parts[-1].startswith(f"{day.day} ") and parts[-1].endswith(str(day.year)), footer
        assert row["language"] == "it" or (analysed["language"] == "it").sum() < len(quotes)
