/* Sortable tables of the PAR Index site: ranking, units and field tables sort by any column.
   Uses tablesort 5.6.0 (MIT, assets/tablesort/LICENCE; vendored unchanged from the npm registry
   with `npm pack tablesort`), wired the Material way (document$ is re-emitted on every page).
   Numbers are read the Vietnamese way: "86,95", "1.234,5", "92,50 %", "+1", "−1"; "—" (none)
   sorts as the least (last when sorted from the highest). Rows whose first cell is bold or italic (totals, averages, the
   max row) stay where they are. Everything runs offline; nothing is fetched. */
(function () {
  "use strict";
  var TABLES = ".par-t-rank, .par-t-units, .par-t-leaves";
  var NONE = /^(—|-|không áp dụng)?$/;
  var NUMBER = /^[+\-\u2212]?\d{1,3}(\.\d{3})*(,\d+)?\*?( ?%)?$|^[+\-\u2212]?\d+(,\d+)?\*?( ?%)?$/;

  function clean(text) {
    return text.replace(/\s*\((thưởng|trừ)\)$/, "").trim();
  }

  function vnNumber(text) {
    var t = clean(text);
    if (NONE.test(t)) return null;
    t = t.replace(/[%*\s]/g, "").replace(/\u2212/g, "-").replace(/\./g, "").replace(",", ".");
    var n = parseFloat(t);
    return isNaN(n) ? null : n;
  }

  function compare(a, b) {
    // tablesort's comparators are reversed (it reverses the rows for ascending order)
    var x = vnNumber(a), y = vnNumber(b);
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return y - x;
  }

  // Loaded after tablesort.min.js and before tablesort.number.min.js: the first comparator whose
  // pattern matches wins, so Vietnamese numbers never reach the plugin's "86,95" → 8695.
  if (typeof Tablesort !== "undefined") {
    Tablesort.extend("vn-number", function (item) {
      var t = clean(item);
      return NONE.test(t) || NUMBER.test(t);
    }, compare);
  }

  function setUp() {
    if (typeof Tablesort === "undefined") return;
    if (!Tablesort.parText) {  // last: names in Vietnamese alphabetical order (Đ after D)
      Tablesort.extend("vn-text", function () { return true; }, function (a, b) {
        return b.trim().localeCompare(a.trim(), "vi", { sensitivity: "base", numeric: true });
      });
      Tablesort.parText = true;
    }
    document.querySelectorAll("article table").forEach(function (table) {
      if (table.parSorted || !table.querySelector(TABLES) || !table.tHead) return;
      table.parSorted = true;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var first = tr.cells[0];
        if (first && first.querySelector(":scope > strong, :scope > em")) {
          tr.setAttribute("data-sort-method", "none");
        }
      });
      table.setAttribute("data-par-sortable", "");  // not a class: Material styles table:not([class])
      new Tablesort(table);
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
