// Draws every chart on the page from its JSON data element; wires print buttons.
// Figures arrive as <script type="application/json" data-chart-for="ID">; a
// <details data-picker-for="ID"> beside one holds checkboxes that show and hide
// its traces, kept in step with clicks on the legend.
(function () {
  "use strict";
  function shown(trace) {
    return trace.visible === undefined || trace.visible === true;
  }
  function syncPicker(picker, target) {
    picker.querySelectorAll("input[data-trace]").forEach(function (box) {
      var trace = target.data[Number(box.getAttribute("data-trace"))];
      box.checked = Boolean(trace) && shown(trace);
    });
  }
  function wirePicker(target) {
    var picker = document.querySelector('[data-picker-for="' + target.id + '"]');
    if (!picker) return;
    picker.addEventListener("change", function (event) {
      var box = event.target.closest("input[data-trace]");
      if (!box) return;
      Plotly.restyle(target, { visible: box.checked ? true : "legendonly" },
                     [Number(box.getAttribute("data-trace"))]);
    });
    target.on("plotly_restyle", function () { syncPicker(picker, target); });
    syncPicker(picker, target);
    picker.hidden = false;
  }
  function draw() {
    document.querySelectorAll("script[data-chart-for]").forEach(function (source) {
      var target = document.getElementById(source.getAttribute("data-chart-for"));
      if (!target || !window.Plotly) return;
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(target, figure.data, figure.layout, {
        responsive: true, displaylogo: false,
        toImageButtonOptions: { format: "png", filename: target.id, scale: 2 }
      }).then(function () { wirePicker(target); });
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();

// Paper: each chart at the printed width (17 cm, as print.css sets it), without the
// greyed-out groups in its legend; back to the screen's size after printing.
(function () {
  "use strict";
  var PRINT_WIDTH = 642;  // 17 cm at 96 px per inch
  function forPrint(printing) {
    if (!window.Plotly) return;
    document.querySelectorAll(".js-plotly-plot").forEach(function (el) {
      if (printing === (el.dataset.printing === "1")) return;
      if (printing) {
        var hidden = [];
        el.data.forEach(function (trace, i) { if (trace.visible === "legendonly") hidden.push(i); });
        el.dataset.printing = "1";
        el.dataset.printHidden = JSON.stringify(hidden);
        if (hidden.length) Plotly.restyle(el, { showlegend: false }, hidden);
        Plotly.relayout(el, { autosize: false, width: PRINT_WIDTH });
      } else {
        var hiddenBefore = JSON.parse(el.dataset.printHidden || "[]");
        delete el.dataset.printing;
        if (hiddenBefore.length) Plotly.restyle(el, { showlegend: true }, hiddenBefore);
        Plotly.relayout(el, { autosize: true, width: null });
        Plotly.Plots.resize(el);
      }
    });
  }
  window.addEventListener("beforeprint", function () { forPrint(true); });
  window.addEventListener("afterprint", function () { forPrint(false); });
  var printMedia = window.matchMedia ? window.matchMedia("print") : null;
  if (printMedia && printMedia.addEventListener) {
    printMedia.addEventListener("change", function (event) { forPrint(event.matches); });
  }
})();
