// Segment explorer (anywidget ES module; no build step, no network).
const T = {
  en: {
    title: "Customer segments: current value × future potential", share: "top share", absolute: "amount",
    value: "Current value (last 12 months)", potential: "Future potential (next 12 months)",
    valueT: "High value from", potentialT: "High potential from", rule: "Threshold as", save: "Save thresholds to client.yaml",
    segment: "Segment", customers: "Customers", shareC: "% customers", shareV: "% value", shareF: "% potential",
    nps: "NPS", service: "Service level", shown: "customers shown", of: "of", busy: "updating…",
  },
  it: {
    title: "Segmenti di clienti: valore attuale × potenziale futuro", share: "quota dei migliori", absolute: "importo",
    value: "Valore attuale (ultimi 12 mesi)", potential: "Potenziale futuro (prossimi 12 mesi)",
    valueT: "Valore alto da", potentialT: "Potenziale alto da", rule: "Soglia come", save: "Salva le soglie in client.yaml",
    segment: "Segmento", customers: "Clienti", shareC: "% clienti", shareV: "% valore", shareF: "% potenziale",
    nps: "NPS", service: "Livello di servizio", shown: "clienti mostrati", of: "di", busy: "aggiornamento…",
  },
};
const SVG = "http://www.w3.org/2000/svg"; // the SVG namespace name (nothing is fetched)

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
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
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

const pct = (v) => (v === null || v === undefined ? "–" : Math.round(v * 100) + "%");
const money = (v, cur) => {
  const sym = { EUR: "€", USD: "$", GBP: "£" }[cur] || cur + " ";
  if (v >= 1e6) return sym + (v / 1e6).toFixed(1) + "M";
  if (v >= 1e3) return sym + (v / 1e3).toFixed(v >= 1e4 ? 0 : 1) + "k";
  return sym + Math.round(v);
};
// log scale with a zero: customers without value sit on the axis
const lg = (v) => Math.log10(1 + Math.max(0, v));
const unlg = (x) => Math.pow(10, x) - 1;

