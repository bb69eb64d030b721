// Theme pickers follow the question set chosen above them: a list marked
// data-themes-for="<select id>" shows only the themes (li[data-set]) of the set in
// that select's value ("round:set"); themes of other sets are unticked and
// disabled, so what is sent is checked before it is sent. The server checks again.
(function () {
  "use strict";
  document.querySelectorAll("[data-themes-for]").forEach(function (list) {
    var source = document.getElementById(list.dataset.themesFor);
    if (!source) return;
    function follow() {
      var chosen = source.value.split(":")[1] || "";
      list.querySelectorAll("li[data-set]").forEach(function (item) {
        var ours = item.dataset.set === chosen, box = item.querySelector("input");
        item.hidden = !ours;
        if (box) { box.disabled = !ours; if (!ours) box.checked = false; }
      });
    }
    source.addEventListener("change", follow);
    follow();
  });
})();
