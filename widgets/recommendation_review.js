// Recommendation review (anywidget ES module; no build step, no network).
const T = {
  en: {
    title: "Recommendation review", accept: "Accept", reject: "Reject", undo: "Undo", save: "Save decisions",
    owner: "Owner", priority: "Priority (1–25)", effort: "Effort", due: "Due", evidence: "Evidence",
    all: "all", accepted: "accepted", rejected: "rejected", proposed: "to review", unsaved: "unsaved changes",
    edited: "edited", efforts: { low: "low", medium: "medium", high: "high" }, file: "file",
    add: "Add your own recommendation", id: "Short id", text: "Recommendation", titleF: "Title", addBtn: "Add",
  },
  it: {
    title: "Revisione delle raccomandazioni", accept: "Accetta", reject: "Scarta", undo: "Annulla",
    save: "Salva le decisioni", owner: "Responsabile", priority: "Priorità (1–25)", effort: "Impegno", due: "Entro",
    evidence: "Evidenza", all: "tutte", accepted: "accettate", rejected: "scartate", proposed: "da rivedere",
    unsaved: "modifiche non salvate", edited: "modificata", efforts: { low: "basso", medium: "medio", high: "alto" },
    file: "file", add: "Aggiungi una raccomandazione", id: "Id breve", text: "Raccomandazione", titleF: "Titolo",
    addBtn: "Aggiungi",
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
  const root = h("div", { class: "cxlab-w cx-recommendation-review" });
  const body = h("div");
  // the confirmations and errors of Save / Add show right under the toolbar holding the Save button,
  // not below every card
  const bar = messageBar(model);
  root.append(body);
  el.append(root);
  let filter = "all";
  const set = (id, field, value) => model.send({ action: "set", id, field, value });

  const card = (c) => {
    const l = L();
    const listId = "cx-owners-" + Math.random().toString(36).slice(2);
    return h("div", { class: "cx-card " + c.status, "data-id": c.id },
      h("div", { class: "cx-bar" },
        h("span", { class: "cx-badge" }, "P " + c.priority),
        h("span", { class: "cx-badge " + (c.status === "accepted" ? "ok" : c.status === "rejected" ? "error" : "") },
          l[c.status] || c.status),
        c.edited.some((f) => f !== "status") ? h("span", { class: "cx-badge warning", title: c.edited.join(", ") }, l.edited) : null,
        h("span", { class: "cx-muted" }, c.id)),
      h("div", { class: "cx-title" }, c.title),
      c.evidence ? h("div", { class: "cx-evidence" }, l.evidence + ": " + c.evidence) : null,
      h("textarea", { "data-field": "text", value: c.text, rows: Math.max(3, Math.ceil(c.text.length / 52)), onchange: (e) => set(c.id, "text", e.target.value) }),
      h("div", { class: "cx-bar" },
        h("label", {}, l.owner + " ",
          h("input", { type: "text", list: listId, "data-field": "owner", value: c.owner, size: 14,
            onchange: (e) => set(c.id, "owner", e.target.value) }),
          h("datalist", { id: listId }, (model.get("owners") || []).map((o) => h("option", { value: o })))),
        h("label", {}, l.priority + " ",
          h("input", { type: "number", min: 1, max: 25, step: 1, "data-field": "priority", value: c.priority,
            style: "width:4.5em", onchange: (e) => {
              const n = Number(e.target.value);
              set(c.id, "priority", e.target.value === "" || Number.isNaN(n) ? e.target.value : n);
            } })),
        h("label", {}, l.effort + " ",
          h("select", { "data-field": "effort", onchange: (e) => set(c.id, "effort", e.target.value) },
            ["low", "medium", "high"].map((v) => h("option", { value: v, selected: v === c.effort }, l.efforts[v])))),
        h("span", { class: "cx-muted" }, `${l.due} ${c.due}`)),
      h("div", { class: "cx-bar" },
        h("button", { class: c.status === "accepted" ? "cx-on" : "", "data-action": "accept",
          onclick: () => set(c.id, "status", c.status === "accepted" ? "proposed" : "accepted") },
          c.status === "accepted" ? l.undo : l.accept),
        h("button", { "data-action": "reject",
          onclick: () => set(c.id, "status", c.status === "rejected" ? "proposed" : "rejected") },
          c.status === "rejected" ? l.undo : l.reject)));
  };

  const draw = () => {
    const l = L();
    const cards = model.get("cards") || [];
    const count = (s) => cards.filter((c) => c.status === s).length;
    const tabs = ["all", "proposed", "accepted", "rejected"].map((f) => h("button", {
      class: f === filter ? "cx-on" : "", onclick: () => { filter = f; draw(); },
    }, `${l[f]} (${f === "all" ? cards.length : count(f)})`));
    const shown = cards.filter((c) => filter === "all" || c.status === filter);
    body.replaceChildren(
      h("h3", {}, l.title),
      h("div", { class: "cx-bar" }, tabs,
        h("button", { class: "cx-primary", "data-testid": "save", onclick: () => model.send({ action: "save" }) }, l.save),
        model.get("dirty") ? h("span", { class: "cx-badge warning" }, l.unsaved) : null,
        h("span", { class: "cx-muted" }, `${l.file}: ${model.get("file")}`)),
      bar,
      h("div", { class: "cx-cards" }, shown.map(card)),
      addForm());
  };

  const addForm = () => {
    const l = L();
    const f = {
      id: h("input", { type: "text", size: 14, "data-field": "new-id", placeholder: "pricing_review" }),
      title: h("input", { type: "text", size: 30, "data-field": "new-title" }),
      text: h("textarea", { "data-field": "new-text" }),
      owner: h("input", { type: "text", size: 14, "data-field": "new-owner" }),
      priority: h("input", { type: "number", min: 1, max: 25, value: 10, style: "width:4.5em", "data-field": "new-priority" }),
    };
    return h("details", { style: "margin-top:8px" }, h("summary", {}, l.add),
      h("div", { class: "cx-bar" }, l.id, f.id, l.titleF, f.title),
      h("div", {}, l.text, f.text),
      h("div", { class: "cx-bar" }, l.owner, f.owner, l.priority, f.priority,
        h("button", { "data-testid": "add", onclick: () => model.send({
          action: "add", id: f.id.value, title: f.title.value, text: f.text.value, owner: f.owner.value,
          priority: Number(f.priority.value),
        }) }, l.addBtn)));
  };
  for (const name of ["cards", "dirty", "owners", "lang", "file"]) model.on("change:" + name, draw);
  draw();
  return () => root.remove();
}

export default { render };
