// Fathom overview: draws /api/overview with uPlot. Every value shown is set as text (textContent),
// never as HTML, so nothing from the store can become markup.
"use strict";
(function () {
  const COLORS = ["#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00",
                  "#b82e2e", "#316395", "#994499", "#22aa99", "#aaaa11", "#6633cc", "#e67300"];
  const plots = {};
  let timer = null;

  function $(id) { return document.getElementById(id); }
  function text(id, v) { $(id).textContent = v === null || v === undefined ? "–" : String(v); }
  function num(v) { return v === null || v === undefined ? "–" : Number(v).toLocaleString("en"); }
  function bytes(v) {
    const u = ["B", "kB", "MB", "GB", "TB", "PB"];
    let i = 0; v = Number(v);
    while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + " " + u[i];
  }
  function compact(v) {
    if (v === null || v === undefined) return "";
    const a = Math.abs(v), u = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
    for (const [d, n] of u) if (a >= d) return (v / d).toFixed(a / d >= 100 ? 0 : 1) + n;
    return Number.isInteger(v) ? String(v) : v.toFixed(1);
  }
  function iso(sec) { return new Date(sec * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, ""); }
  function width(el) { return Math.max(320, Math.min(560, el.parentElement.parentElement.clientWidth / 2 - 30)); }

  // one uPlot per element; the element says how many non-zero points it plots (data-points)
  function draw(id, xs, series, opts) {
    const el = $(id);
    const names = Object.keys(series);
    let data = [xs];
    let ys = names.map(n => series[n]);
    if (opts.stacked) {
      const acc = xs.map(() => 0);
      ys = ys.map(s => s.map((v, i) => (acc[i] += (v || 0))));
    }
    let points = 0;
    for (const s of names.map(n => series[n])) for (const v of s) if (v) points++;
    el.dataset.points = String(points);
    el.dataset.series = String(names.length);
    const cfg = {
      width: width(el), height: 220,
      scales: { x: { time: opts.time !== false } },
      tzDate: ts => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
      axes: [opts.time === false ? { values: (u, vals) => vals.map(v => opts.labels[v] || "") } : {},
             { size: 56, values: (u, vals) => vals.map(compact) }],
      series: [{ label: opts.time === false ? "bucket" : "time" }],
    };
    // stacked: draw the top layer first, so each lower layer paints over it
    const order = names.map((n, i) => i);
    if (opts.stacked) order.reverse();
    for (const i of order) {
      const c = COLORS[i % COLORS.length];
      cfg.series.push({ label: names[i], stroke: c, fill: opts.fill || opts.stacked ? c + "99" : undefined,
        paths: opts.bars ? uPlot.paths.bars({ size: [0.6, 60] }) : undefined, points: { show: false } });
      data.push(ys[i]);
    }
    if (names.length === 0) { cfg.series.push({ label: "none" }); data.push(xs.map(() => null)); }
    if (plots[id]) plots[id].destroy();
    el.textContent = "";
    plots[id] = new uPlot(cfg, data, el);
  }

  function histogram(id, h) {
    const xs = h.labels.map((l, i) => i);
    draw(id, xs, { calls: h.counts }, { time: false, labels: h.labels, bars: true, fill: true });
  }

  function row(tbody, cells) {
    const tr = document.createElement("tr");
    for (const c of cells) {
      const td = document.createElement("td");
      if (typeof c === "object" && c !== null) { td.textContent = c.t; if (c.cls) td.className = c.cls; }
      else td.textContent = c === null || c === undefined ? "" : String(c);
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }

  function render(d) {
    $("window").textContent = iso(d.from) + " – " + iso(d.to) + " UTC, step " + (d.step / 60) + " min";
    $("window").dataset.from = String(d.from);
    $("window").dataset.to = String(d.to);
    $("state").textContent = d.live ? "live, refreshes every 10 s" : "stored data";
    const t = d.traffic;
    text("traffic-bytes", bytes(t.bytes));
    text("traffic-flows", num(t.flows));
    text("traffic-unknown", t.bytes > 0 ? (100 * t.unknown_bytes / t.bytes).toFixed(1) + " %" : "–");
    text("traffic-suppressed", num(t.suppressed_applications));
    text("traffic-k", t.k);
    draw("plot-categories", d.times, t.categories, { stacked: true });
    draw("plot-applications", d.times, t.applications, { stacked: true });
    draw("plot-unknown", d.times, { "unknown %": t.unknown_share }, { bars: true, fill: true });

    const c = d.calls, ct = c.totals;
    text("calls-attempts", num(ct.attempts));
    text("calls-answered", num(ct.answered));
    text("calls-asr", ct.asr === null ? "–" : ct.asr + " %");
    text("calls-ner", ct.ner === null ? "–" : ct.ner + " %");
    text("calls-blocked", num(ct.blocked));
    text("calls-dropped", num(ct.dropped));
    text("calls-emergency", num(ct.emergency));
    draw("plot-calls", d.times, c.series, { bars: false });
    histogram("plot-pdd", c.pdd_ms);
    histogram("plot-mos", c.mos);
    const em = $("emergency").tBodies[0];
    em.textContent = "";
    for (const k of Object.keys(c.emergency_outcomes)) row(em, [k, { t: num(c.emergency_outcomes[k]), cls: "n" }]);
    if (!Object.keys(c.emergency_outcomes).length) row(em, ["none", ""]);

    const i = d.issues;
    text("issues-refused", num(i.tcp_refused_total));
    text("issues-reset", num(i.tcp_reset_total));
    text("issues-unanswered", num(i.tcp_unanswered_total));
    text("issues-risky", num(i.risky_flows_total));
    draw("plot-issues", d.times, i.series, {});

    const a = d.alerts;
    text("alerts-total", num(a.total));
    draw("plot-alerts", d.times, a.kinds, { bars: true, fill: true });
    const at = $("attacks").tBodies[0];
    at.textContent = "";
    for (const x of a.attacks) {
      row(at, [{ t: x.active ? "active" : "ended", cls: x.active ? "bad" : "" }, x.kind, x.target, x.port || "", x.protocol,
        iso(x.start), iso(x.end), { t: num(x.peak_pps), cls: "n" }, { t: num(x.peak_bps), cls: "n" },
        { t: num(x.packets), cls: "n" }, { t: bytes(x.bytes), cls: "n" }, { t: num(x.sources), cls: "n" }]);
    }
    if (!a.attacks.length) row(at, ["none"]);

    const pol = $("policy").tBodies[0];
    pol.textContent = "";
    for (const v of d.policy || []) {
      row(pol, [v.rule, { t: v.action, cls: v.action === "block" ? "bad" : "" }, { t: num(v.flows), cls: "n" },
        { t: num(v.packets), cls: "n" }, { t: bytes(v.bytes), cls: "n" }]);
    }
    if (!(d.policy || []).length) row(pol, ["no policy in this range"]);

    const p = d.privacy, pt = $("privacy").tBodies[0];
    pt.textContent = "";
    row(pt, ["mode", p.mode || "–"]);
    row(pt, ["subscriber networks", p.subscriber_networks || "–"]);
    row(pt, ["k (suppression)", p.k]);
    row(pt, ["key epoch", p.key_epoch || "–"]);
    row(pt, ["key rotation", p.key_rotation || "–"]);
    row(pt, ["audit log", p.audit_log || "–"]);
    row(pt, ["audit-log head", p.audit_head || "–"]);
    row(pt, ["audit entries", p.audit_entries === undefined ? "–" : num(p.audit_entries)]);
    row(pt, ["audit log verifies", { t: p.audit_verified ? "yes" : "NO" + (p.audit_problem ? ": " + p.audit_problem : ""),
      cls: p.audit_verified ? "ok" : "bad" }]);
    row(pt, ["runs in the store", num(p.runs)]);
    const st = d.status;
    $("capture").hidden = !st;
    if (st) {
      text("capture-packets", num(st.packets));
      text("capture-bytes", bytes(st.bytes));
      text("capture-kernel", num(st.capture_dropped_kernel));
      text("capture-interface", num(st.capture_dropped_interface));
      text("capture-outputs", num(st.output_dropped_records));
      text("capture-active", num(st.flows_active));
      text("capture-evicted", num(st.flows_evicted));
      for (const [id, v] of [["capture-kernel", st.capture_dropped_kernel], ["capture-interface", st.capture_dropped_interface],
                             ["capture-outputs", st.output_dropped_records], ["capture-evicted", st.flows_evicted]]) {
        $(id).classList.toggle("bad", Number(v) > 0);
      }
    }
    document.body.dataset.loaded = String(Date.now());
    return d.live;
  }

  function load() {
    const range = $("range").value;
    fetch("/api/overview?range=" + encodeURIComponent(range), { credentials: "same-origin" })
      .then(r => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(d => {
        const live = render(d);
        clearTimeout(timer);
        if (live) timer = setTimeout(load, 10000);
      })
      .catch(e => { $("state").textContent = "cannot load: " + e.message; clearTimeout(timer); timer = setTimeout(load, 10000); });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const saved = new URLSearchParams(location.search).get("range");
    if (saved && [...$("range").options].some(o => o.value === saved)) $("range").value = saved;
    $("range").addEventListener("change", load);
    load();
  });
})();
