// Column mapper (anywidget ES module; no build step, no network).
const T = {
  en: {
    title: "Column mapping", table: "Table", file: "file", column: "Client column", samples: "Sample values",
    canonical: "Canonical column", why: "Suggestion", unused: "— not used —", required: "required",
    suggest: "Apply suggestions", save: "Save to client.yaml", checks: "Validation", rows: "rows usable",
    values: "Values", asIs: "— as is —", means: "means",
  },
  it: {
    title: "Mappatura colonne", table: "Tabella", file: "file", column: "Colonna del cliente",
    samples: "Valori di esempio", canonical: "Colonna canonica", why: "Suggerimento", unused: "— non usata —",
    required: "obbligatoria", suggest: "Applica suggerimenti", save: "Salva in client.yaml",
    checks: "Verifica", rows: "righe utilizzabili", values: "Valori", asIs: "— invariato —", means: "significa",
  },
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
  const t = () => T[model.get("lang")] || T.en;
  const root = h("div", { class: "cxlab-w cx-column-mapper" });
  const body = h("div");
  const msg = messageBar(model);
  root.append(body, msg);
  el.append(root);

  const draw = () => {
    const L = t();
    const mapping = model.get("mapping") || {};
    const canonical = model.get("canonical") || [];
    const validation = model.get("validation") || [];
    const errorsByColumn = {};
    for (const p of validation) if (p.column) (errorsByColumn[p.column] ||= []).push(p);

    const tableSelect = h("select", {
      "data-testid": "table",
      onchange: (e) => { model.set("table", e.target.value); model.save_changes(); },
    }, (model.get("tables") || []).map((x) =>
      h("option", { value: x.table, selected: x.table === model.get("table") }, x.table)));

    const rows = (model.get("columns") || []).map((col) => {
      const current = mapping[col.name] || "";
      const select = h("select", {
        "data-column": col.name,
        onchange: (e) => {
          const next = { ...model.get("mapping") };
          next[col.name] = e.target.value;
          model.set("mapping", next);
          model.save_changes();
        },
      },
        h("option", { value: "", selected: current === "" }, L.unused),
        canonical.map((c) => h("option", { value: c.name, selected: c.name === current, title: c.expected },
          c.name + (c.required ? " *" : ""))));
      const probs = errorsByColumn[col.name] || [];
      const worst = probs.find((p) => p.level === "error") ? "error" : probs.length ? "warning" : "";
      const suggestion = col.suggestion
        ? h("span", { class: "cx-badge" + (col.suggestion === current ? " ok" : ""), title: col.reason },
          `${col.suggestion} ${Math.round(col.score * 100)}%`)
        : h("span", { class: "cx-muted" }, col.reason || "");
      return h("tr", { class: worst === "error" ? "cx-row-error" : "" },
        h("td", {}, h("strong", {}, col.name)),
        h("td", { class: "cx-samples" }, (col.samples || []).join(" · ")),
        h("td", {}, select,
          probs.length ? h("div", {}, probs.map((p) => h("span", { class: "cx-badge " + p.level, title: p.text },
            p.text.length > 70 ? p.text.slice(0, 67) + "…" : p.text))) : null),
        h("td", {}, suggestion));
    });

    const mappedTargets = new Set(Object.values(mapping).filter(Boolean));
    const required = canonical.filter((c) => c.required).map((c) =>
      h("span", { class: "cx-badge " + (mappedTargets.has(c.name) ? "ok" : "error") },
        (mappedTargets.has(c.name) ? "✓ " : "✗ ") + c.name));

    const checks = h("ul", { class: "cx-checks", "data-testid": "validation" },
      validation.filter((p) => !p.column || p.level === "ok").concat(validation.filter((p) => p.column && p.level !== "ok"))
        .slice(0, 15).map((p) => h("li", { class: p.level }, p.text)));

    // value mapping for canonical columns with fixed values (survey: hot / cold)
    const valueMaps = model.get("values") || {};
    const valueRows = [];
    for (const col of model.get("columns") || []) {
      const target = mapping[col.name];
      const spec = canonical.find((c) => c.name === target);
      if (!spec || !(spec.allowed || []).length || !(col.distinct || []).length) continue;
      for (const v of col.distinct) {
        const current = (valueMaps[target] || {})[v] || "";
        valueRows.push(h("tr", {},
          h("td", {}, h("strong", {}, col.name)), h("td", { class: "cx-samples" }, v), h("td", {}, L.means),
          h("td", {}, h("select", {
            "data-value-of": col.name, "data-value": v,
            onchange: (e) => {
              const next = { ...model.get("values") };
              next[target] = { ...(next[target] || {}) };
              if (e.target.value) next[target][v] = e.target.value; else delete next[target][v];
              model.set("values", next);
              model.save_changes();
            },
          }, h("option", { value: "", selected: current === "" }, L.asIs),
            spec.allowed.map((a) => h("option", { value: a, selected: a === current }, a))))));
      }
    }

    body.replaceChildren(
      h("h3", {}, L.title),
      h("div", { class: "cx-bar" }, L.table, tableSelect,
        h("span", { class: "cx-muted" }, `${L.file}: ${model.get("file")}`), h("span", {}, L.required + ":"), required),
      h("table", { class: "cx-table" },
        h("thead", {}, h("tr", {}, h("th", {}, L.column), h("th", {}, L.samples), h("th", {}, L.canonical), h("th", {}, L.why))),
        h("tbody", {}, rows)),
      valueRows.length ? h("div", {}, h("strong", {}, L.values),
        h("table", { class: "cx-table", "data-testid": "values" }, h("tbody", {}, valueRows))) : h("span"),
      h("div", { class: "cx-bar" },
        h("button", { onclick: () => model.send({ action: "suggest" }) }, L.suggest),
        h("button", { class: "cx-primary", "data-testid": "save", onclick: () => model.send({ action: "save" }) }, L.save)),
      h("div", {}, h("strong", {}, L.checks), checks));
  };

  for (const name of ["mapping", "values", "columns", "canonical", "validation", "tables", "table", "file", "lang"]) {
    model.on("change:" + name, draw);
  }
  draw();
  return () => root.remove();
}

export default { render };
