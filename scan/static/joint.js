// Joint scoring screens (projector and phones) follow the session by polling a
// small JSON every 2 seconds. Live counts are written in place; when the
// facilitator changed something (the version moved), the live part of the page
// is fetched again and swapped in, unless the person is typing in it: then the
// swap waits, so no half-written note or evidence is lost.
(function () {
  "use strict";
  var root = document.querySelector("[data-joint]");
  if (!root) return;
  var stateUrl = root.dataset.stateUrl, version = root.dataset.version;
  var interval = 2000, failures = 0, timerId = null;

  function busyTyping() {
    var live = document.getElementById("joint-live"), active = document.activeElement;
    if (!live) return false;
    if (active && live.contains(active) && /^(TEXTAREA|INPUT|SELECT)$/.test(active.tagName) &&
        active.type !== "submit" && active.type !== "radio") return true;
    return Array.prototype.some.call(live.querySelectorAll("textarea"), function (area) {
      return area.value.trim() !== area.defaultValue.trim();
    });
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
    return fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.getElementById("joint-live"), live = document.getElementById("joint-live");
        var controls = fresh.querySelector(".joint-controls"), ours = document.querySelector(".joint-controls");
        if (next && live) live.innerHTML = next.innerHTML;
        if (controls && ours) ours.innerHTML = controls.innerHTML;
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
    if (String(state.version) !== String(version) && !busyTyping()) return swap();
  }

  function tick() {
    fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" },
                      cache: "no-store" })
      .then(function (response) {
        if (response.status === 410) { window.location.reload(); return null; }
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
