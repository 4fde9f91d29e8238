"""Comment analysis, fully offline, Italian and English: language, sentiment, themes, per-theme views.

detect_language(texts, default="other")                 -> Series it/en/other
sentiment(texts, language=None, neutral_band=0.15)      -> language, sentiment [-1, 1], polarity, sentiment_words
                                                           (polarity "no_signal": no sentiment word at all)
detect_themes(texts, settings=None)                     -> bool frame, one column per theme
taxonomy(settings=None)                                 -> {key: Theme}
analyse_comments(responses, settings, language)         -> one row per comment with the above
theme_summary(analysed, responses=None, ...)            -> per theme volume, sentiment, NPS, negative_rank
theme_trend(analysed, freq="M")                         -> per period and theme
verbatims(analysed, theme=None, n=5)   -> representative comments, ultra-detractors first

The per-client model trained on the consultant's labels is :mod:`cxlab.text.model` (scikit-learn, imported
when a model is trained).
"""

from .analysis import analyse_comments, theme_mentions, theme_summary, theme_trend, verbatims
from .language import detect_language
from .sentiment import polarity, sentiment
from .themes import Theme, detect_themes, taxonomy, theme_label

__all__ = [
    "Theme",
    "analyse_comments",
    "detect_language",
    "detect_themes",
    "polarity",
    "sentiment",
    "taxonomy",
    "theme_label",
    "theme_mentions",
    "theme_summary",
    "theme_trend",
    "verbatims",
]
