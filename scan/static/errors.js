// A page sent back with something to correct: move to what says so. On a phone the
// message sat out of sight (below the theme's introduction, or under the card on a
// workshop console), and the page looked as if the button had done nothing; focus
// also has a screen reader read it. Pages load this only when they show an error,
// once per field in error, hence the guard.
(function () {
  if (window.samenscanErrorsShown) return;
  window.samenscanErrorsShown = true;
  var target = document.querySelector(".error-summary") || document.querySelector(
    ".has-error input:not([type=hidden]), .has-error select, .has-error textarea");
  if (!target) return;
  if (!target.matches("input, select, textarea") && !target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus({preventScroll: true});
  var field = target.closest(".has-error") || target;
  field.scrollIntoView({block: "start"});
})();
