// A page sent back with something to correct: move to what says so. On a phone the
// summary sits below the theme's introduction, out of sight, and without this the page
// looked as if the button had done nothing; focus also has a screen reader read it.
(function () {
  var summary = document.querySelector(".error-summary");
  if (!summary) return;
  if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
  summary.focus();
  summary.scrollIntoView({block: "start"});
})();
