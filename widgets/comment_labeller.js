// Comment labelling widget (anywidget ES module; no build step, no network).
const T = {
  en: { title: "Comments the model is least sure of", labelled: "labelled so far", model: "model", lexicon: "lexicon alone",
        positive: "Positive", negative: "Negative", neutral: "Neutral", next: "Next batch (retrain)", none: "Nothing left to label.", guess: "now",
        polarity: { positive: "positive", negative: "negative", neutral: "neutral", no_signal: "no_signal" }, locale: "en-US" },
  it: { title: "I commenti su cui il modello è meno sicuro", labelled: "etichettati finora", model: "modello", lexicon: "solo lessico",
        positive: "Positivo", negative: "Negativo", neutral: "Neutro", next: "Prossimo gruppo (riaddestra)", none: "Niente da etichettare.", guess: "ora",
        polarity: { positive: "positivo", negative: "negativo", neutral: "neutro", no_signal: "nessun segnale" }, locale: "it-IT" },
};

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function render({ model, el }) {
  const L = () => T[model.get("lang")] || T.en;
  const root = h("div", { class: "cxlab-w cx-labeller" });
  const body = h("div");
  const bar = h("div", { class: "cx-msg", role: "status" });
  root.append(body, bar);
  el.append(root);

  const showMessage = () => {
    const text = model.get("message");
    bar.textContent = text;
    bar.className = "cx-msg " + (model.get("status") || "info") + (text ? " cx-show" : "");
  };

  const card = (item) => {
    const chosen = new Set(item.themes || []);
    const chips = (model.get("themes") || []).map((th) => {
      const box = h("input", { type: "checkbox", checked: chosen.has(th.key), onchange: (e) => {
        if (e.target.checked) chosen.add(th.key); else chosen.delete(th.key);
      } });
      return h("label", { class: "cx-chip" }, box, " ", th.label);
    });
    const send = (polarity) => model.send({ action: "label", comment: item.comment, polarity, themes: [...chosen] });
    // the model's guess in the widget's words and number format (the key itself for an unknown polarity)
    const polarity = L().polarity[item.polarity] || item.polarity;
    const score = item.sentiment === null ? "" : " " + item.sentiment.toLocaleString(L().locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    const guess = polarity + score;
    return h("div", { class: "cx-card", "data-testid": "comment-card" },
      h("p", { class: "cx-text" }, item.comment, h("span", { class: "cx-guess" }, `(${L().guess}: ${guess})`)),
      h("div", {},
        h("button", { class: "cx-pos", onclick: () => send("positive") }, L().positive), " ",
        h("button", { class: "cx-neg", onclick: () => send("negative") }, L().negative), " ",
        h("button", { onclick: () => send("neutral") }, L().neutral)),
      h("div", {}, chips));
  };

  const draw = () => {
    const items = model.get("items") || [];
    const name = model.get("model_name");
    body.replaceChildren(
      h("div", { class: "cx-head" },
        h("strong", {}, L().title),
        h("span", {}, `${model.get("labelled")} ${L().labelled} · ${name ? L().model + " " + name : L().lexicon}`)),
      ...(items.length ? items.map(card) : [h("p", {}, L().none)]),
      h("button", { onclick: () => model.send({ action: "refresh" }) }, L().next));
  };

  for (const name of ["items", "themes", "labelled", "model_name", "lang"]) model.on(`change:${name}`, draw);
  model.on("change:message", showMessage);
  model.on("change:status", showMessage);
  draw();
  showMessage();
}

export default { render };
