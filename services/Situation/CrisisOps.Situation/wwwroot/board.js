// The situation board: reads the picture over /board/api with the bearer token, redraws on each server-sent change.
(() => {
  "use strict";
  const lang = (navigator.language || "en").slice(0, 2);
  const labels = window.CRISISOPS_LABELS[lang] || window.CRISISOPS_LABELS.en;
  const t = (key) => labels[key] ?? window.CRISISOPS_LABELS.en[key] ?? key;
  const $ = (sel) => document.querySelector(sel);
  const esc = (v) => String(v ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const when = (iso) => iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 16) + " UTC" : "";
  const TOKEN = "crisisops.board.token";

  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });

  const token = () => sessionStorage.getItem(TOKEN);
  async function api(path) {
    const response = await fetch(`/board/api${path}`, { headers: { authorization: `Bearer ${token()}` } });
    if (response.status === 401) { signOut(); throw new Error("unauthenticated"); }
    if (response.status === 404) return null;
    if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || response.statusText);
    return response.json();
  }

  function signOut() {
    sessionStorage.removeItem(TOKEN);
    $("#login").hidden = false;
    $("#view").innerHTML = "";
    $("#who").textContent = "";
  }

  $("#login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN, $("#token").value.trim());
    try {
      await start();
    } catch (err) {
      $("#login-error").textContent = err.message;
    }
  });

  // Countdown to each legal end, every second, from the moment the server gave.
  function countdown(iso) {
    const ms = new Date(iso) - Date.now();
    if (ms <= 0) return "0 " + t("days") + " 00:00:00";
    const s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return `${d} ${t("days")} ${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  }
  setInterval(() => document.querySelectorAll("[data-ends-at]").forEach((el) => { el.textContent = countdown(el.dataset.endsAt); }), 1000);

  function table(caption, headers, rows, empty) {
    if (!rows.length) return `<p class="empty">${esc(empty)}</p>`;
    return `<table><caption>${esc(caption)}</caption><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead>` +
      `<tbody>${rows.join("")}</tbody></table>`;
  }

  const figure = (f) => `<li class="figure"><span class="value">${esc(f.value)}</span> ${esc(t("figure." + f.name))}` +
    ` <span class="meta">${esc(when(f.asOf))} · ${esc(f.source)}${f.reportedBy ? " · " + esc(f.reportedBy) : ""}</span>` +
    ` <span class="fresh ${esc(f.freshness)}">${esc(t("freshness." + f.freshness))}</span></li>`;

  const alertRow = (a) => `<tr class="sev-${esc(a.severity)}"><td>${esc(a.severity)}</td><td>${esc(a.country)}</td><td>${esc(a.message)}</td>` +
    `<td>${esc(when(a.since))}</td><td>${esc(a.source)}</td></tr>`;

  async function overview() {
    const o = await api("/overview");
    const rows = o.countries.map((c) => `<tr data-country="${esc(c.country)}"><th scope="row">${esc(c.country)}</th><td><ul>` +
      c.crises.map((k) => `<li><a href="#/crisis/${encodeURIComponent(k.id)}" data-crisis-id="${esc(k.id)}">${esc(k.perpetrator)} → ${esc(k.country)}` +
        ` (${esc(k.scenario)})</a> <span class="state">${esc(k.state)}, ${esc(k.stage)}</span></li>`).join("") + `</ul></td>` +
      `<td><ul class="figures">${c.figures.map(figure).join("")}</ul></td><td>${esc(c.clocksInForce)}</td></tr>`);
    return `<h2>${esc(t("overview.title"))}</h2>` + (o.caughtUp ? "" : `<p class="notice" role="status">${esc(t("live.rebuilding"))}</p>`) +
      table(t("overview.title"), [t("country"), t("crises"), t("figures"), t("clocks")], rows, t("overview.none")) +
      `<h2>${esc(t("alerts.title"))}</h2>` + table(t("alerts.title"), [t("severity"), t("country"), t("message"), t("since"), t("source")],
        o.alerts.map(alertRow), t("alerts.none"));
  }

  async function alerts() {
    const o = await api("/overview");
    return `<h2>${esc(t("alerts.title"))}</h2>` +
      table(t("alerts.title"), [t("severity"), t("country"), t("message"), t("since"), t("source")], o.alerts.map(alertRow), t("alerts.none"));
  }

  // A bar from the first day to the total cap (or the legal end), the legal end marked, now as a line.
  function bar(c) {
    const day = 86400000;
    const start = Date.parse(c.startDate);
    const end = c.endsAt ? Date.parse(c.endsAt) : null;
    const cap = c.totalCapEnd ? Date.parse(c.totalCapEnd) + day : end;
    if (!start || !cap) return `<span class="meta">${esc(t("clock.untilRepealed"))}</span>`;
    const span = Math.max(cap - start, day);
    const pct = (x) => Math.max(0, Math.min(100, ((x - start) / span) * 100)).toFixed(1);
    return `<div class="bar" role="img" aria-label="${esc(`${c.startDate} → ${c.endDate || ""} (cap ${c.totalCapEnd || "–"})`)}">` +
      `<div class="used" style="width:${end ? pct(end) : 100}%"></div><div class="now" style="left:${pct(Date.now())}%"></div></div>`;
  }

  function trend(r) {
    const points = r.trend;
    if (!points.length) return "";
    const max = Math.max(1, ...points.map((p) => Math.max(p.capacity, p.occupied)));
    const x = (i) => (points.length === 1 ? 100 : (i / (points.length - 1)) * 200).toFixed(1);
    const y = (v) => (60 - (v / max) * 56).toFixed(1);
    const line = (key) => points.map((p, i) => `${x(i)},${y(p[key])}`).join(" ");
    const last = points[points.length - 1];
    return `<svg viewBox="0 0 200 60" class="trend" role="img" aria-label="${esc(`${r.region}: ${last.occupied} ${t("occupied")} / ${last.capacity} ${t("places")}`)}">` +
      `<polyline class="cap" points="${line("capacity")}"/><polyline class="occ" points="${line("occupied")}"/></svg>`;
  }

  async function crisis(id) {
    const v = await api(`/crises/${encodeURIComponent(id)}`);
    if (!v) return `<p class="empty" data-testid="not-found">${esc(t("notfound"))}</p>`;
    const k = v.crisis;
    const clocks = v.clocks.map((c) => `<tr data-clock-id="${esc(c.id)}" class="status-${esc(c.status)}"><th scope="row">${esc(c.kind)}: ${esc(c.title)}</th>` +
      `<td>${esc(c.legalBasis)}</td><td>${esc(c.status)}</td><td>${esc(c.startDate || "")} → ${esc(c.endDate || t("clock.untilRepealed"))}${bar(c)}</td>` +
      `<td>${c.endsAt && c.status === "InForce" ? `<span class="countdown" data-ends-at="${esc(c.endsAt)}">${esc(countdown(c.endsAt))}</span>` : esc(c.daysToEnd ?? "–")}</td>` +
      `<td>${esc(c.totalCapEnd || "–")}${c.daysToCap != null ? ` (${esc(c.daysToCap)} ${esc(t("days"))})` : ""}</td>` +
      `<td>${esc(c.extensionsUsed)} / ${esc(c.extensionsAllowed ?? "–")}</td></tr>`);
    const regions = v.regions.map((r) => `<tr><th scope="row">${esc(r.region)}</th><td>${trend(r)}</td>` +
      `<td>${esc(r.trend.length ? r.trend[r.trend.length - 1].occupied : 0)} / ${esc(r.trend.length ? r.trend[r.trend.length - 1].capacity : 0)} (${esc(Math.round(r.rate * 100))}%)</td>` +
      `<td class="strain-${esc(r.strain)}">${esc(r.strain)}</td><td class="meta">${esc(when(r.asOf.at))} · ${esc(r.asOf.reportedBy)}</td></tr>`);
    // Per category in words after the count, in reception's order: "5 (general 3, families 2)". The API may write the
    // category keys in camel case; the labels name them as reception does (General, Families...).
    const counts = (byCategory) => {
      const total = Object.values(byCategory).reduce((a, b) => a + b, 0);
      const named = Object.fromEntries(Object.entries(byCategory).map(([c, n]) => [c.charAt(0).toUpperCase() + c.slice(1), n]));
      const parts = ["General", "Families", "UnaccompaniedMinors", "SpecialNeeds"].filter((c) => named[c] > 0)
        .map((c) => `${t("category." + c)} ${named[c]}`);
      return `${total}${parts.length ? ` <span class="meta">(${esc(parts.join(", "))})</span>` : ""}`;
    };
    const notPlaced = v.notPlaced.map((n) => `<tr data-not-placed="${esc(n.facilityId)}"><th scope="row">${esc(n.region)}</th><td>${esc(n.facility)}</td>` +
      `<td>${counts(n.refused)}</td><td>${counts(n.redirected)}</td><td>${counts(n.waiting)}</td><td class="total">${esc(n.total)}</td>` +
      `<td class="meta">${esc(when(n.asOf.at))} · ${esc(n.asOf.source)} · ${esc(n.asOf.reportedBy)} <span class="fresh ${esc(n.freshness)}">${esc(t("freshness." + n.freshness))}</span></td></tr>`);
    const notPlacedFigure = v.figures.filter((f) => f.name === "reception.not-placed");
    const requests = v.requests.map((r) => `<tr class="req-${esc(r.status)}"><td>${esc(r.quantity)} × ${esc(r.item)} (${esc(r.sector)})</td><td>${esc(r.location)}</td>` +
      `<td>${esc(r.status)}</td><td>${esc(when(r.deadline))}</td><td>${esc(r.remaining)}</td>` +
      `<td>${Object.values(r.pledges).map((p) => `${esc(p.partner)}: ${esc(p.pledged)} / ${esc(p.delivered)}${p.withdrawn ? " (withdrawn)" : ""}`).join("; ")}</td></tr>`);
    const leverages = v.leverages.map((l) => `<tr><th scope="row">${esc(l.type)}</th><td>${esc(l.target)}</td><td>${esc(l.status)}</td>` +
      `<td>${Object.entries(l.allies).map(([a, p]) => `${esc(a)}: ${esc(p)}`).join(", ")}</td></tr>`);
    const sections = v.sections.map((s) => `<tr><th scope="row">${esc(s.section)}</th><td>${esc(s.level)}</td>` +
      `<td>${Object.entries(s.indicators).map(([n, x]) => `${esc(n)}: ${esc(x)}`).join("; ")}</td></tr>`);
    const timeline = v.timeline.map((e) => `<tr><td>${esc(when(e.at))}</td><td>${esc(e.summary)}</td>` +
      `<td>${esc(e.actor)}${e.ministry ? ", " + esc(e.ministry) : ""} <span class="meta">(${esc(e.source)})</span></td><td>${esc(e.legalBasis || "")}</td></tr>`);
    return `<h2 data-crisis="${esc(k.id)}">${esc(t("crisis.title"))}: ${esc(k.perpetrator)} → ${esc(k.country)}</h2>` +
      `<dl class="facts"><dt>${esc(t("crisis.state"))}</dt><dd>${esc(k.state)}</dd><dt>${esc(t("crisis.stage"))}</dt><dd>${esc(k.stage)}</dd>` +
      `<dt>${esc(t("crisis.qualifies"))}</dt><dd>${esc(k.qualifies ? t("yes") : t("no"))}</dd><dt>${esc(t("crisis.sections"))}</dt><dd>${esc(k.borderSections.join(", "))}</dd></dl>` +
      `<section aria-labelledby="h-clocks"><h3 id="h-clocks">${esc(t("clocks.title"))}</h3>` +
      table(t("clocks.title"), ["", t("clock.basis"), t("clock.status"), t("clock.period"), t("clock.ends"), t("clock.cap"), t("clock.extensions")], clocks, t("clocks.none")) + `</section>` +
      `<section aria-labelledby="h-cap"><h3 id="h-cap">${esc(t("capacity.title"))}</h3>` +
      table(t("capacity.title"), [t("region"), "", `${t("occupied")} / ${t("places")}`, "", t("source")], regions, t("capacity.none")) + `</section>` +
      `<section aria-labelledby="h-notplaced" data-testid="not-placed"><h3 id="h-notplaced">${esc(t("notplaced.title"))}</h3>` +
      (notPlacedFigure.length ? `<ul class="figures">${notPlacedFigure.map(figure).join("")}</ul>` : "") +
      table(t("notplaced.title"), [t("region"), t("notplaced.facility"), t("notplaced.refused"), t("notplaced.redirected"), t("notplaced.waiting"),
        t("notplaced.total"), t("source")], notPlaced, t("notplaced.none")) + `</section>` +
      `<section aria-labelledby="h-req"><h3 id="h-req">${esc(t("requests.title"))}</h3>` +
      table(t("requests.title"), [t("request.what"), t("request.where"), t("request.status"), t("request.deadline"), t("request.remaining"), t("request.who")], requests, t("requests.none")) + `</section>` +
      `<section aria-labelledby="h-lev"><h3 id="h-lev">${esc(t("leverages.title"))}</h3>` +
      table(t("leverages.title"), ["", "", t("clock.status"), ""], leverages, t("leverages.none")) + `</section>` +
      `<section aria-labelledby="h-sec"><h3 id="h-sec">${esc(t("sections.title"))}</h3>` + table(t("sections.title"), ["", "", ""], sections, "–") + `</section>` +
      `<section aria-labelledby="h-alerts"><h3 id="h-alerts">${esc(t("alerts.title"))}</h3>` +
      table(t("alerts.title"), [t("severity"), t("country"), t("message"), t("since"), t("source")], v.alerts.map(alertRow), t("alerts.none")) + `</section>` +
      `<section aria-labelledby="h-time"><h3 id="h-time">${esc(t("timeline.title"))}</h3>` +
      table(t("timeline.title"), [t("timeline.when"), t("timeline.what"), t("timeline.who"), t("timeline.basis")], timeline, "–") + `</section>`;
  }

  // The form that issues a situational report on a scope (eu or crisis/{id}), and the reports issued before.
  async function reportForm(scope) {
    const today = new Date().toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 7 * 86400000).toISOString().slice(0, 10);
    const earlier = (await api(`/reports?scope=${encodeURIComponent(scope)}`)) || [];
    return `<section aria-labelledby="h-report"><h3 id="h-report">${esc(t("report.title"))}</h3>` +
      `<form class="report-form" data-scope="${esc(scope)}"><label>${esc(t("report.from"))} <input type="date" name="from" value="${weekAgo}" required></label> ` +
      `<label>${esc(t("report.to"))} <input type="date" name="to" value="${today}" required></label> ` +
      `<button type="submit">${esc(t("report.issue"))}</button> <span class="error" role="alert"></span></form>` +
      (earlier.length ? `<h4>${esc(t("report.previous"))}</h4><ul>` + earlier.map((r) =>
        `<li><a href="#/report/${encodeURIComponent(r.id)}">${esc(when(r.issuedAt))}</a> ${esc(r.issuedBy)} <span class="meta">${esc(t("report.hash"))} ${esc(r.contentHash.slice(0, 16))}…</span></li>`).join("") + `</ul>`
        : `<p class="empty">${esc(t("report.none"))}</p>`) + `</section>`;
  }

  document.addEventListener("submit", async (e) => {
    const form = e.target.closest(".report-form");
    if (!form) return;
    e.preventDefault();
    const body = { scope: form.dataset.scope, from: form.from.value, to: form.to.value, requestId: crypto.randomUUID() };
    const response = await fetch("/board/api/reports", {
      method: "POST", headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) { form.querySelector(".error").textContent = answer.error || response.statusText; return; }
    location.hash = `#/report/${encodeURIComponent(answer.id)}`;
  });

  async function report(id) {
    const response = await fetch(`/board/api/reports/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${token()}` } });
    if (!response.ok) return `<p class="empty" data-testid="not-found">${esc(t("notfound"))}</p>`;
    const html = await response.text();
    return `<h2>${esc(t("report.title"))}</h2><p><button type="button" id="print-report">${esc(t("report.print"))}</button></p>` +
      `<iframe id="report" title="${esc(t("report.title"))}" srcdoc="${esc(html)}"></iframe>`;
  }

  document.addEventListener("click", (e) => {
    if (e.target.id === "print-report") document.getElementById("report").contentWindow.print();
  });

  let rendering = Promise.resolve();
  let role = "";
  function render(live) {
    rendering = rendering.then(async () => {
      const [, page, id] = (location.hash || "#/overview").split("/");
      // A report is a document, not a live view: changes do not redraw it.
      if (page === "report" && live && document.getElementById("report")) return;
      const html = page === "crisis" ? await crisis(decodeURIComponent(id)) + await reportForm(`crisis/${decodeURIComponent(id)}`)
        : page === "report" ? await report(decodeURIComponent(id))
        : page === "alerts" ? await alerts()
        : await overview() + (["Coordinator"].includes(role) ? await reportForm("eu") : "");
      $("#view").innerHTML = html;
      document.body.dataset.rendered = String(Date.now());
    }).catch((err) => { $("#view").innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`; });
    return rendering;
  }

  // Server-sent events read through fetch, so that the token travels in a header, never in a URL.
  async function follow() {
    for (;;) {
      try {
        const response = await fetch("/board/api/stream", { headers: { authorization: `Bearer ${token()}` } });
        if (!response.ok) throw new Error(response.statusText);
        $("#live").textContent = t("live.connected");
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const chunk = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (chunk.startsWith("event: change")) render(true);
          }
        }
      } catch (err) {
        if (!token()) return;
      }
      $("#live").textContent = t("live.reconnecting");
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  async function start() {
    const me = await api("/me");
    role = me.role;
    $("#login").hidden = true;
    $("#who").innerHTML = `${esc(me.name)} (${esc(me.role)}${me.country ? " " + esc(me.country) : ""}) <button type="button" id="signout">${esc(t("login.signout"))}</button>`;
    $("#signout").addEventListener("click", signOut);
    window.addEventListener("hashchange", () => { render(false); $("#main").focus(); });
    follow();
    // Also redraw every 30 s: freshness and countdown-derived alerts change with time alone.
    setInterval(() => render(true), 30000);
    await render(false);
  }

  if (token()) start().catch(() => signOut()); else signOut();
})();
