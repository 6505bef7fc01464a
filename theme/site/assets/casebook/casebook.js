/* Case showcase: photo lightbox and the sortable, filterable all-cases table. No dependencies. */
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
      '<figcaption class="cb-lightbox__caption"></figcaption></figure>' +
      '<button type="button" class="cb-lightbox__next" aria-label="下一张">›</button>';
    document.body.appendChild(box);
    var image = box.querySelector(".cb-lightbox__image");
    var caption = box.querySelector(".cb-lightbox__caption");
    var current = 0, opener = null;

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      image.src = link.getAttribute("href");
      image.alt = link.getAttribute("data-caption") || "";
      caption.textContent = link.getAttribute("data-caption") || "";
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
          if (select.value && row.cells[+select.getAttribute("data-col")].textContent.trim() !== select.value) ok = false;
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

  function ready() {
    setupLightbox();
    setupTable();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
