// The course site's page script (plain JavaScript, loaded in <head> of every page; copied to
// report/site.js by tools/site/build.ts). It adds, without any network access:
// - the contents menu button for narrow screens;
// - full-text search over every page (MiniSearch, loaded on first use from minisearch.js and
//   search-data.js next to the page);
// - show/hide code per cell and per page (long import cells and reference solutions start
//   folded);
// - plotly figures that follow the system's dark theme (transparent backgrounds, light text).
(function () {
  "use strict";
  const doc = document;
  const dark = globalThis.matchMedia ? globalThis.matchMedia("(prefers-color-scheme: dark)") : null;

  // ---- plotly: dark theme -------------------------------------------------------------------
  const DARK = {
    paper: "rgba(0,0,0,0)",
    font: "#d5dde5",
    grid: "#39424c",
    zero: "#5b6672",
  };
  function themeLayout(layout, isDark) {
    const out = {};
    out["paper_bgcolor"] = isDark ? DARK.paper : "#ffffff";
    out["plot_bgcolor"] = isDark ? DARK.paper : "#ffffff";
    out["font.color"] = isDark ? DARK.font : "#2a3f5f";
    out["legend.bgcolor"] = "rgba(0,0,0,0)";
    Object.keys(layout || {}).concat(["xaxis", "yaxis"]).forEach(function (k) {
      if (/^[xy]axis\d*$/.test(k)) {
        out[k + ".gridcolor"] = isDark ? DARK.grid : "#e5ecf6";
        out[k + ".zerolinecolor"] = isDark ? DARK.zero : "#c8d4e3";
        out[k + ".linecolor"] = isDark ? DARK.zero : "#444";
      }
    });
    return out;
  }
  // Titles go under plotly's toolbar (lib/display's figureTitle does this for figures it
  // builds; this catches figures saved by an older version of the library).
  const TOOLBAR_PX = 36;
  function titleUnderToolbar(l) {
    const t = typeof l.title === "string" ? { text: l.title } : l.title;
    if (!t || !t.text || t.yref) return;
    l.title = Object.assign({}, t, {
      y: 1,
      yref: "container",
      yanchor: "top",
      pad: { t: TOOLBAR_PX },
    });
    const m = l.margin || {};
    const hasPanelTitles = Array.isArray(l.annotations) && l.annotations.length > 0;
    l.margin = Object.assign({}, m, {
      t: Math.max(typeof m.t === "number" ? m.t : 80, TOOLBAR_PX + (hasPanelTitles ? 66 : 34)),
    });
  }
  // On a narrow screen a long title is broken into lines (plotly does not wrap titles).
  function wrapTitle(l) {
    const t = l.title;
    const width = doc.documentElement.clientWidth;
    if (!t || !t.text || width >= 700 || t.text.indexOf("<br>") >= 0) return;
    const perLine = Math.max(24, Math.floor((width - 40) / 8.5));
    const lines = [];
    let line = "";
    t.text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > perLine) {
        lines.push(line);
        line = word;
      } else line = line ? line + " " + word : word;
    });
    lines.push(line);
    if (lines.length < 2) return;
    t.text = lines.join("<br>");
    t.font = Object.assign({}, t.font, { size: 14 });
    t.pad = Object.assign({}, t.pad, { t: TOOLBAR_PX + 8 });
    const m = l.margin || {};
    l.margin = Object.assign({}, m, { t: (m.t || 80) + 8 + 17 * (lines.length - 1) });
  }
  function merged(layout) {
    const l = JSON.parse(JSON.stringify(layout || {}));
    titleUnderToolbar(l);
    wrapTitle(l);
    if (!(dark && dark.matches)) return l;
    const t = themeLayout(l, true);
    Object.keys(t).forEach(function (path) {
      const parts = path.split(".");
      let o = l;
      for (let i = 0; i < parts.length - 1; i++) {
        if (typeof o[parts[i]] !== "object" || o[parts[i]] === null) o[parts[i]] = {};
        o = o[parts[i]];
      }
      o[parts[parts.length - 1]] = t[path];
    });
    return l;
  }
  let plotly;
  function wrap(P) {
    if (!P || P.__courseThemed) return P;
    ["newPlot", "react"].forEach(function (name) {
      const f = P[name];
      if (typeof f !== "function") return;
      P[name] = function (gd, data, layout, config) {
        if (data && typeof data === "object" && !Array.isArray(data) && data.data) {
          return f.call(P, gd, {
            data: data.data,
            layout: merged(data.layout),
            config: data.config,
          });
        }
        return f.call(P, gd, data, merged(layout), config);
      };
    });
    P.__courseThemed = true;
    return P;
  }
  try {
    Object.defineProperty(globalThis, "Plotly", {
      configurable: true,
      get: function () {
        return plotly;
      },
      set: function (v) {
        plotly = wrap(v);
      },
    });
  } catch (_e) { /* a browser that refuses: figures stay light */ }
  if (dark && dark.addEventListener) {
    dark.addEventListener("change", function () {
      if (!plotly) return;
      doc.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
        plotly.relayout(gd, themeLayout(gd.layout, dark.matches));
      });
    });
  }

  // ---- code folding -------------------------------------------------------------------------
  /** Lines of a cell's source. */
  function sourceLines(cell) {
    const pre = cell.querySelector(".jp-InputArea pre");
    return pre ? pre.textContent.replace(/\n+$/, "").split("\n") : [];
  }
  /** Long import cells and reference solutions start folded. */
  function foldedByDefault(cell) {
    if (cell.classList.contains("celltag_solution")) return true;
    const lines = sourceLines(cell);
    return lines.length >= 8 && /^\s*import\b/.test(lines[0]);
  }
  function setFolded(cell, folded) {
    cell.classList.toggle("code-folded", folded);
    const b = cell.querySelector(":scope > .code-toggle");
    if (!b) return;
    const what = cell.classList.contains("celltag_solution") ? "solution" : "code";
    const n = sourceLines(cell).length;
    b.textContent = (folded ? "▸ Show " : "▾ Hide ") + what +
      (folded ? " (" + n + " line" + (n === 1 ? "" : "s") + ")" : "");
    b.setAttribute("aria-expanded", folded ? "false" : "true");
  }
  function setupFolding() {
    const cells = doc.querySelectorAll(".course-main .jp-CodeCell");
    if (cells.length === 0) return;
    cells.forEach(function (cell) {
      const input = cell.querySelector(":scope > .jp-Cell-inputWrapper");
      if (!input) return;
      const b = doc.createElement("button");
      b.type = "button";
      b.className = "code-toggle";
      b.addEventListener("click", function () {
        setFolded(cell, !cell.classList.contains("code-folded"));
      });
      cell.insertBefore(b, input);
      setFolded(cell, foldedByDefault(cell));
    });
    const all = doc.getElementById("toggle-all-code");
    if (all) {
      all.hidden = false;
      all.addEventListener("click", function () {
        const hide = all.getAttribute("data-state") !== "hidden";
        cells.forEach(function (c) {
          setFolded(c, hide);
        });
        all.setAttribute("data-state", hide ? "hidden" : "shown");
        all.textContent = hide ? "Show all code" : "Hide all code";
      });
    }
  }

  // ---- contents menu (narrow screens) --------------------------------------------------------
  function setupMenu() {
    const b = doc.querySelector(".toc-toggle");
    if (!b) return;
    b.addEventListener("click", function () {
      const open = !doc.body.classList.contains("toc-open");
      doc.body.classList.toggle("toc-open", open);
      b.setAttribute("aria-expanded", open ? "true" : "false");
    });
    doc.querySelectorAll(".course-toc a").forEach(function (a) {
      a.addEventListener("click", function () {
        doc.body.classList.remove("toc-open");
        b.setAttribute("aria-expanded", "false");
      });
    });
  }

  // ---- search -------------------------------------------------------------------------------
  let index = null;
  let loading = null;
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const s = doc.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () {
        reject(new Error("could not load " + src));
      };
      doc.head.appendChild(s);
    });
  }
  function searchIndex() {
    if (index) return Promise.resolve(index);
    if (!loading) {
      loading = loadScript("minisearch.js").then(function () {
        return loadScript("search-data.js");
      }).then(function () {
        const ms = new globalThis.MiniSearch({
          fields: ["title", "section", "text", "math"],
          storeFields: ["page", "title", "section", "anchor", "text"],
          searchOptions: { boost: { section: 2, title: 1.5 }, prefix: true, fuzzy: 0.15 },
        });
        ms.addAll(globalThis.SEARCH_DOCUMENTS || []);
        index = ms;
        return ms;
      });
    }
    return loading;
  }
  function escapeHtml(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  function snippet(text, terms) {
    const lower = text.toLowerCase();
    let at = -1;
    for (let i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i].toLowerCase());
    const start = Math.max(0, at - 60);
    const s = (start > 0 ? "…" : "") + text.slice(start, start + 180) +
      (start + 180 < text.length ? "…" : "");
    let out = escapeHtml(s);
    terms.forEach(function (t) {
      if (t.length < 2) return;
      const re = new RegExp("(" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "ig");
      out = out.replace(re, "<mark>$1</mark>");
    });
    return out;
  }
  function setupSearch() {
    const input = doc.getElementById("site-search");
    const list = doc.getElementById("search-results");
    if (!input || !list) return;
    const run = function () {
      const q = input.value.trim();
      if (q.length < 2) {
        list.hidden = true;
        list.innerHTML = "";
        return;
      }
      searchIndex().then(function (ms) {
        if (input.value.trim() !== q) return;
        const hits = ms.search(q).slice(0, 12);
        list.innerHTML = hits.length === 0
          ? '<li class="search-none">No page mentions “' + escapeHtml(q) + "”.</li>"
          : hits.map(function (h) {
            const href = h.page + (h.anchor ? "#" + h.anchor : "");
            return '<li><a class="search-hit" href="' + escapeHtml(href) +
              '"><span class="hit-page">' +
              escapeHtml(h.title) + "</span>" +
              (h.section !== h.title
                ? ' <span class="hit-section">› ' + escapeHtml(h.section) + "</span>"
                : "") +
              '<span class="hit-text">' + snippet(h.text, h.terms) + "</span></a></li>";
          }).join("");
        list.hidden = false;
      }).catch(function (e) {
        list.innerHTML = '<li class="search-none">Search unavailable: ' + escapeHtml(e.message) +
          "</li>";
        list.hidden = false;
      });
    };
    input.addEventListener("input", run);
    input.addEventListener("focus", function () {
      searchIndex();
      if (input.value.trim().length >= 2) run();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") {
        list.hidden = true;
        input.blur();
      } else if (e.key === "Enter") {
        const first = list.querySelector("a.search-hit");
        if (first) globalThis.location.href = first.getAttribute("href");
      }
    });
    doc.addEventListener("click", function (e) {
      if (!e.target.closest || !e.target.closest(".course-search")) list.hidden = true;
    });
  }

  function ready() {
    setupMenu();
    setupFolding();
    setupSearch();
    doc.body.classList.add("site-ready");
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
