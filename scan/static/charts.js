// Draws every chart on the page from its JSON data element; wires print buttons.
// Figures arrive as <script type="application/json" data-chart-for="ID">.
(function () {
  "use strict";
  function draw() {
    document.querySelectorAll("script[data-chart-for]").forEach(function (source) {
      var target = document.getElementById(source.getAttribute("data-chart-for"));
      if (!target || !window.Plotly) return;
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(target, figure.data, figure.layout, {
        responsive: true, displaylogo: false,
        toImageButtonOptions: { format: "png", filename: target.id, scale: 2 }
      });
    });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
