// Joint scoring screens (projector and phones) follow the session by polling a
// small JSON every 2 seconds. Live counts are written in place; when the
// facilitator changed something (the version moved), the live part of the page
// is fetched again and swapped in, unless the person is typing in it: then the
// swap waits, so no half-written note or evidence is lost.
(function () {
  "use strict";
  var root = document.querySelector("[data-joint]");
  if (!root) return;
  // The wall's window goes full screen on request (browsers allow it only after a click).
  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    });
  });
  var stateUrl = root.dataset.stateUrl, pageUrl = root.dataset.pageUrl;
  var version = root.dataset.version, interval = 2000, failures = 0, timerId = null;
  // A refused form is shown at the address it was sent to; the page's own
  // address is what a reload or a redraw must fetch.
  if (window.location.pathname !== pageUrl) window.history.replaceState(null, "", pageUrl);

  function changed(control) {
    if (control.type === "radio" || control.type === "checkbox") {
      return control.checked !== control.defaultChecked;
    }
    if (control.tagName === "SELECT") {
      return Array.prototype.some.call(control.options, function (o) {
        return o.selected !== o.defaultSelected;
      });
    }
    return control.type !== "hidden" && control.value !== control.defaultValue;
  }

  // Someone is filling in a form there: redrawing would throw their input away.
  function busy(area) {
    if (!area) return false;
    var active = document.activeElement;
    if (active && area.contains(active) && /^(TEXTAREA|INPUT|SELECT)$/.test(active.tagName) &&
        active.type !== "radio" && active.type !== "checkbox") return true;
    return Array.prototype.some.call(area.querySelectorAll("input, textarea, select"), changed);
  }

  function startTimers() {
    clearInterval(timerId);
    var clocks = document.querySelectorAll("[data-timer]");
    if (!clocks.length) return;
    var started = Date.now();
    function show() {
      clocks.forEach(function (clock) {
        var left = Math.max(0, Number(clock.dataset.timer) - Math.floor((Date.now() - started) / 1000));
        clock.textContent = left > 0
          ? Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0")
          : clock.dataset.done;
        clock.classList.toggle("done", left === 0);
      });
    }
    show();
    timerId = setInterval(show, 1000);
  }

  function swap() {
    return fetch(pageUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 410) { window.location.href = pageUrl; return null; }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.getElementById("joint-live"), live = document.getElementById("joint-live");
        var controls = fresh.querySelector(".joint-controls"), ours = document.querySelector(".joint-controls");
        if (next && live) live.innerHTML = next.innerHTML;
        if (controls && ours && !busy(ours)) ours.innerHTML = controls.innerHTML;
        var holder = fresh.querySelector("[data-joint]");
        if (holder) version = holder.dataset.version;
        startTimers();
      });
  }

  function apply(state) {
    Object.keys(state).forEach(function (key) {
      document.querySelectorAll('[data-live="' + key + '"]').forEach(function (el) {
        el.textContent = state[key];
      });
    });
    if (String(state.version) !== String(version) &&
        !busy(document.getElementById("joint-live"))) return swap();
  }

  function tick() {
    fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" },
                      cache: "no-store" })
      .then(function (response) {
        if (response.status === 410) { window.location.href = pageUrl; return null; }
        return response.ok ? response.json() : null;
      })
      .then(function (state) {
        failures = 0;
        return state ? apply(state) : null;
      })
      .catch(function () { failures += 1; })
      .then(function () { setTimeout(tick, interval * Math.min(1 + failures, 5)); });
  }

  startTimers();
  setTimeout(tick, interval);
})();