function render({ model, el }) {
  const L = () => T[model.get("lang")] || T.en;
  const root = h("div", { class: "cxlab-w cx-segment-explorer" });
  const controls = h("div");
  const row = h("div", { class: "cx-cols" });
  const plot = h("div");
  const table = h("div", { style: "flex:1;min-width:300px" });
  const services = h("div");
  row.append(plot, table);
  root.append(h("h3", {}, ""), controls, row, services, messageBar(model));
  el.append(root);
  const W = 440, H = 330, M = { l: 58, r: 12, t: 10, b: 40 };
  let preview = null; // thresholds while a slider is being dragged

  const thresholds = () => preview || {
    v: model.get("effective").value_threshold || 0, p: model.get("effective").potential_threshold || 0,
  };

  const drawPlot = () => {
    const l = L();
    const ax = model.get("axes") || {};
    const vmax = lg(ax.value_max || 1), pmax = lg(ax.potential_max || 1);
    const x = (v) => M.l + (lg(v) / vmax) * (W - M.l - M.r);
    const y = (v) => H - M.b - (lg(v) / pmax) * (H - M.t - M.b);
    const svg = s("svg", { width: W, height: H, "data-testid": "scatter" });
    const ticks = [0, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7];
    for (const tv of ticks) {
      if (lg(tv) <= vmax) svg.append(s("line", { x1: x(tv), x2: x(tv), y1: M.t, y2: H - M.b, stroke: "#8882" }),
        s("text", { x: x(tv), y: H - M.b + 14, "text-anchor": "middle" }, money(tv, ax.currency)));
      if (lg(tv) <= pmax) svg.append(s("line", { x1: M.l, x2: W - M.r, y1: y(tv), y2: y(tv), stroke: "#8882" }),
        s("text", { x: M.l - 4, y: y(tv) + 4, "text-anchor": "end" }, money(tv, ax.currency)));
    }
    const colours = ax.colours || [];
    for (const [v, p, c] of model.get("points") || []) {
      svg.append(s("circle", { cx: x(v).toFixed(1), cy: y(p).toFixed(1), r: 2.6, fill: colours[c] || "#999", "fill-opacity": 0.7 }));
    }
    const th = thresholds();
    svg.append(
      s("line", { x1: x(th.v), x2: x(th.v), y1: M.t, y2: H - M.b, stroke: "#b42318", "stroke-dasharray": "5 3", "stroke-width": 1.5 }),
      s("line", { x1: M.l, x2: W - M.r, y1: y(th.p), y2: y(th.p), stroke: "#b42318", "stroke-dasharray": "5 3", "stroke-width": 1.5 }),
      s("text", { x: (M.l + W - M.r) / 2, y: H - 6, "text-anchor": "middle" }, l.value),
      s("text", { x: 12, y: (M.t + H - M.b) / 2, transform: `rotate(-90 12 ${(M.t + H - M.b) / 2})`, "text-anchor": "middle" }, l.potential));
    const shown = (model.get("points") || []).length;
    plot.replaceChildren(svg, h("div", { class: "cx-muted" }, `${shown} ${l.shown} ${l.of} ${ax.customers || shown}`));
  };

  const slider = (label, key, axisMax) => {
    const mode = model.get("mode");
    const ax = model.get("axes") || {};
    const isShare = mode === "share";
    const name = isShare ? (key === "v" ? "value_share" : "potential_share") : (key === "v" ? "value_threshold" : "potential_threshold");
    const current = model.get(name);
    const max = isShare ? 0.5 : lg(axisMax);
    const pos = isShare ? current : lg(current);
    const out = h("span", { class: "cx-badge" }, isShare ? pct(current) : money(current, ax.currency));
    const input = h("input", {
      type: "range", min: isShare ? 0.01 : 0, max, step: isShare ? 0.01 : max / 200, value: pos, "data-testid": name,
      oninput: (e) => {
        const val = Number(e.target.value);
        out.textContent = isShare ? pct(val) : money(unlg(val), ax.currency);
        if (!isShare) { preview = { ...thresholds(), [key]: unlg(val) }; drawPlot(); }
      },
      onchange: (e) => {
        const val = Number(e.target.value);
        preview = null;
        model.set(name, isShare ? val : unlg(val));
        model.save_changes();
      },
    });
    return h("label", { class: "cx-bar" }, label, input, out);
  };

  const drawControls = () => {
    const l = L();
    const ax = model.get("axes") || {};
    root.querySelector("h3").textContent = l.title;
    const mode = h("select", { "data-testid": "mode", onchange: (e) => { model.set("mode", e.target.value); model.save_changes(); } },
      h("option", { value: "share", selected: model.get("mode") === "share" }, l.share),
      h("option", { value: "absolute", selected: model.get("mode") === "absolute" }, l.absolute));
    controls.replaceChildren(h("div", { class: "cx-bar" }, l.rule, mode,
      slider(l.valueT, "v", ax.value_max || 1), slider(l.potentialT, "p", ax.potential_max || 1),
      h("button", { class: "cx-primary", "data-testid": "save", onclick: () => model.send({ action: "save" }) }, l.save)));
  };

  const drawTable = () => {
    const l = L();
    const summary = model.get("summary") || [];
    const dot = (c) => h("span", { style: `display:inline-block;width:10px;height:10px;border-radius:5px;background:${c};margin-right:6px` });
    const rows = summary.map((r) => h("tr", { "data-segment": r.segment },
      h("td", {}, dot(r.colour), r.label),
      h("td", { class: "cx-num" }, r.customers), h("td", { class: "cx-num" }, pct(r.share_customers)),
      h("td", { class: "cx-num" }, pct(r.share_of_value)), h("td", { class: "cx-num" }, pct(r.share_of_future)),
      h("td", { class: "cx-num" }, r.nps === null ? "–" : Math.round(r.nps))));
    table.replaceChildren(h("table", { class: "cx-table", "data-testid": "summary" },
      h("thead", {}, h("tr", {}, [l.segment, l.customers, l.shareC, l.shareV, l.shareF, l.nps].map((x, i) =>
        h("th", { class: i > 0 ? "cx-num" : "" }, x)))),
      h("tbody", {}, rows)));
    services.replaceChildren(h("table", { class: "cx-table" },
      h("thead", {}, h("tr", {}, h("th", {}, l.segment), h("th", {}, l.service))),
      h("tbody", {}, summary.map((r) => h("tr", {}, h("td", { style: "white-space:nowrap" }, dot(r.colour), r.label),
        h("td", { class: "cx-muted" }, r.service_level))))));
  };

  const all = () => { drawControls(); drawPlot(); drawTable(); };
  model.on("change:points", drawPlot);
  model.on("change:effective", drawPlot);
  model.on("change:summary", drawTable);
  for (const n of ["mode", "value_share", "potential_share", "value_threshold", "potential_threshold", "axes", "lang"]) {
    model.on("change:" + n, all);
  }
  all();
  return () => root.remove();
}

export default { render };
