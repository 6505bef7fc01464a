/* Case showcase: reader tools (font size, high contrast), photo lightbox, print button and the
   sortable, filterable all-cases table. No dependencies. */
(function () {
  "use strict";

  /* ---- Lightbox ------------------------------------------------------------------------- */
  function setupLightbox() {
    var links = Array.prototype.slice.call(document.querySelectorAll("a.cb-zoom"));
    if (!links.length) return;
    var box = document.createElement("div");
    box.className = "cb-lightbox";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    box.setAttribute("aria-label", "图片查看");
    box.hidden = true;
    box.innerHTML =
      '<button type="button" class="cb-lightbox__close" aria-label="关闭">×</button>' +
      '<button type="button" class="cb-lightbox__prev" aria-label="上一张">‹</button>' +
      '<figure class="cb-lightbox__figure"><img class="cb-lightbox__image" alt="">' +
      '<figcaption class="cb-lightbox__caption"></figcaption>' +
      '<p class="cb-lightbox__counter" aria-live="polite" aria-atomic="true"></p></figure>' +
      '<button type="button" class="cb-lightbox__next" aria-label="下一张">›</button>';
    document.body.appendChild(box);
    var image = box.querySelector(".cb-lightbox__image");
    var caption = box.querySelector(".cb-lightbox__caption");
    var counter = box.querySelector(".cb-lightbox__counter");
    var current = 0, opener = null;

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      image.src = link.getAttribute("href");
      image.alt = link.getAttribute("data-caption") || "";
      caption.textContent = link.getAttribute("data-caption") || "";
      counter.textContent = "第 " + (current + 1) + " 张，共 " + links.length + " 张";
      box.querySelector(".cb-lightbox__prev").hidden = links.length < 2;
      box.querySelector(".cb-lightbox__next").hidden = links.length < 2;
    }
    function open(index) {
      opener = document.activeElement;
      show(index);
      box.hidden = false;
      document.documentElement.classList.add("cb-lightbox-open");
      box.querySelector(".cb-lightbox__close").focus();
    }
    function close() {
      box.hidden = true;
      image.removeAttribute("src");
      document.documentElement.classList.remove("cb-lightbox-open");
      if (opener && opener.focus) opener.focus();
    }
    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        open(index);
      });
    });
    box.addEventListener("click", function (event) {
      var target = event.target;
      if (target.closest(".cb-lightbox__prev")) show(current - 1);
      else if (target.closest(".cb-lightbox__next")) show(current + 1);
      else if (target === box || target.closest(".cb-lightbox__close")) close();
    });
    document.addEventListener("keydown", function (event) {
      if (box.hidden) return;
      if (event.key === "Escape") close();
      else if (event.key === "ArrowLeft") show(current - 1);
      else if (event.key === "ArrowRight") show(current + 1);
      else if (event.key === "Tab") {  /* focus stays in the dialog while it is open */
        var controls = Array.prototype.filter.call(box.querySelectorAll("button"), function (b) { return !b.hidden; });
        var first = controls[0], last = controls[controls.length - 1];
        if (!box.contains(document.activeElement)) { event.preventDefault(); first.focus(); }
        else if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
        else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
      }
    });
    /* swipe on touch screens: left for the next photo, right for the previous one */
    var startX = null, startY = null;
    box.addEventListener("touchstart", function (event) {
      if (event.touches.length !== 1) { startX = null; return; }
      startX = event.touches[0].clientX; startY = event.touches[0].clientY;
    }, { passive: true });
    box.addEventListener("touchend", function (event) {
      if (startX === null || !event.changedTouches.length) return;
      var dx = event.changedTouches[0].clientX - startX, dy = event.changedTouches[0].clientY - startY;
      startX = null;
      if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(dy)) show(current + (dx < 0 ? 1 : -1));
    });
  }

  /* ---- All-cases table ------------------------------------------------------------------- */
  function setupTable() {
    var wrap = document.querySelector(".cb-table-wrap");
    if (!wrap) return;
    var table = wrap.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var tools = wrap.querySelector(".cb-table-tools");
    var text = wrap.querySelector(".cb-filter-text");
    var selects = Array.prototype.slice.call(wrap.querySelectorAll(".cb-filter-col"));
    var count = wrap.querySelector(".cb-filter-count");
    tools.hidden = false;

    function cellKey(row, col) {
      var cell = row.cells[col];
      return cell.getAttribute("data-key") || cell.textContent.trim();
    }
    function filter() {
      var query = text.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = !query || row.textContent.toLowerCase().indexOf(query) !== -1;
        selects.forEach(function (select) {
          if (!select.value) return;
          var cell = row.cells[+select.getAttribute("data-col")];
          var values = cell.hasAttribute("data-values") ? cell.getAttribute("data-values").split("\n") : [cell.textContent.trim()];
          if (values.indexOf(select.value) === -1) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 个案例";
    }
    text.addEventListener("input", filter);
    selects.forEach(function (select) { select.addEventListener("change", filter); });

    Array.prototype.forEach.call(table.querySelectorAll("button.cb-sort"), function (button) {
      button.addEventListener("click", function () {
        var col = +button.getAttribute("data-col");
        var th = button.parentNode;
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.querySelectorAll("th"), function (other) {
          other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = cellKey(a, col), y = cellKey(b, col);
          var result = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    filter();
  }

  /* ---- Reader tools: font size and high contrast, remembered in this browser --------------- */
  function store(key, value) {
    try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); } catch (e) { /* private mode */ }
  }
  function setupTools() {
    var root = document.documentElement;
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-tools]"), function (tools) {
      var sizes = Array.prototype.slice.call(tools.querySelectorAll("[data-cb-size]"));
      var contrast = tools.querySelector("[data-cb-contrast]");
      function sync() {
        sizes.forEach(function (button) {
          var size = button.getAttribute("data-cb-size");
          var on = size ? root.classList.contains("cb-size-" + size) : !/\bcb-size-/.test(root.className);
          button.setAttribute("aria-pressed", on ? "true" : "false");
        });
        contrast.setAttribute("aria-pressed", root.classList.contains("cb-contrast") ? "true" : "false");
      }
      sizes.forEach(function (button) {
        button.addEventListener("click", function () {
          var size = button.getAttribute("data-cb-size");
          root.classList.remove("cb-size-l", "cb-size-xl");
          if (size) root.classList.add("cb-size-" + size);
          store("casebook.size", size);
          sync();
        });
      });
      contrast.addEventListener("click", function () {
        var on = root.classList.toggle("cb-contrast");
        store("casebook.contrast", on ? "1" : "");
        sync();
      });
      sync();
      tools.hidden = false;
    });
  }

  function setupPrint() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
      var holder = button.closest("[hidden]");
      if (holder) holder.hidden = false;
    });
  }

  /* A case page's 二维码 button: shows and hides the QR code of the page's address. */
  function setupQr() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-qr]"), function (button) {
      var panel = document.getElementById(button.getAttribute("aria-controls"));
      if (!panel) return;
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        panel.hidden = !open;
      });
      var holder = button.closest("[hidden]");
      if (holder) holder.hidden = false;
    });
  }

  /* The 404 page's search button: the site's own search dialog, or Material's search. */
  function setupSearchButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-cb-search]"), function (button) {
      button.addEventListener("click", function () {
        if (window.casebookSearch && window.casebookSearch.open) window.casebookSearch.open();
        else {
          var toggle = document.getElementById("__search");
          if (toggle) toggle.click();
        }
      });
      var holder = button.closest("[hidden]");
      if (holder) holder.hidden = false;
    });
  }

  /* Pages left out of the navigation (cases, single browse pages): the top tab of their section is
     marked as current, found from the breadcrumb (首页 › 按类别 › …: the section of 按类别). */
  function markSection() {
    var tabs = document.querySelectorAll(".md-tabs__item");
    if (!tabs.length || document.querySelector(".md-tabs__item--active")) return;
    var crumbs = document.querySelectorAll(".cb-breadcrumb a");
    if (crumbs.length < 2) return;
    var root = crumbs[0].href;
    function section(href) { return href.indexOf(root) === 0 ? href.slice(root.length).split("/")[0] : null; }
    var wanted = section(crumbs[1].href);
    Array.prototype.forEach.call(tabs, function (tab) {
      var link = tab.querySelector("a");
      if (wanted && link && section(link.href) === wanted) tab.classList.add("md-tabs__item--active");
    });
  }

  function ready() {
    setupTools();
    markSection();
    setupSearchButtons();
    setupPrint();
    setupQr();
    setupLightbox();
    setupTable();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
