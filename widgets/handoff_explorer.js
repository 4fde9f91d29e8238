// Handoff explorer (anywidget ES module; no build step, no network).
const T = {
  en: {
    title: "Handoffs between departments", departments: "Departments", all: "all", metric: "Colour by",
    from: "from ↓ / to →", pair: "Handoff", count: "Handoffs", cases: "Cases", share: "Share of cases",
    median: "Median wait", p90: "90th percentile wait", total: "Total waiting time", pingpong: "Bounces back (ping-pong)",
    npsWith: "NPS with this handoff", npsWithout: "NPS without", gap: "Difference", lost: "NPS points lost overall",
    significant: "significant", notSignificant: "not significant", byHandoffs: "NPS by number of handoffs per case",
    examples: "Example cases (longest waits)", save: "Export example cases", customer: "customer", wait: "wait",
    chasers: "chasers", lead: "lead time", pick: "Click a cell of the matrix to choose a handoff.",
    metrics: { count: "handoffs", share_of_cases: "share of cases", median_wait_h: "median wait", p90_wait_h: "p90 wait",
      total_wait_h: "total wait", ping_pong_rate: "ping-pong rate", nps_points_lost: "NPS points lost" },
  },
  it: {
    title: "Passaggi tra reparti", departments: "Reparti", all: "tutti", metric: "Colore per",
    from: "da ↓ / a →", pair: "Passaggio", count: "Passaggi", cases: "Pratiche", share: "Quota di pratiche",
    median: "Attesa mediana", p90: "Attesa al 90° percentile", total: "Attesa totale", pingpong: "Rimbalzi (ping-pong)",
    npsWith: "NPS con questo passaggio", npsWithout: "NPS senza", gap: "Differenza", lost: "Punti NPS persi in tutto",
    significant: "significativa", notSignificant: "non significativa", byHandoffs: "NPS per numero di passaggi per pratica",
    examples: "Pratiche di esempio (attese più lunghe)", save: "Esporta le pratiche di esempio", customer: "cliente",
    wait: "attesa", chasers: "solleciti", lead: "durata", pick: "Clicca una cella della matrice per scegliere un passaggio.",
    metrics: { count: "passaggi", share_of_cases: "quota di pratiche", median_wait_h: "attesa mediana", p90_wait_h: "attesa p90",
      total_wait_h: "attesa totale", ping_pong_rate: "tasso di ping-pong", nps_points_lost: "punti NPS persi" },
  },
};

// A matrix cell's shade: darker = worse. Every metric grows with the problem (counts, waits, rates), and
// "NPS points lost" is signed: a positive value is points lost (orange, darkest for the most lost), a
// negative one is points the pair gains (a light teal, never darker than a small loss).
export function cellShade(metric, v, values) {
  const x = Number(v) || 0;
  const nums = values.map((y) => Number(y) || 0);
  const orange = "224,123,57";
  if (metric === "nps_points_lost") {
    const worst = Math.max(0, ...nums), best = Math.min(0, ...nums);
    if (x < 0) return { rgb: "42,157,143", alpha: Math.max(0.06, 0.3 * x / best) };
    return { rgb: orange, alpha: worst ? Math.max(0.06, x / worst) : 0.06 };
  }
  const max = Math.max(0, ...nums.map(Math.abs));
  return { rgb: orange, alpha: max ? Math.max(0.06, Math.abs(x) / max) : 0 };
}

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

const num = (v, d = 0) => (v === null || v === undefined ? "–" : Number(v).toFixed(d));
const pct = (v) => (v === null || v === undefined ? "–" : Math.round(v * 100) + "%");
const hours = (v, lang) => {
  if (v === null || v === undefined) return "–";
  if (Math.abs(v) >= 48) return (v / 24).toFixed(1) + (lang === "it" ? " giorni" : " days");
  return v.toFixed(1) + " h";
};
const fmt = (metric, v, lang) => {
  if (metric.endsWith("_h")) return hours(v, lang);
  if (metric === "share_of_cases" || metric === "ping_pong_rate") return pct(v);
  if (metric === "nps_points_lost") return num(v, 1);
  return num(v);
};

