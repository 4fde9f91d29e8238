"""The words of the report's handoff and journey sections that go beyond the charts: the headline
figures, what the data says about ties, blank departments and customer waits, the notes on what could not
run, and the definitions of the methodology appendix. English msgids, Italian in ``handoffs.po``.

Every sentence states a fact computed from the client's data (:class:`~cxlab.handoffs.HandoffFigures`)
and is left out when the fact does not hold.
"""

from __future__ import annotations

from .. import i18n
from ..config import ActivitySettings
from ..handoffs import HandoffFigures
from ..i18n import N_


def _t(lang: str, message: str, **values: object) -> str:
    return i18n.gettext(lang, message, **values)


def headline_cards(fig: HandoffFigures, lang: str) -> list[tuple[str, str, str]]:
    """(label, value, note) cards: cases, handoffs, ping-pong share of cases, departments per case, median
    and 90th-percentile wait between departments."""
    n = lambda v, d=0: i18n.format_number(v, lang, d)  # noqa: E731
    cards = [
        (_t(lang, "Cases"), n(fig.cases), ""),
        (
            _t(lang, "Handoffs"),
            n(fig.handoffs),
            _t(lang, "{per_case} per case", per_case=n(fig.handoffs_per_case, 1)),
        ),
        (
            _t(lang, "Cases with ping-pong"),
            i18n.format_percent(fig.ping_pong_share, lang),
            _t(lang, "{cases} of {total} cases", cases=n(fig.ping_pong_cases), total=n(fig.cases)),
        ),
        (_t(lang, "Departments per case"), n(fig.departments_per_case, 1), ""),
    ]
    if fig.internal_handoffs:
        cards.append(
            (
                _t(lang, "Median wait between departments"),
                i18n.format_duration_hours(fig.median_wait_h, lang),
                _t(lang, "{n} handoffs", n=n(fig.internal_handoffs)),
            )
        )
        cards.append((_t(lang, "90th percentile wait"), i18n.format_duration_hours(fig.p90_wait_h, lang), ""))
    return cards


def data_notes(fig: HandoffFigures, settings: ActivitySettings, lang: str) -> list[str]:
    """Sentences on how the log was read: ties, blank departments, waits on the customer or a third party."""
    notes: list[str] = []
    pct = lambda v: i18n.format_percent(v, lang, 1)  # noqa: E731
    if fig.tie_share > 0:
        if fig.ordered_by_column:
            notes.append(
                _t(
                    lang,
                    "{share} of the events share their timestamp with another event of the same case; the "
                    "order column (sequence or lifecycle) puts them in order.",
                    share=pct(fig.tie_share),
                )
            )
        elif fig.tie_share > settings.tie_warning_share:
            notes.append(
                _t(
                    lang,
                    "Warning: {share} of the events share their timestamp with another event of the same "
                    "case (more than {limit}). Their order is the order of the file, so handoffs and "
                    "ping-pong inside a tie may be wrong; map an order column (sequence) to fix it.",
                    share=pct(fig.tie_share),
                    limit=pct(settings.tie_warning_share),
                )
            )
        else:
            notes.append(
                _t(
                    lang,
                    "{share} of the events share their timestamp with another event of the same case; they "
                    "keep the order of the file.",
                    share=pct(fig.tie_share),
                )
            )
    if fig.events_without_department:
        notes.append(
            _t(
                lang,
                "{events} events have no department: each is counted in the department that holds the "
                "case, so no handoff goes to or from an unknown department.",
                events=i18n.format_number(fig.events_without_department, lang),
            )
        )
    outside = fig.customer_wait_h + fig.third_party_wait_h
    if outside > 0:
        notes.append(
            _t(
                lang,
                "Waiting for the customer ({customer}) and for third parties ({third}) is reported apart: "
                "it is not counted in the waits between departments.",
                customer=i18n.format_duration_hours(fig.customer_wait_h, lang),
                third=i18n.format_duration_hours(fig.third_party_wait_h, lang),
            )
        )
    return notes


def top_note(shown: int, total: int, attachment: str | None, lang: str) -> str:
    """The sentence under charts that show only the busiest departments."""
    if attachment:
        return _t(
            lang,
            "The charts show the {shown} busiest of {total} departments; the others are grouped as "
            "“other”. The full table is in the attachment {file}.",
            shown=i18n.format_number(shown, lang),
            total=i18n.format_number(total, lang),
            file=attachment,
        )
    return _t(
        lang,
        "The charts show the {shown} busiest of {total} departments; the others are grouped as “other”.",
        shown=i18n.format_number(shown, lang),
        total=i18n.format_number(total, lang),
    )


def support_note(min_support: int, lang: str) -> str:
    return _t(
        lang,
        "Ranked handoffs have at least {n} handoffs each (minimum support).",
        n=i18n.format_number(min_support, lang),
    )


def no_support(min_support: int, lang: str) -> str:
    return _t(
        lang,
        "no department pair has at least {n} handoffs (the minimum support)",
        n=i18n.format_number(min_support, lang),
    )


def cannot_run(what: str, why: str, lang: str) -> str:
    """One line: which analysis could not run and why (both already in ``lang``)."""
    return _t(lang, "{what} can't run: {why}.", what=what, why=why)


#: analyses that can be missing, and why (msgids)
ARRIVAL_CHANNELS = N_("The channel mix of arrival")
NO_CHANNEL = N_("the events table has no channel column")
SATISFACTION_LINK = N_("The link between handoffs and satisfaction")
NO_RESPONSES = N_("the client has no survey responses")
NO_LINKED = N_("no survey response matches a case (by case id, or by customer id within the case window)")
NO_HANDOFFS = N_("no case moves between departments")
WORST_HANDOFFS = N_("The ranking of the worst handoffs")
MESSAGES = (
    ARRIVAL_CHANNELS, NO_CHANNEL, SATISFACTION_LINK, NO_RESPONSES, NO_LINKED, NO_HANDOFFS, WORST_HANDOFFS,
)  # fmt: skip


def say(lang: str, message: str) -> str:
    """One of :data:`MESSAGES` in ``lang``."""
    return _t(lang, message)


def method_notes(settings: ActivitySettings, lang: str) -> list[str]:
    """The definitions of the headline figures, for the methodology appendix."""
    return [
        _t(
            lang,
            "Headline figures: cases = cases with at least one usable event; handoffs = moves between "
            "consecutive visits; cases with ping-pong = share of cases with at least one A→B→A; departments "
            "per case = mean number of distinct departments of a case; median and 90th percentile wait = of "
            "the waits between departments (linear interpolation), computed on absolute time.",
        ),
        _t(
            lang,
            "Events of a case are ordered by time, then by the order column (sequence, else lifecycle) if any, "
            "then by their order in the file. Events without a department count in the department that "
            "holds the case (unknown_department: exclude).",
        )
        if settings.unknown_department == "exclude"
        else _t(
            lang,
            "Events of a case are ordered by time, then by the order column (sequence, else lifecycle) if any, "
            "then by their order in the file. Events without a department form a department called "
            "“unknown” (unknown_department: keep).",
        ),
        _t(
            lang,
            "Time after an event whose status or activity means waiting for the customer or a third party "
            "is customer (third-party) wait, reported apart from the waits between departments. Charts show "
            "the {top} busiest departments and group the others; ranked pairs need at least {support} "
            "handoffs.",
            top=i18n.format_number(settings.top_departments, lang),
            support=i18n.format_number(settings.min_support, lang),
        ),
    ]
