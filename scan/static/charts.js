// Draws the charts on a page from their JSON data elements; wires print buttons.
// Figures arrive as <script type="application/json" data-chart-for="ID">; a
// <details data-picker-for="ID"> beside one holds checkboxes that show and hide
// its traces, kept in step with clicks on the legend.
//
// Text and tables come first: this script is deferred, and plotly.js (4.8 MB, seconds
// of a phone's CPU to parse) is only fetched after the first paint, by pages whose
// script tag names it (data-plotly), once a chart is about to scroll into view. On a
// phone-sized screen a chart is drawn on request (its button): the table beside each
// chart holds the same numbers. Printing draws every chart first.
var SamenscanCharts = (function () {
  "use strict";
  var script = document.currentScript;
  var plotlyUrl = script && script.getAttribute("data-plotly");
  var phone = window.matchMedia ? window.matchMedia("(max-width: 40rem)") : null;
  var loading = null;

  function afterFirstPaint() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { setTimeout(resolve, 0); });
    });
  }
  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyUrl) return Promise.reject(new Error("this page draws no charts"));
    if (!loading) {
      loading = afterFirstPaint().then(function () {
        return new Promise(function (resolve, reject) {
          var tag = document.createElement("script");
          tag.src = plotlyUrl;
          tag.onload = function () { resolve(window.Plotly); };
          tag.onerror = reject;
          document.head.appendChild(tag);
        });
      });
    }
    return loading;
  }
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
  function sources() {
    return Array.prototype.slice.call(document.querySelectorAll("script[data-chart-for]"));
  }
  function targetOf(source) {
    return document.getElementById(source.getAttribute("data-chart-for"));
  }
  // Draws one chart now (plotly must be loaded); a chart is drawn once.
  function drawNow(source) {
    var target = targetOf(source);
    if (!target || source.dataset.drawn) return Promise.resolve();
    source.dataset.drawn = "1";
    var button = document.querySelector('[data-show-chart="' + target.id + '"]');
    if (button) button.hidden = true;
    var figure = JSON.parse(source.textContent);
    if (phone && phone.matches) {
      numberTheAxes(figure, target);
      clearOfTheToolbar(figure.layout);
    }
    return Plotly.newPlot(target, figure.data, figure.layout, {
      responsive: true, displaylogo: false,
      toImageButtonOptions: { format: "png", filename: target.id, scale: 2 }
    }).then(function () { wirePicker(target); });
  }
  // A radar on a phone: its axes are numbered and named in a list under the chart, so
  // the circle can take the screen's width instead of leaving it to wrapped labels.
  function numberTheAxes(figure, target) {
    var polar = figure.data.filter(function (t) { return t.type === "scatterpolar"; });
    if (!polar.length || !figure.layout.polar) return;
    var names = polar[0].theta.slice(0, -1);   // a closed line repeats its first axis
    var numbers = names.map(function (_name, i) { return String(i + 1); });
    polar.forEach(function (t) { t.theta = numbers.concat([numbers[0]]); });
    figure.layout.polar.angularaxis.tickfont = { size: 14 };
    figure.layout.polar.angularaxis.type = "category";   // "1".."n" are names, not degrees
    figure.layout.margin.l = figure.layout.margin.r = 24;
    // Room for the circle at the screen's width, and for the legend under it.
    figure.layout.height = 470 + 21 * figure.data.length;
    var key = document.createElement("ol");
    key.className = "axis-key small";
    names.forEach(function (name) {
      var item = document.createElement("li");
      item.textContent = name.replace(/<br>/g, " ");
      key.appendChild(item);
    });
    target.insertAdjacentElement("afterend", key);
  }
  // On a phone the toolbar stands over the chart's top right, where a title of a
  // narrow screen runs: the title moves down a line, below the toolbar.
  function clearOfTheToolbar(layout) {
    if (!layout.title || !layout.title.pad) return;
    layout.title.pad.t = (layout.title.pad.t || 0) + 18;
    if (layout.margin) layout.margin.t = (layout.margin.t || 0) + 18;
  }
  // On a phone the statements, levels and comments of each theme start folded: the
  // theme cards (mean and spread in words) come first. Paper unfolds them (print.css).
  function foldOnPhone() {
    if (!phone || !phone.matches) return;
    document.querySelectorAll("details[data-close-on-phone]").forEach(function (d) {
      d.open = false;
    });
  }
  function draw(source) {
    return loadPlotly().then(function () { return drawNow(source); });
  }
  function drawAll() {
    if (!sources().length) return Promise.resolve();
    return loadPlotly().then(function () { return Promise.all(sources().map(drawNow)); });
  }
  // Charts not drawn yet when the page goes to paper: drawn there and then, if plotly
  // is here (a chart was seen); otherwise the tables carry the numbers.
  function drawForPaper() {
    if (window.Plotly) sources().forEach(drawNow);
  }
  function offerOnRequest() {
    sources().forEach(function (source) {
      var button = document.querySelector('[data-show-chart="' + source.getAttribute("data-chart-for") + '"]');
      if (!button) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        draw(source).catch(function () { button.disabled = false; });
      });
    });
  }
  function drawWhenSeen() {
    if (!("IntersectionObserver" in window)) { drawAll(); return; }
    var watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        watcher.unobserve(entry.target);
        var source = document.querySelector('script[data-chart-for="' + entry.target.id + '"]');
        if (source) draw(source);
      });
    }, { rootMargin: "200px 0px" });
    sources().forEach(function (source) {
      var target = targetOf(source);
      if (target) watcher.observe(target);
    });
  }
  function start() {
    foldOnPhone();
    if (!plotlyUrl || !sources().length) return;
    if (phone && phone.matches) offerOnRequest();
    else drawWhenSeen();
  }
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-print]")) return;
    drawAll().catch(function () {}).then(function () { window.print(); });
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  return { drawAll: drawAll, drawForPaper: drawForPaper };
})();

// Paper: each chart at the printed width (17 cm, as print.css sets it), without the
// greyed-out groups in its legend; back to the screen's size after printing.
(function () {
  "use strict";
  var PRINT_WIDTH = 642;  // 17 cm at 96 px per inch
  function forPrint(printing) {
    if (!window.Plotly) return;
    if (printing) SamenscanCharts.drawForPaper();
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
