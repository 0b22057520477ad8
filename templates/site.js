// netjournal site behaviour: people search, tag filters and sortable tables. Everything works without it;
// it only narrows and orders what the page already lists. No data is read from inline scripts.
(function () {
  "use strict";

  // What a search compares: without accents (Álvarez -> alvarez) and case, on both sides.
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ß/g, "ss");
  }

  function setupPeopleFilter() {
    var box = document.querySelector(".filters[data-filter-for]");
    if (!box) return;
    var table = document.getElementById(box.getAttribute("data-filter-for"));
    var input = box.querySelector("input[type=search]");
    var status = box.querySelector("[aria-live]");
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var texts = rows.map(function (row) { return fold(row.getAttribute("data-search") || ""); });
    var activeTag = null;
    var tagLinks = Array.prototype.slice.call(box.querySelectorAll("a[data-tag]"));

    function apply() {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, index) {
        var text = texts[index];
        var tags = (row.getAttribute("data-tags") || "").split(" ");
        var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
          (activeTag === null || tags.indexOf(activeTag) !== -1);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      status.textContent = shown === rows.length ? "" : shown + " of " + rows.length + " people shown";
    }

    tagLinks.forEach(function (link) {
      link.setAttribute("role", "button");
      link.setAttribute("aria-pressed", "false");
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var tag = link.getAttribute("data-tag");
        activeTag = activeTag === tag ? null : tag;
        tagLinks.forEach(function (other) {
          other.setAttribute("aria-pressed", String(other.getAttribute("data-tag") === activeTag));
        });
        apply();
      });
      link.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); link.click(); }
      });
    });
    input.addEventListener("input", apply);
    apply();
  }

  function setupSorting() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      var headers = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(headers, function (th, index) {
        var kind = th.getAttribute("data-sort");
        if (!kind) return;
        var button = document.createElement("button");
        button.type = "button";
        var label = document.createElement("span");
        label.className = "sort-label";
        label.textContent = th.textContent;
        button.appendChild(label);
        var arrow = document.createElement("span");  // the direction, drawn by the stylesheet from aria-sort
        arrow.className = "sort-arrow";
        arrow.setAttribute("aria-hidden", "true");
        button.appendChild(arrow);
        th.textContent = "";
        th.appendChild(button);
        if (!th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", "none");  // the page's own order stays
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(headers, function (other) {
            if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
          });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[index].getAttribute("data-value") || "";
            var y = b.cells[index].getAttribute("data-value") || "";
            var result = kind === "number" ? Number(x) - Number(y) : x.localeCompare(y);
            return ascending ? result : -result;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  setupPeopleFilter();
  setupSorting();
}());
