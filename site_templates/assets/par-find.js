/* The units page's search box: every unit findable by name or code, even when there are too
   many units for the site's search index (docs/site.md, "Search at scale"). Reads the small
   data/units-index.json ({name, code, url} per unit) once, when first typed in; opened from a
   folder (file://, where a page cannot read files), it searches the units table of the page
   itself. Accents are optional ("ban bo" finds "Bản Bo"). Offline: nothing leaves the site. */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function fromTable(form) {
    var table = document.querySelector(".par-t-units");
    table = table && table.closest("table");
    if (!table) return [];
    return [].slice.call(table.tBodies[0].rows).map(function (tr) {
      var a = tr.cells[0].querySelector("a");
      return { name: tr.cells[0].innerText.trim(), code: tr.cells[1].innerText.trim(),
               url: a ? a.getAttribute("href") : "" };
    });
  }

  function load(form) {
    if (form.parUnits) return form.parUnits;
    var url = form.getAttribute("data-index");
    var base = new URL(url, document.baseURI);
    form.parUnits = (location.protocol === "file:" || !window.fetch
      ? Promise.reject(new Error("file"))
      : fetch(base).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (rows) {
            return rows.map(function (u) {  // urls are relative to the index's folder's units/
              return { name: u.name, code: u.code, url: new URL(u.url, new URL("../units/", base)).href };
            });
          })
    ).catch(function () { return fromTable(form); }).then(function (rows) {
      rows.forEach(function (u) { u.key = fold(u.name); });
      return rows;
    });
    return form.parUnits;
  }

  function show(form, rows, query) {
    var list = form.querySelector(".par-find-results");
    list.textContent = "";
    var q = fold(query);
    if (!q) return;
    var found = rows.filter(function (u) {
      return u.key.indexOf(q) !== -1 || (u.code && u.code.indexOf(q) === 0);
    });
    found.slice(0, 20).forEach(function (u) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = u.url;
      a.textContent = u.name + (u.code ? " (" + u.code + ")" : "");  // text, never HTML
      li.appendChild(a);
      list.appendChild(li);
    });
    var note = document.createElement("li");
    note.className = "par-find-count";
    note.textContent = found.length === 0 ? "Không tìm thấy đơn vị nào."
      : found.length > 20 ? "Có " + found.length + " đơn vị; hiện 20 đơn vị đầu, hãy gõ thêm." : "";
    if (note.textContent) list.appendChild(note);
  }

  function setUp() {
    document.querySelectorAll("form.par-find").forEach(function (form) {
      if (form.parReady) return;
      form.parReady = true;
      var input = form.querySelector("input");
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      input.addEventListener("input", function () {
        var query = input.value;
        load(form).then(function (rows) { if (input.value === query) show(form, rows, query); });
      });
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();
