"""The customer-culture workshop questionnaire (DESIGN §2): question ids, pillars and wording.

Shared by the demo generator, the culture analysis, the printable form and the workshop widget.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import gettext
from .labels import label_of, labels_by_language

PILLAR_CONTEXT = "culture pillar"

#: pillar key -> its name per language (``PILLARS["roles"]["it"]``; see :func:`pillar_name`)
PILLARS = labels_by_language(
    PILLAR_CONTEXT,
    {
        "shared_understanding": "Shared understanding of the customer",
        "customer_centricity": "Customer-centricity across departments",
        "roles": "Clear roles and responsibilities",
        "delegation": "Delegated responsibility, prepared employees",
    },
)


def pillar_name(pillar: str, lang: str = "en") -> str:
    """A pillar's name in ``lang`` (the key itself for a pillar the questionnaire does not have)."""
    return label_of(PILLARS, pillar, lang)


@dataclass(frozen=True)
class Question:
    id: str
    pillar: str
    #: the question in English (the msgid of its translations)
    wording: str
    #: True when the question is about how *another* department works with us (cross-rating allowed)
    cross: bool = False
    #: the English wording when a department rates *another* one (cross questions only); "" = ``wording``
    wording_about_other: str = ""

    def text(self, lang: str) -> str:
        return gettext(lang, self.wording)

    def text_about_other(self, lang: str) -> str:
        """The question as asked about another department (the ``rated_department`` answers)."""
        return gettext(lang, self.wording_about_other) if self.wording_about_other else self.text(lang)

    @property
    def number(self) -> int:
        """The printed question number (``q07_roles_clear`` -> 7)."""
        digits = "".join(c for c in self.id.split("_")[0] if c.isdigit())
        return int(digits) if digits else 0


QUESTIONS: tuple[Question, ...] = (
    Question(
        "q01_what_we_do",
        "shared_understanding",
        "Does what we do raise customer satisfaction?",
    ),
    Question(
        "q02_how_we_do_it",
        "customer_centricity",
        "Does the way we do it raise customer satisfaction?",
    ),
    Question(
        "q03_info_we_pass",
        "roles",
        "Does the way we pass information to other departments work?",
        cross=True,
        wording_about_other="Does the way this department passes information to us work?",
    ),
    Question(
        "q04_info_we_receive",
        "roles",
        "Does what we receive from other departments let us serve the customer?",
        cross=True,
        wording_about_other="Does what we receive from this department let us serve the customer?",
    ),
    Question(
        "q05_sales_feedback",
        "shared_understanding",
        "Is informal feedback from sales staff actually processed?",
    ),
    Question(
        "q06_customer_informed",
        "customer_centricity",
        "Does the customer know when we are working on a solution?",
    ),
    Question(
        "q07_roles_clear",
        "roles",
        "Is it clear who owns each customer request from start to end?",
    ),
    Question(
        "q08_front_line_empowered",
        "delegation",
        "Can front-line staff settle small issues without escalation?",
    ),
    Question(
        "q09_customer_picture",
        "shared_understanding",
        "Do we share one picture of who our customers are and what they need?",
    ),
    Question(
        "q10_voice_of_customer",
        "customer_centricity",
        "Does someone speak for the customer in cross-department meetings?",
    ),
    Question(
        "q11_trained_to_listen",
        "delegation",
        "Are we trained to listen to and empathise with customers?",
    ),
    Question(
        "q12_internal_customer",
        "customer_centricity",
        "Do we treat colleagues downstream as internal customers?",
        cross=True,
        wording_about_other="Does this department treat us as internal customers?",
    ),
)

QUESTION_IDS = tuple(q.id for q in QUESTIONS)


def question(question_id: str) -> Question:
    for q in QUESTIONS:
        if q.id == question_id:
            return q
    raise KeyError(question_id)
