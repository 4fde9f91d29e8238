// Culture workshop form (anywidget ES module; no build step, no network).
const T = {
  en: {
    title: "Customer culture workshop", department: "Your department", respondent: "Your name or code (optional)",
    rated: "You are rating", own: "your own department", other: "— other —", submit: "Submit answers",
    scale: ["not at all", "little", "partly", "mostly", "fully"], crossOnly: "Only the cross-department questions apply when rating another department.",
    progress: "Respondents so far", answered: "answered", otherName: "Department name", use: "Use",
  },
  it: {
    title: "Workshop sulla cultura del cliente", department: "Il tuo reparto", respondent: "Nome o codice (facoltativo)",
    rated: "Stai valutando", own: "il tuo reparto", other: "— altro —", submit: "Invia le risposte",
    scale: ["per niente", "poco", "in parte", "abbastanza", "pienamente"], crossOnly: "Valutando un altro reparto valgono solo le domande tra reparti.",
    progress: "Partecipanti finora", answered: "risposte", otherName: "Nome del reparto", use: "Usa",
  },
};

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = v;
    else if (k === "value") el.value = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function messageBar(model) {
  const bar = h("div", { class: "cx-msg", role: "status" });
  const update = () => {
    const text = model.get("message");
    bar.textContent = text;
    bar.className = "cx-msg " + (model.get("status") || "info") + (text ? " cx-show" : "");
  };
  model.on("change:message", update);
  model.on("change:status", update);
  update();
  return bar;
}

function render({ model, el }) {
  const L = () => T[model.get("lang")] || T.en;
  const root = h("div", { class: "cxlab-w cx-culture-form" });
  const body = h("div");
  root.append(body, messageBar(model));
  el.append(root);
  const set = (name, value) => { model.set(name, value); model.save_changes(); };

  // "— other —" opens a text field in the form (no browser prompt): Enter or "Use" takes the name
  const typing = {};
  const departmentPicker = (name, allowOwn) => {
    const current = model.get(name) || "";
    const known = model.get("departments") || [];
    const select = h("select", { "data-testid": name, onchange: (e) => {
      if (e.target.value === "__other__") { typing[name] = true; draw(); }
      else { typing[name] = false; set(name, e.target.value); }
    } },
      allowOwn ? h("option", { value: "", selected: current === "" && !typing[name] }, L().own) : h("option", { value: "", selected: current === "" && !typing[name] }, "…"),
      known.map((d) => h("option", { value: d, selected: d === current && !typing[name] }, d)),
      current && !known.includes(current) ? h("option", { value: current, selected: !typing[name] }, current) : null,
      h("option", { value: "__other__", selected: !!typing[name] }, L().other));
    if (!typing[name]) return select;
    const input = h("input", { type: "text", size: 18, placeholder: L().otherName, "aria-label": L().otherName, "data-testid": name + "-other" });
    const take = () => {
      const typed = input.value.trim();
      if (!typed) return;
      typing[name] = false;
      set(name, typed);
      draw();
    };
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") take(); });
    setTimeout(() => input.focus(), 0);
    return h("span", {}, select, " ", input, " ", h("button", { "data-testid": name + "-use", onclick: take }, L().use));
  };

  const draw = () => {
    const l = L();
    const answers = model.get("answers") || {};
    const rating = (model.get("rated_department") || "") !== "" && model.get("rated_department") !== model.get("department");
    let pillar = null;
    const items = [];
    for (const q of model.get("questions") || []) {
      if (rating && !q.cross) continue;
      if (q.pillar !== pillar) { pillar = q.pillar; items.push(h("div", { class: "cx-pillar" }, q.pillar_label)); }
      const score = answers[q.id] || 0;
      items.push(h("div", { class: "cx-question", "data-question": q.id },
        h("div", { class: "cx-qtext" }, q.text),
        h("div", { class: "cx-scale" }, [1, 2, 3, 4, 5].map((v) => h("button", {
          class: v === score ? "cx-on" : "", title: l.scale[v - 1], "data-score": v,
          onclick: () => set("answers", { ...model.get("answers"), [q.id]: v === score ? 0 : v }),
        }, v)))));
    }
    const answered = Object.values(answers).filter((v) => v > 0).length;
    const progress = Object.entries(model.get("progress") || {}).map(([d, n]) => h("span", { class: "cx-badge" }, `${d}: ${n}`));
    const respondent = h("input", { type: "text", "data-testid": "respondent", value: model.get("respondent") || "",
      onchange: (e) => set("respondent", e.target.value) });
    body.replaceChildren(...[
      h("h3", {}, l.title),
      h("div", { class: "cx-bar" }, l.department, departmentPicker("department", false), l.respondent, respondent),
      h("div", { class: "cx-bar" }, l.rated, departmentPicker("rated_department", true),
        rating ? h("span", { class: "cx-muted" }, l.crossOnly) : null),
      ...items,
      h("div", { class: "cx-bar" },
        h("button", { class: "cx-primary", "data-testid": "submit", onclick: () => model.send({ action: "submit" }) }, l.submit),
        h("span", { class: "cx-muted" }, `${answered} ${l.answered}`)),
      progress.length ? h("div", { class: "cx-bar" }, h("span", { class: "cx-muted" }, l.progress + ":"), progress) : null,
    ].filter(Boolean));
  };
  for (const name of ["answers", "questions", "department", "rated_department", "respondent", "departments", "progress", "lang"]) {
    model.on("change:" + name, draw);
  }
  draw();
  return () => root.remove();
}

export default { render };
