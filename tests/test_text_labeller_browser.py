"""The comment labelling widget's page (widgets/comment_labeller.js) in a real browser, without Jupyter:
the module renders into a blank page with a stand-in for the anywidget model (the same get / on / send
calls), and the test clicks as a consultant would.

* one card per comment, with the current guess, the theme chips and the three label buttons;
* ticking a theme and pressing "Negative" sends exactly the message the Python side handles
  (``{"action": "label", "comment", "polarity", "themes"}``; the Python side is tested in
  ``test_text_model.py::test_labelling_widget_shows_least_sure_and_saves_labels``);
* a comment is shown as text, never as markup; the Italian labels follow ``lang``; the widget redraws
  when the items change and "next batch" asks for a refresh.

Skipped where Playwright or Chromium is missing (see ``browser_support.py``).
"""

from __future__ import annotations

import json

import pytest
from browser_support import CHROMIUM_ARGS, REPO, chromium, skip_reason

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=str(skip_reason()))

JS = (REPO / "widgets" / "comment_labeller.js").read_text(encoding="utf-8")

STATE = {
    "lang": "en",
    "items": [
        {
            "id": "1",
            "comment": "Pacco <img src=x onerror=window.pwned=1> arrivato rotto",
            "sentiment": -0.05,
            "polarity": "neutral",
            "themes": [],
        },
        {
            "id": "2",
            "comment": "Consegna veloce",
            "sentiment": None,
            "polarity": "no_signal",
            "themes": ["delivery"],
        },
    ],
    "themes": [{"key": "delivery", "label": "Delivery"}, {"key": "billing", "label": "Billing"}],
    "labelled": 7,
    "model_name": "",
    "message": "",
    "status": "",
}

# a stand-in for the anywidget model: get / set / on / send, messages kept in window.sent
HARNESS = """
window.sent = [];
const listeners = {};
window.model = {
  state: STATE,
  get(k) { return this.state[k]; },
  on(evt, cb) { (listeners[evt] = listeners[evt] || []).push(cb); },
  send(msg) { window.sent.push(msg); },
  set(k, v) { this.state[k] = v; (listeners["change:" + k] || []).forEach((cb) => cb()); },
};
"""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _page(browser, **state):
    page = browser.new_page()
    page.set_content('<!doctype html><meta charset="utf-8"><div id="el"></div>')
    module = JS.replace("export default { render };", "window.cxRender = render;")
    assert module != JS, "the widget module no longer ends with 'export default { render };'"
    page.add_script_tag(content=HARNESS.replace("STATE", json.dumps({**STATE, **state})))
    page.add_script_tag(content=module, type="module")
    page.wait_for_function("typeof window.cxRender === 'function'")
    page.evaluate("window.cxRender({ model: window.model, el: document.getElementById('el') })")
    return page


def test_cards_render_and_a_label_sends_the_message_python_handles(browser):
    page = _page(browser)
    cards = page.locator("[data-testid=comment-card]")
    assert cards.count() == 2
    first = cards.nth(0)
    assert "Pacco <img src=x onerror=window.pwned=1> arrivato rotto" in first.inner_text()
    assert page.locator("#el img").count() == 0 and page.evaluate("window.pwned") is None  # text, not markup
    assert "(now: neutral -0.05)" in first.inner_text()
    assert "(now: no_signal)" in cards.nth(1).inner_text()
    assert "7 labelled so far · lexicon alone" in page.inner_text("#el")
    # the second comment's current themes are pre-ticked
    assert cards.nth(1).locator("input[type=checkbox]").nth(0).is_checked()
    first.locator("label", has_text="Billing").locator("input").check()
    first.locator("button", has_text="Negative").click()
    assert page.evaluate("window.sent") == [
        {
            "action": "label",
            "comment": "Pacco <img src=x onerror=window.pwned=1> arrivato rotto",
            "polarity": "negative",
            "themes": ["billing"],
        }
    ]
    page.locator("button", has_text="Next batch").click()
    assert page.evaluate("window.sent")[-1] == {"action": "refresh"}
    page.close()


def test_redraws_on_new_items_and_speaks_italian(browser):
    page = _page(browser, lang="it", model_name="tfidf-logreg", labelled=40)
    assert "40 etichettati finora · modello tfidf-logreg" in page.inner_text("#el")
    cards = page.locator("[data-testid=comment-card]")  # the guess in Italian words and decimals too
    assert "(ora: neutro -0,05)" in cards.nth(0).inner_text()
    assert "(ora: nessun segnale)" in cards.nth(1).inner_text()
    assert page.locator("button", has_text="Negativo").count() == 2
    page.evaluate("window.model.set('items', [])")
    assert page.locator("[data-testid=comment-card]").count() == 0
    assert "Niente da etichettare." in page.inner_text("#el")
    page.evaluate("window.model.set('message', 'Etichetta salvata.'); window.model.set('status', 'ok')")
    assert page.locator(".cx-msg.ok.cx-show").inner_text() == "Etichetta salvata."
    page.close()