function render({ model, el }) {
  const L = () => T[model.get("lang")] || T.en;
  const lang = () => model.get("lang");
  const root = h("div", { class: "cxlab-w cx-handoff-explorer" });
  const top = h("div");
  const cols = h("div", { class: "cx-cols" });
  const matrixBox = h("div");
  const detailBox = h("div", { style: "flex:1;min-width:300px" });
  const examplesBox = h("div");
  cols.append(matrixBox, detailBox);
  root.append(h("h3", {}, ""), top, cols, examplesBox, messageBar(model));
  el.append(root);
  const set = (name, value) => { model.set(name, value); model.save_changes(); };

  const drawTop = () => {
    const l = L();
    root.querySelector("h3").textContent = l.title;
    const chosen = model.get("selected_departments") || [];
    const all = model.get("departments") || [];
    // hundreds of departments: chips for the ones shown, and a search box to add any other
    const many = all.length > 40;
    const chipNames = many ? (model.get("shown_departments") || []) : all;
    const chips = chipNames.map((d) => h("button", {
      class: chosen.includes(d) ? "cx-on" : "", "data-department": d,
      onclick: () => set("selected_departments", chosen.includes(d) ? chosen.filter((x) => x !== d) : [...chosen, d]),
    }, d));
    if (many) {
      const listId = "cx-departments-" + Math.random().toString(36).slice(2);
      chips.push(h("datalist", { id: listId }, all.map((d) => h("option", { value: d }))));
      chips.push(h("input", {
        list: listId, "data-testid": "add-department", placeholder: "+", size: 12,
        onchange: (e) => { const d = e.target.value; if (all.includes(d) && !chosen.includes(d)) set("selected_departments", [...chosen, d]); },
      }));
    }
    const metric = h("select", { "data-testid": "metric", onchange: (e) => set("metric", e.target.value) },
      Object.entries(l.metrics).map(([k, v]) => h("option", { value: k, selected: k === model.get("metric") }, v)));
    top.replaceChildren(
      h("div", { class: "cx-bar" }, l.departments + ":", h("button", { class: chosen.length ? "" : "cx-on", onclick: () => set("selected_departments", []) }, l.all), chips),
      h("div", { class: "cx-bar" }, l.metric, metric));
  };

  const drawMatrix = () => {
    const l = L();
    const rows = model.get("matrix") || [];
    const metric = model.get("metric");
    const pair = model.get("pair") || [];
    const chosen = model.get("selected_departments") || [];
    // with a filter, the chosen departments and every department they hand cases to or from
    const depts = chosen.length
      ? [...new Set(rows.flatMap((r) => [r.from, r.to]).concat(chosen))].sort()
      : model.get("shown_departments") || model.get("departments") || [];
    const cell = {};
    let max = 0;
    for (const r of rows) { cell[r.from + "\u0000" + r.to] = r; max = Math.max(max, Math.abs(r[metric] || 0)); }
    const head = h("tr", {}, h("th", { class: "cx-muted" }, l.from), depts.map((d) => h("th", { title: d }, d.length > 10 ? d.slice(0, 9) + "…" : d)));
    const body = depts.map((a) => h("tr", {}, h("th", {}, a), depts.map((b) => {
      const r = cell[a + "\u0000" + b];
      if (!r) return h("td", { class: "cx-muted" }, a === b ? "" : "·");
      const v = r[metric];
      const { rgb, alpha } = cellShade(metric, v, rows.map((q) => q[metric]));
      const sel = pair[0] === a && pair[1] === b;
      return h("td", {
        class: sel ? "cx-sel" : "", "data-from": a, "data-to": b, title: `${a} → ${b}`,
        style: `background: rgba(${rgb},${alpha.toFixed(2)}); color: ${alpha > 0.6 ? "#fff" : "inherit"}`,
        onclick: () => set("pair", [a, b]),
      }, fmt(metric, v, lang()));
    })));
    matrixBox.replaceChildren(h("table", { class: "cx-table cx-heat", "data-testid": "matrix" }, h("thead", {}, head), h("tbody", {}, body)));
  };

  const drawDetail = () => {
    const l = L();
    const d = model.get("detail") || {};
    if (!d.from) { detailBox.replaceChildren(h("p", { class: "cx-muted" }, l.pick)); return; }
    const line = (k, v) => h("tr", {}, h("td", {}, k), h("td", { class: "cx-num" }, v));
    const sig = d.significant === true ? l.significant : d.significant === false ? l.notSignificant : "";
    const bars = (model.get("by_handoffs") || []).map((b) => {
      const w = b.nps === null ? 0 : Math.abs(b.nps);
      return h("div", { class: "cx-bar", style: "margin:2px 0" },
        h("span", { style: "width:2.5em;display:inline-block" }, b.bucket),
        h("span", { style: `display:inline-block;height:10px;width:${(w * 1.2).toFixed(0)}px;background:${b.nps < 0 ? "#c0392b" : "#2a9d8f"}` }),
        h("span", { class: b.small_n ? "cx-muted" : "" }, `${num(b.nps)} (n=${b.cases})`));
    });
    detailBox.replaceChildren(...[
      h("div", { class: "cx-title", "data-testid": "pair" }, `${l.pair}: ${d.from} → ${d.to}`),
      h("table", { class: "cx-table", style: "max-width:560px" }, h("tbody", {},
        line(l.count, num(d.count)), line(l.cases, num(d.cases)), line(l.share, pct(d.share_of_cases)),
        line(l.median, hours(d.median_wait_h, lang())), line(l.p90, hours(d.p90_wait_h, lang())),
        line(l.total, hours(d.total_wait_h, lang())), line(l.pingpong, pct(d.ping_pong_rate)),
        d.nps_with !== undefined ? line(l.npsWith, num(d.nps_with)) : null,
        d.nps_without !== undefined ? line(l.npsWithout, num(d.nps_without)) : null,
        d.nps_gap !== undefined ? line(l.gap, `${num(d.nps_gap, 1)} ${sig ? "(" + sig + ")" : ""}`) : null,
        d.nps_points_lost !== undefined ? line(l.lost, num(d.nps_points_lost, 1)) : null)),
      bars.length ? h("div", {}, h("strong", {}, l.byHandoffs), bars) : null,
    ].filter(Boolean));
  };

  const drawExamples = () => {
    const l = L();
    const ex = model.get("examples") || [];
    if (!ex.length) { examplesBox.replaceChildren(); return; }
    examplesBox.replaceChildren(
      h("div", { class: "cx-bar" }, h("strong", {}, l.examples),
        h("button", { class: "cx-primary", "data-testid": "save", onclick: () => model.send({ action: "save" }) }, l.save)),
      ...ex.map((c, i) => h("details", { open: i === 0, "data-case": c.case_id },
        h("summary", {}, h("strong", {}, c.case_id),
          ` · ${l.customer} ${c.customer_id || "–"} · ${l.wait} ${hours(c.wait_hours, lang())} · ${l.lead} ${hours(c.lead_time_hours, lang())}` +
          ` · ${l.chasers} ${c.chasers}` + (c.nps === null ? "" : ` · NPS ${c.nps}`)),
        h("table", { class: "cx-table" }, h("tbody", {}, c.events.map((e) => h("tr", {},
          h("td", { class: "cx-samples" }, e.t), h("td", {}, e.department), h("td", {}, (e.contact ? "☎ " : "") + e.activity),
          h("td", { class: "cx-muted" }, e.agent))))))));
  };

  model.on("change:matrix", drawMatrix);
  model.on("change:metric", () => { drawTop(); drawMatrix(); });
  model.on("change:pair", drawMatrix);
  model.on("change:selected_departments", () => { drawTop(); drawMatrix(); });
  model.on("change:shown_departments", () => { drawTop(); drawMatrix(); });
  model.on("change:detail", drawDetail);
  model.on("change:by_handoffs", drawDetail);
  model.on("change:examples", drawExamples);
  model.on("change:lang", () => { drawTop(); drawMatrix(); drawDetail(); drawExamples(); });
  drawTop(); drawMatrix(); drawDetail(); drawExamples();
  return () => root.remove();
}

export default { render };
