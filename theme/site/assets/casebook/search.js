/* The site's own search (casebook.outputs.site.search builds its index): exact substring matching on
   folded text over bigram shards loaded as script files (works from file:// without fetch), ranked
   title/unit exact > title > unit > summary > body > other facts, one result per case, facets.
   No dependency; everything a reader sees is Chinese. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.casebookSearch) return;
  var ROOT = new URL("../../", script.src).href; // assets/casebook/search.js → the site's root
  var PAGE = 10;
  var DELAY = 120;
  var TIER_NAMES = ["标题", "单位", "标题", "单位", "摘要", "正文", "其他信息"];
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  var VALUE = new Int8Array(128);
  for (var i = 0; i < DIGITS.length; i++) VALUE[DIGITS.charCodeAt(i)] = i;

  // ---- loading script files -------------------------------------------------------------------
  var store = {};
  var pending = {};
  window.casebookSearch = {
    add: function (name, data) {
      store[name] = data;
    },
  };

  function loadFile(name, path) {
    if (Object.prototype.hasOwnProperty.call(store, name)) return Promise.resolve(store[name]);
    if (pending[name]) return pending[name];
    pending[name] = new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = ROOT + "search/" + path + ".js";
      tag.async = true;
      tag.onload = function () {
        tag.remove();
        delete pending[name];
        if (Object.prototype.hasOwnProperty.call(store, name)) resolve(store[name]);
        else reject(new Error(name));
      };
      tag.onerror = function () {
        tag.remove();
        delete pending[name];
        reject(new Error(name));
      };
      document.head.appendChild(tag);
    });
    return pending[name];
  }

  var metaPromise = null;
  function meta() {
    if (!metaPromise) {
      metaPromise = loadFile("meta", "meta").then(function (m) {
        if (typeof m.docs === "string") m.docs = caseTable(m.docs, m.n);
        return m;
      }).catch(function (error) {
        metaPromise = null;
        throw error;
      });
    }
    return metaPromise;
  }

  // a file's name carries its tag (meta.f: per kind, TAG base-64 digits per file; "~…" none)
  var TAG = 6;
  function part(m, name) {
    var slash = name.indexOf("/");
    var at = Number(name.slice(slash + 1)) * TAG;
    var tag = m.f[name.slice(0, slash)].slice(at, at + TAG);
    if (tag.charAt(0) === "~") return Promise.resolve({});
    return loadFile(name, name + "." + tag);
  }

  // ---- folding: the same as casebook/outputs/site/search/fold.py ------------------------------
  var ENDS = "。！？；!?;\n\r\u2028\u2029";
  var DROP = /[\p{P}\p{S}\p{Z}\p{C}]/u;
  var foldCache = new Map();
  function foldChar(c) {
    var hit = foldCache.get(c);
    if (hit !== undefined) return hit;
    var out = "";
    if (ENDS.indexOf(c) >= 0) out = "\n";
    else {
      for (var x of c.normalize("NFKC").toLowerCase()) if (!DROP.test(x)) out += x;
    }
    foldCache.set(c, out);
    return out;
  }
  /* folded code points, and for each the index of the original code point it came from */
  function foldMap(text) {
    var chars = Array.from(text), folded = [], source = [];
    for (var i = 0; i < chars.length; i++) {
      for (var x of foldChar(chars[i])) {
        folded.push(x);
        source.push(i);
      }
    }
    return { chars: chars, folded: folded, source: source };
  }
  function queryParts(query) {
    var seen = {}, parts = [];
    query.split(/\s+/).forEach(function (word) {
      foldMap(word).folded.join("").split("\n").forEach(function (p) {
        if (p && !seen[p]) {
          seen[p] = true;
          parts.push(Array.from(p));
        }
      });
    });
    return parts;
  }

  function shardOf(key, count) {
    var h = 0x811c9dc5;
    for (var c of key) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
    return h % count;
  }
  /* The index's bit strings (casebook/outputs/site/search/index.py): six bits a base-64 character,
     most significant first; Elias gamma (γ) and Rice (R_k) codes, fixed-width positions. */
  function Bits(text) {
    this.text = text;
    this.at = 0; // bit offset
  }
  Bits.prototype.bit = function () {
    var v = VALUE[this.text.charCodeAt((this.at / 6) | 0)];
    return (v >> (5 - (this.at++ % 6))) & 1;
  };
  Bits.prototype.read = function (count) {
    var v = 0;
    while (count-- > 0) v = v * 2 + this.bit();
    return v;
  };
  Bits.prototype.gamma = function () {
    var zeros = 0;
    while (!this.bit()) zeros++;
    var v = 1;
    while (zeros-- > 0) v = v * 2 + this.bit();
    return v;
  };
  Bits.prototype.rice = function (k) {
    var q = 0;
    while (this.bit()) q++;
    return q * Math.pow(2, k) + this.read(k);
  };
  function riceParameter(records, df) {
    var q = Math.floor(records / df), k = 0;
    while (q > 1) {
      q = Math.floor(q / 2);
      k++;
    }
    return k;
  }
  function width(length) {
    var w = 0;
    for (var n = length - 1; n > 0; n = Math.floor(n / 2)) w++;
    return Math.max(1, w);
  }
  /* meta.docs: per case [end of title, unit, summary, body, length, category, year, award, [themes]] */
  function caseTable(text, count) {
    var bits = new Bits(text), docs = [];
    for (var n = 0; n < count; n++) {
      var row = [], at = 0;
      for (var f = 0; f < 5; f++) row.push((at += bits.gamma() - 1));
      row.push(bits.gamma() - 1, bits.gamma() - 1, bits.bit());
      var themes = [];
      for (var t = bits.gamma() - 1; t > 0; t--) themes.push(bits.gamma() - 1);
      row.push(themes);
      docs.push(row);
    }
    return docs;
  }
  /* one key's postings: calls each(doc, bits) per case, which reads that case's entry */
  function postings(m, encoded, each) {
    var bits = new Bits(encoded), df = bits.gamma(), k = riceParameter(m.n, df), doc = -1;
    for (var i = 0; i < df; i++) {
      doc += bits.rice(k) + 1;
      each(doc, bits);
    }
  }
  function positions(m, encoded) {
    var hits = new Map();
    postings(m, encoded, function (doc, bits) {
      var w = width(m.docs[doc][4]), found = [];
      for (var j = bits.gamma(); j > 0; j--) found.push(bits.read(w));
      hits.set(doc, found);
    });
    return hits;
  }
  function fieldAt(ends, p) {
    for (var f = 0; f < 4; f++) if (p < ends[f]) return f;
    return 4;
  }

  /* doc → {tier, count, first} for one folded query part */
  function matchPart(m, chars) {
    if (chars.length === 1) {
      var key1 = chars[0];
      return part(m, "u/" + shardOf(key1, m.nu)).then(function (shard) {
        var result = new Map();
        if (!shard[key1]) return result;
        postings(m, shard[key1], function (doc, bits) {
          var f = bits.read(3), count = bits.gamma(), ends = m.docs[doc];
          var exact = (f === 0 && ends[0] === 1) || (f === 1 && ends[1] - ends[0] === 2);
          result.set(doc, { tier: exact ? f : f + 2, count: count, first: 0 });
        });
        return result;
      });
    }
    var offsets = [];
    for (var o = 0; o + 1 < chars.length; o += 2) offsets.push(o);
    if (offsets[offsets.length - 1] !== chars.length - 2) offsets.push(chars.length - 2);
    var keys = offsets.map(function (o) { return chars[o] + chars[o + 1]; });
    return Promise.all(keys.map(function (k) { return part(m, "b/" + shardOf(k, m.nb)); })).then(function (shards) {
      var result = new Map();
      var lists = [];
      for (var i = 0; i < keys.length; i++) {
        var encoded = shards[i][keys[i]];
        if (!encoded) return result;
        lists.push(positions(m, encoded));
      }
      var sets = lists.map(function (l) { return l; });
      lists[0].forEach(function (starts, doc) {
        var others = [];
        for (var k = 1; k < sets.length; k++) {
          var at = sets[k].get(doc);
          if (!at) return;
          others.push(new Set(at));
        }
        var ends = m.docs[doc], best = null, count = 0;
        starts.forEach(function (p) {
          for (var k = 1; k < offsets.length; k++) if (!others[k - 1].has(p + offsets[k])) return;
          count++;
          var f = fieldAt(ends, p), tier = f + 2;
          if (f === 0 && p === 0 && chars.length === ends[0]) tier = 0;
          if (f === 1 && p === ends[0] + 1 && p + chars.length === ends[1]) tier = 1;
          if (!best || tier < best.tier) best = { tier: tier, first: p };
        });
        if (best) result.set(doc, { tier: best.tier, count: count, first: best.first });
      });
      return result;
    });
  }

  function search(query) {
    var parts = queryParts(query);
    if (!parts.length) return Promise.resolve({ parts: parts, hits: [] });
    return meta().then(function (m) {
      return Promise.all(parts.map(function (p) { return matchPart(m, p); })).then(function (maps) {
        var hits = [];
        maps[0].forEach(function (first, doc) {
          var tier = first.tier, count = first.count;
          for (var k = 1; k < maps.length; k++) {
            var other = maps[k].get(doc);
            if (!other) return;
            tier += other.tier;
            count += other.count;
          }
          var info = m.docs[doc];
          hits.push({ doc: doc, tier: tier, best: first.tier, count: count, first: first.first, award: info[7],
                      cat: info[5], year: info[6], themes: info[8] });
        });
        hits.sort(function (a, b) {
          return a.tier - b.tier || b.count - a.count || a.first - b.first || b.award - a.award || a.doc - b.doc;
        });
        return { parts: parts, hits: hits, meta: m };
      });
    });
  }

  // ---- highlighting and snippets -------------------------------------------------------------
  function ranges(text, parts) {
    var map = foldMap(text), found = [];
    parts.forEach(function (p) {
      var f = map.folded;
      for (var i = 0; i + p.length <= f.length; i++) {
        var ok = true;
        for (var j = 0; j < p.length; j++) if (f[i + j] !== p[j]) { ok = false; break; }
        if (ok) found.push([map.source[i], map.source[i + p.length - 1] + 1]);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    found.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push(r.slice());
    });
    return { chars: map.chars, ranges: merged };
  }
  function marked(element, text, parts, window_) {
    var r = ranges(text, parts), chars = r.chars, from = 0, to = chars.length;
    if (window_ && chars.length > window_) {
      var start = r.ranges.length ? r.ranges[0][0] : 0;
      from = Math.max(0, Math.min(start - 24, chars.length - window_));
      to = Math.min(chars.length, from + window_);
    }
    if (from > 0) element.appendChild(document.createTextNode("…"));
    var at = from;
    r.ranges.forEach(function (range) {
      var a = Math.max(range[0], from), b = Math.min(range[1], to);
      if (a >= b) return;
      if (a > at) element.appendChild(document.createTextNode(chars.slice(at, a).join("")));
      var mark = document.createElement("mark");
      mark.textContent = chars.slice(a, b).join("");
      element.appendChild(mark);
      at = b;
    });
    if (to > at) element.appendChild(document.createTextNode(chars.slice(at, to).join("")));
    if (to < chars.length) element.appendChild(document.createTextNode("…"));
    return r.ranges.length > 0;
  }
  function contains(text, parts) {
    return ranges(text, parts).ranges.length > 0;
  }
  /* doc.p: [summary sentences, body sentences, other facts]; the first sentence with the first
     query part that has one, else the summary's first */
  function snippetText(doc, parts) {
    var sentences = [].concat(doc.p[0], doc.p[1], doc.p[2]);
    for (var k = 0; k < parts.length; k++) {
      for (var i = 0; i < sentences.length; i++) if (contains(sentences[i], [parts[k]])) return sentences[i];
    }
    return sentences.length ? sentences[0] : "";
  }

  // ---- the dialog ------------------------------------------------------------------------------
  var ui = null;
  var state = { query: "", hits: [], parts: [], meta: null, shown: 0, filters: { cat: null, year: null, theme: null }, seq: 0 };
  var timer = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function build() {
    var dialog = el("dialog", { id: "cbs-dialog", class: "cbs", "aria-labelledby": "cbs-title" });
    var head = el("div", { class: "cbs__head" });
    head.appendChild(el("h2", { id: "cbs-title", class: "cbs__title" }, "搜索案例"));
    var close = el("button", { type: "button", class: "cbs__close", "aria-label": "关闭搜索" }, "关闭");
    head.appendChild(close);
    dialog.appendChild(head);
    var form = el("form", { role: "search", class: "cbs__form" });
    form.appendChild(el("label", { for: "cbs-input", class: "cbs__label" }, "单位名称、标题中的词语或正文中的一句话"));
    var input = el("input", { id: "cbs-input", class: "cbs__input", type: "search", autocomplete: "off",
                             spellcheck: "false", enterkeyhint: "search", "aria-describedby": "cbs-hint" });
    form.appendChild(input);
    form.appendChild(el("p", { id: "cbs-hint", class: "cbs__hint" }, "多个词用空格分开，案例须同时含有每个词。按 ↓ ↑ 选择结果，回车打开，Esc 关闭。"));
    dialog.appendChild(form);
    var status = el("p", { id: "cbs-status", class: "cbs__status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    dialog.appendChild(status);
    var facets = el("div", { class: "cbs__facets", role: "group", "aria-label": "筛选结果" });
    dialog.appendChild(facets);
    var list = el("ol", { id: "cbs-results", class: "cbs__results", "aria-label": "搜索结果" });
    dialog.appendChild(list);
    var more = el("button", { type: "button", class: "cbs__more", hidden: "" }, "显示更多结果");
    dialog.appendChild(more);
    document.body.appendChild(dialog);

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      openFirst();
    });
    input.addEventListener("input", function (e) {
      if (!e.isComposing) schedule();
    });
    input.addEventListener("compositionend", schedule);
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") {
        e.preventDefault();
        focusResult(0);
      }
    });
    list.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var at = links.indexOf(document.activeElement);
      if (at < 0) return;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (at + 1 < links.length) links[at + 1].focus();
        else if (!more.hidden) more.focus();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (at > 0) links[at - 1].focus();
        else input.focus();
      }
    });
    more.addEventListener("keydown", function (e) {
      if (e.key === "ArrowUp") {
        e.preventDefault();
        focusResult(list.querySelectorAll("a").length - 1);
      }
    });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (e) {
      if (e.target === dialog) dialog.close(); // the backdrop
    });
    more.addEventListener("click", function () {
      var next = state.shown;
      showMore().then(function () { focusResult(next); });
    });
    ui = { dialog: dialog, input: input, status: status, facets: facets, list: list, more: more };
    return ui;
  }

  function focusResult(index) {
    var links = ui.list.querySelectorAll("a");
    if (links[index]) links[index].focus();
  }
  function openFirst() {
    var link = ui.list.querySelector("a");
    if (link) link.click();
  }

  function open() {
    if (!ui) build();
    if (!ui.dialog.open) ui.dialog.showModal();
    ui.input.focus();
    ui.input.select();
    meta().catch(function () {}); // start loading the index
  }

  function schedule() {
    clearTimeout(timer);
    var value = ui.input.value;
    if (value.trim()) {
      ui.status.textContent = "正在搜索…";
      ui.dialog.setAttribute("aria-busy", "true");
    }
    timer = setTimeout(function () { run(value); }, DELAY);
  }

  function run(query) {
    var seq = ++state.seq;
    if (!query.trim()) {
      state.hits = [];
      state.query = "";
      ui.status.textContent = "";
      ui.facets.textContent = "";
      ui.list.textContent = "";
      ui.more.hidden = true;
      ui.dialog.removeAttribute("aria-busy");
      return Promise.resolve();
    }
    return search(query).then(function (found) {
      if (seq !== state.seq) return;
      state.query = query.trim();
      state.parts = found.parts;
      state.hits = found.hits;
      state.meta = found.meta || state.meta;
      state.filters = { cat: null, year: null, theme: null };
      return render(seq);
    }).catch(function () {
      if (seq !== state.seq) return;
      ui.status.textContent = "搜索索引未能加载，请刷新页面后重试。";
      ui.dialog.removeAttribute("aria-busy");
    });
  }

  function filtered() {
    var f = state.filters;
    return state.hits.filter(function (h) {
      return (f.cat === null || h.cat === f.cat) && (f.year === null || h.year === f.year) &&
        (f.theme === null || h.themes.indexOf(f.theme) >= 0);
    });
  }

  function renderFacets() {
    var m = state.meta, box = ui.facets;
    box.textContent = "";
    if (!m || !state.hits.length) return;
    [["cat", m.catName || "类别", m.cats], ["year", "年度", m.years], ["theme", "主题", m.themes]].forEach(function (kind) {
      var counts = {};
      state.hits.forEach(function (h) {
        (kind[0] === "theme" ? h.themes : [h[kind[0]]]).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      var values = Object.keys(counts).map(Number).sort(function (a, b) { return a - b; });
      if (!values.length) return;
      var group = el("div", { class: "cbs__facet", role: "group", "aria-label": kind[1] });
      group.appendChild(el("span", { class: "cbs__facet-name", "aria-hidden": "true" }, kind[1]));
      values.forEach(function (v) {
        var on = state.filters[kind[0]] === v;
        var button = el("button", { type: "button", class: "cbs__chip", "aria-pressed": on ? "true" : "false" });
        button.textContent = kind[2][v] + "（" + counts[v] + "）";
        button.addEventListener("click", function () {
          state.filters[kind[0]] = on ? null : v;
          render(state.seq).then(function () {
            var again = ui.facets.querySelector('[data-key="' + kind[0] + v + '"]');
            if (again) again.focus();
          });
        });
        button.setAttribute("data-key", kind[0] + v);
        group.appendChild(button);
      });
      box.appendChild(group);
    });
  }

  function render(seq) {
    ui.list.textContent = "";
    state.shown = 0;
    renderFacets();
    var hits = filtered();
    if (!hits.length) {
      ui.status.textContent = "没有找到与“" + state.query + "”相符的案例";
      ui.more.hidden = true;
      ui.dialog.removeAttribute("aria-busy");
      return Promise.resolve();
    }
    return showMore(seq).then(function () {
      if (seq !== undefined && seq !== state.seq) return;
      var narrowed = hits.length < state.hits.length ? "（共 " + state.hits.length + " 个，已筛选）" : "";
      ui.status.textContent = "找到 " + hits.length + " 个案例" + narrowed;
      ui.dialog.removeAttribute("aria-busy");
    });
  }

  function showMore(seq) {
    var hits = filtered(), m = state.meta, parts = state.parts;
    var slice = hits.slice(state.shown, state.shown + PAGE);
    state.shown += slice.length;
    ui.more.hidden = state.shown >= hits.length;
    return Promise.all(slice.map(function (h) { return part(m, "d/" + h.doc); })).then(function (docs) {
      if (seq !== undefined && seq !== state.seq) return;
      docs.forEach(function (doc, i) {
        var h = slice[i];
        var item = el("li", { class: "cbs__result" });
        var url = doc.u + (m.h ? "index.html" : "");
        var link = el("a", { href: ROOT + url, class: "cbs__link", "data-case": doc.u });
        var title = el("span", { class: "cbs__result-title" });
        marked(title, doc.t, parts);
        link.appendChild(title);
        var facts = el("span", { class: "cbs__result-meta" });
        marked(facts, doc.n, parts);
        facts.appendChild(document.createTextNode(" · " + doc.y + "年度 · " + doc.c + (doc.a ? " · " + doc.a : "")));
        link.appendChild(facts);
        var snippet = el("span", { class: "cbs__snippet" });
        marked(snippet, snippetText(doc, parts), parts, 90);
        link.appendChild(snippet);
        var where = el("span", { class: "cbs__where" }, "匹配：" + TIER_NAMES[h.best]);
        link.appendChild(where);
        item.appendChild(link);
        ui.list.appendChild(item);
      });
    });
  }

  // ---- the header button and the keys that open the dialog -------------------------------------
  function editable(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function install() {
    var inner = document.querySelector(".md-header__inner");
    if (inner && !inner.querySelector(".cbs-open")) {
      var button = el("button", { type: "button", class: "md-header__button md-icon cbs-open", "aria-haspopup": "dialog",
                                  "aria-label": "搜索案例（快捷键 /）", title: "搜索案例（快捷键 /）" });
      button.innerHTML = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
        '<path d="M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5Z"/></svg>' +
        '<span class="cbs-open__text">搜索</span>';
      button.addEventListener("click", open);
      inner.appendChild(button);
    }
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if ((e.key === "/" || e.key === "s" || e.key === "S") && !editable(e.target) && !(ui && ui.dialog.open)) {
      e.preventDefault();
      open();
    }
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", install);
  else install();

  window.casebookSearch.open = open;
  window.casebookSearch.search = search; // for tests and the benchmark: the ranked hits of a query
})();
