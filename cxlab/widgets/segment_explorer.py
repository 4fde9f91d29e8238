"""Segment explorer: value × potential scatter with threshold sliders; segment counts and value shares
update as the thresholds move; the chosen thresholds save to ``segments`` in client.yaml.

Segments are those of the client's :class:`~cxlab.diagnosis.Diagnosis`; every change of a threshold is a
what-if, ``dx.with_settings(segments=...)``, which recomputes the segments and keeps the other analyses
(the widget holds no segmentation logic of its own).
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import traitlets as t

from ..charts.theme import SEGMENT_COLOURS
from ..config import SegmentSettings
from ..diagnosis import Diagnosis
from ..errors import ConfigError
from ..i18n import N_, format_money, format_number, format_percent, gettext, pgettext
from ..report.segments_text import describe_segments
from ..segments import segment_summary
from ._base import (
    CxWidget,
    asset,
    escape,
    number_or_none,
    static_box,
    static_message,
    static_table,
    update_client_yaml,
)

MAX_POINTS = 1500  # customers drawn in the scatter (a fixed random sample above that)


class SegmentExplorer(CxWidget):
    """Tune the segment thresholds of a client live (its Diagnosis, a loaded Client or its folder).

    ``mode`` "share": "high" is the top :attr:`value_share` / :attr:`potential_share` of customers;
    ``mode`` "absolute": "high" is at least :attr:`value_threshold` / :attr:`potential_threshold` (money).
    The value the notebook reads back is :attr:`settings` (a :class:`~cxlab.config.SegmentSettings`) and
    :attr:`segmented` (the per-customer table); :meth:`save` writes the thresholds to client.yaml.
    """

    _esm = asset("segment_explorer.js")

    mode = t.Unicode("share").tag(sync=True)
    value_share = t.Float(0.2).tag(sync=True)
    potential_share = t.Float(0.2).tag(sync=True)
    value_threshold = t.Float(0.0).tag(sync=True)
    potential_threshold = t.Float(0.0).tag(sync=True)
    #: [[current value, future potential, segment index]] for the sampled customers
    points: t.List[list] = t.List().tag(sync=True)
    #: per segment: segment, label, colour, customers, share_customers, share_of_value, share_of_future, nps, service_level
    summary: t.List[dict] = t.List().tag(sync=True)
    #: axis maxima and the currency, for the scatter
    axes = t.Dict().tag(sync=True)
    #: the thresholds in effect (computed by the library from the shares in "share" mode)
    effective = t.Dict().tag(sync=True)

    def __init__(self, client: Any, lang: str | None = None, **kwargs: Any) -> None:
        dx = Diagnosis.of(client)
        #: the diagnosis of the thresholds shown (a what-if of the client's own until saved)
        self.dx = dx
        config = dx.settings
        self._root = Path(config.root)
        dx.client.require("transactions", "the segment explorer")
        self._settings = config.segments
        self._colours = SEGMENT_COLOURS
        self.segmented: pd.DataFrame | None = None
        s = self._settings
        absolute = s.value_threshold is not None or s.potential_threshold is not None
        super().__init__(
            lang=lang or config.language,
            mode="absolute" if absolute else "share",
            value_share=s.value_top_share,
            potential_share=s.potential_top_share,
            **kwargs,
        )
        self._sample: np.ndarray | None = None
        self._compute(self._settings)
        if absolute:
            self.value_threshold = float(self.effective["value_threshold"])
            self.potential_threshold = float(self.effective["potential_threshold"])
        #: the slider values as opened (or last saved): what :meth:`save` compares against
        self._opened = self._slider_values()
        self.observe(
            self._on_change,
            names=["mode", "value_share", "potential_share", "value_threshold", "potential_threshold"],
        )

    def _slider_values(self) -> dict[str, float]:
        return {
            key: float(getattr(self, key))
            for key in ("value_share", "potential_share", "value_threshold", "potential_threshold")
        }

    # -- computing -------------------------------------------------------------------------------------

    @property
    def settings(self) -> Any:
        """The segment settings the widget currently shows (what :meth:`save` writes)."""
        s = self._settings
        if self.mode == "absolute":
            return dataclasses.replace(
                s,
                value_threshold=float(self.value_threshold),
                potential_threshold=float(self.potential_threshold),
            )
        return dataclasses.replace(
            s,
            value_top_share=float(self.value_share),
            potential_top_share=float(self.potential_share),
            value_threshold=None,
            potential_threshold=None,
        )

    def _on_change(self, change: dict) -> None:
        if change["name"] == "mode" and change["new"] == "absolute" and self.effective:
            # start from the thresholds now in effect, so switching mode moves nothing
            with self.hold_trait_notifications():
                self.value_threshold = float(self.effective["value_threshold"])
                self.potential_threshold = float(self.effective["potential_threshold"])
        if self._run(self._check) is None:
            return
        self._run(self._compute, self.settings)

    def _check(self) -> bool:
        if self.mode not in ("share", "absolute"):
            raise ConfigError(N_("share or absolute"), column="mode", found=repr(self.mode))
        if self.mode == "share":
            for name in ("value_share", "potential_share"):
                v = getattr(self, name)
                if not 0 < v <= 1 or math.isnan(v):
                    raise ConfigError(
                        "a share above 0 % and up to 100 %",
                        file="client.yaml",
                        column="segments." + name.replace("_share", "_top_share"),
                        found=f"{v:.0%}",
                    )
        else:
            for name in ("value_threshold", "potential_threshold"):
                v = getattr(self, name)
                if v < 0 or math.isnan(v):
                    raise ConfigError(
                        "an amount of 0 or more",
                        file="client.yaml",
                        column="segments." + name,
                        found=f"{v:g}",
                    )
        if self.status == "error":
            self._say("", "")
        return True

    def _compute(self, settings: SegmentSettings) -> None:
        self.dx = self.dx.with_settings(segments=settings)
        seg = self.dx.segments.table
        if seg is None:
            raise ConfigError(
                N_("transactions in the transactions table"), column="transactions", found=N_("no rows")
            )
        client = self.dx.client
        summary = describe_segments(
            segment_summary(
                seg, client.survey_responses, self.dx.handoffs.cases, self.dx.settings.indicators
            ),
            self.lang,
        )
        self.segmented = seg
        order = list(seg["segment"].cat.categories)
        if self._sample is None:
            n = len(seg)
            rng = np.random.default_rng(0)
            self._sample = (
                np.sort(rng.choice(n, MAX_POINTS, replace=False)) if n > MAX_POINTS else np.arange(n)
            )
        sample = seg.iloc[self._sample]
        codes = sample["segment"].cat.codes.to_numpy()
        self.points = [
            [round(float(v), 2), round(float(p), 2), int(c)]
            for v, p, c in zip(sample["value"], sample["future_value"], codes, strict=True)
        ]
        rows = []
        for rec in summary.to_dict("records"):
            rows.append(
                {
                    "segment": str(rec["segment"]),
                    "label": str(rec.get("label", rec["segment"])),
                    "colour": self._colours.get(str(rec["segment"]), "#999999"),
                    "customers": int(rec["customers"]),
                    "share_customers": number_or_none(rec.get("share_customers")),
                    "share_of_value": number_or_none(rec.get("share_of_value")),
                    "share_of_future": number_or_none(rec.get("share_of_future")),
                    "nps": number_or_none(rec.get("nps")),
                    "service_level": str(rec.get("service_level") or ""),
                }
            )
        self.summary = rows
        self.axes = {
            "segments": order,
            "colours": [self._colours.get(s, "#999999") for s in order],
            "value_max": float(seg["value"].max() or 1.0),
            "potential_max": float(seg["future_value"].max() or 1.0),
            "currency": self.dx.settings.currency,
            "customers": len(seg),
        }
        self.effective = {
            "value_threshold": float(seg.attrs["value_threshold"]),
            "potential_threshold": float(seg.attrs["potential_threshold"]),
        }

    # -- saving ------------------------------------------------------------------------------------------

    def save(self) -> Path:
        """Write the thresholds to ``segments`` in client.yaml (shares, or absolute amounts)."""
        self._check()
        s = self.settings

        before = self._settings
        opened = self._opened
        # only the sliders moved since the explorer opened (or last saved) are written: saving one never
        # writes the other (an absolute threshold computed from a share would freeze that share's amount)
        switched = (before.value_threshold is not None or before.potential_threshold is not None) != (
            self.mode == "absolute"
        )

        def moved(key: str) -> bool:
            return switched or opened.get(key) is None or abs(float(getattr(self, key)) - opened[key]) > 1e-9

        def mutate(data: dict) -> None:
            section = dict(data.get("segments") or {})
            if self.mode == "absolute":
                for key in ("value_threshold", "potential_threshold"):
                    if moved(key):
                        section[key] = round(float(getattr(s, key)), 2)
            else:
                for widget_key, key in (
                    ("value_share", "value_top_share"),
                    ("potential_share", "potential_top_share"),
                ):
                    if moved(widget_key):
                        section[key] = round(float(getattr(s, key)), 4)
                section.pop("value_threshold", None)  # an absolute threshold would override the share
                section.pop("potential_threshold", None)
            data["segments"] = section

        config = update_client_yaml(self._root, mutate)
        self._settings = config.segments
        self._opened = self._slider_values()
        path = self._root / "client.yaml"
        self.saved_to = str(path)
        self._say(gettext(self.lang, "segment thresholds saved to {file}", file=path.name), "ok")
        return path

    def _actions(self) -> dict:
        return {"save": lambda _c: self.save()}

    # -- static view -------------------------------------------------------------------------------------

    def to_html(self) -> str:
        lang = self.lang
        rows = [
            (
                r["label"],
                format_number(r["customers"], lang),
                format_percent(r["share_customers"], lang),
                format_percent(r["share_of_value"], lang),
                format_number(r["nps"], lang) if r["nps"] is not None else "–",
                r["service_level"],
            )
            for r in self.summary
        ]
        currency = self.axes.get("currency", "EUR")
        rule = (
            gettext(
                lang,
                "top {value} by value, top {potential} by potential",
                value=format_percent(self.value_share, lang),
                potential=format_percent(self.potential_share, lang),
            )
            if self.mode == "share"
            else gettext(lang, "absolute thresholds")
        )
        head = gettext(
            lang,
            "Thresholds ({rule}): current value ≥ {value}, future potential ≥ {potential}",
            rule=escape(rule),
            value=escape(format_money(self.effective.get("value_threshold"), lang, currency)),
            potential=escape(format_money(self.effective.get("potential_threshold"), lang, currency)),
        )
        header = (
            pgettext(lang, "segment explorer", "segment"),
            pgettext(lang, "segment explorer", "customers"),
            pgettext(lang, "segment explorer", "share of customers"),
            pgettext(lang, "segment explorer", "share of value"),
            pgettext(lang, "segment explorer", "NPS"),
            pgettext(lang, "segment explorer", "service level"),
        )
        return static_box(
            gettext(lang, "Customer segments"),
            f"<p>{head}</p>" + static_table(header, rows) + static_message(self),
        )


__all__ = ["SegmentExplorer"]
