"""The customer-culture workshop questionnaire (DESIGN §2): question ids, pillars and wording.

Shared by the demo generator, the culture analysis, the printable form and the workshop widget.
"""

from __future__ import annotations

from dataclasses import dataclass

PILLARS: dict[str, dict[str, str]] = {
    "shared_understanding": {
        "en": "Shared understanding of the customer",
        "it": "Comprensione condivisa del cliente",
    },
    "customer_centricity": {
        "en": "Customer-centricity across departments",
        "it": "Centralità del cliente tra i reparti",
    },
    "roles": {"en": "Clear roles and responsibilities", "it": "Ruoli e responsabilità chiari"},
    "delegation": {
        "en": "Delegated responsibility, prepared employees",
        "it": "Responsabilità delegata, persone preparate",
    },
}


@dataclass(frozen=True)
class Question:
    id: str
    pillar: str
    en: str
    it: str
    #: True when the question is about how *another* department works with us (cross-rating allowed)
    cross: bool = False
    #: the wording when a department rates *another* one (cross questions only); "" = same as ``en``/``it``
    other_en: str = ""
    other_it: str = ""

    def text(self, lang: str) -> str:
        return self.it if lang == "it" else self.en

    def text_about_other(self, lang: str) -> str:
        """The question as asked about another department (the ``rated_department`` answers)."""
        other = self.other_it if lang == "it" else self.other_en
        return other or self.text(lang)

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
        "Ciò che facciamo aumenta la soddisfazione del cliente?",
    ),
    Question(
        "q02_how_we_do_it",
        "customer_centricity",
        "Does the way we do it raise customer satisfaction?",
        "Il modo in cui lo facciamo aumenta la soddisfazione del cliente?",
    ),
    Question(
        "q03_info_we_pass",
        "roles",
        "Does the way we pass information to other departments work?",
        "Il modo in cui passiamo le informazioni agli altri reparti funziona?",
        cross=True,
        other_en="Does the way this department passes information to us work?",
        other_it="Il modo in cui questo reparto ci passa le informazioni funziona?",
    ),
    Question(
        "q04_info_we_receive",
        "roles",
        "Does what we receive from other departments let us serve the customer?",
        "Ciò che riceviamo dagli altri reparti ci permette di servire il cliente?",
        cross=True,
        other_en="Does what we receive from this department let us serve the customer?",
        other_it="Ciò che riceviamo da questo reparto ci permette di servire il cliente?",
    ),
    Question(
        "q05_sales_feedback",
        "shared_understanding",
        "Is informal feedback from sales staff actually processed?",
        "Il feedback informale della forza vendita viene davvero elaborato?",
    ),
    Question(
        "q06_customer_informed",
        "customer_centricity",
        "Does the customer know when we are working on a solution?",
        "Il cliente sa quando stiamo lavorando a una soluzione?",
    ),
    Question(
        "q07_roles_clear",
        "roles",
        "Is it clear who owns each customer request from start to end?",
        "È chiaro chi è responsabile di ogni richiesta del cliente dall'inizio alla fine?",
    ),
    Question(
        "q08_front_line_empowered",
        "delegation",
        "Can front-line staff settle small issues without escalation?",
        "Il personale di prima linea può risolvere piccoli problemi senza escalation?",
    ),
    Question(
        "q09_customer_picture",
        "shared_understanding",
        "Do we share one picture of who our customers are and what they need?",
        "Condividiamo un'unica immagine di chi sono i nostri clienti e di cosa hanno bisogno?",
    ),
    Question(
        "q10_voice_of_customer",
        "customer_centricity",
        "Does someone speak for the customer in cross-department meetings?",
        "Nelle riunioni tra reparti qualcuno parla per il cliente?",
    ),
    Question(
        "q11_trained_to_listen",
        "delegation",
        "Are we trained to listen to and empathise with customers?",
        "Siamo formati ad ascoltare i clienti e a metterci nei loro panni?",
    ),
    Question(
        "q12_internal_customer",
        "customer_centricity",
        "Do we treat colleagues downstream as internal customers?",
        "Trattiamo i colleghi a valle come clienti interni?",
        cross=True,
        other_en="Does this department treat us as internal customers?",
        other_it="Questo reparto ci tratta come clienti interni?",
    ),
)

QUESTION_IDS = tuple(q.id for q in QUESTIONS)


def question(question_id: str) -> Question:
    for q in QUESTIONS:
        if q.id == question_id:
            return q
    raise KeyError(question_id)
