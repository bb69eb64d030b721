// Workshop screens: notes that save while typing, a projector view driven by the
// keyboard, and a participant view that follows the facilitator by polling.
(function () {
  "use strict";

  function post(url, data) {
    return fetch(url, { method: "POST", body: data, credentials: "same-origin",
                        headers: { "Accept": "application/json" } });
  }

  // ---- Notes: saved 800 ms after the last keystroke, and before leaving the page.
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var area = form.querySelector("textarea"), status = form.querySelector("[role=status]");
    var version = form.querySelector("input[name=version]"), timer = null, dirty = false;
    function save() {
      if (!dirty) return Promise.resolve();
      dirty = false;
      return post(form.action, new FormData(form)).then(function (response) {
        if (!response.ok) { dirty = true; status.textContent = status.dataset.failed || "!"; return; }
        return response.json().then(function (body) {
          version.value = body.version;
          if (body.merged) { area.value = body.notes; status.textContent = status.dataset.merged; }
          else status.textContent = status.dataset.saved;
        });
      }).catch(function () { dirty = true; status.textContent = status.dataset.failed; });
    }
    area.addEventListener("input", function () {
      dirty = true; clearTimeout(timer); timer = setTimeout(save, 800);
    });
    // Moving to another card, drawing, or closing the lid: save first.
    document.addEventListener("submit", function (event) {
      if (event.target === form || !dirty) return;
      event.preventDefault();
      var next = event.target;
      save().then(function () { next.submit(); });
    });
    window.addEventListener("pagehide", function () {
      if (dirty) navigator.sendBeacon(form.action, new FormData(form));
    });
  });

  // ---- Drawing a stage (the card on screen) from a state object.
  function render(stage, state) {
    var texts = JSON.parse(stage.dataset.texts);
    var card = state.card;
    stage.innerHTML = "";
    function add(tag, cls, text) {
      var el = document.createElement(tag); el.className = cls;
      if (text !== undefined) el.textContent = text;
      stage.appendChild(el); return el;
    }
    if (!card) { add("p", "stage-question", texts.waiting); return; }
    add("p", "counter", texts.counter.replace("%(n)d", state.position + 1)
                                     .replace("%(total)d", state.total));
    add("p", "stage-meta", card.deck + (card.kind ? " · " + card.kind : ""));
    if (card.why) add("p", "stage-why", texts.why + ": " + card.why);
    add("p", "stage-question", card.question);
    var list = add("ul", "stage-follow-up");
    card.follow_up.forEach(function (q) {
      var li = document.createElement("li"); li.textContent = q; list.appendChild(li);
    });
    add("p", "stage-more small", card.follow_up.length < card.follow_up_total ? texts.more : "");
    if (card.notes) {   // the room's notes, once the facilitator shows them
      add("h2", "stage-notes-title", texts.notes);
      if (!card.notes.length) add("p", "stage-notes-none", texts.no_notes);
      else {
        var notes = add("ul", "sticky-notes stage-notes");
        card.notes.forEach(function (n) {
          var li = document.createElement("li"); li.textContent = n; notes.appendChild(li);
        });
      }
    }
    // A phone's note goes with the card on screen now.
    document.querySelectorAll("form[data-card-note] input[name=row]").forEach(function (input) {
      input.value = card.row;
    });
  }

  function follow(root, stateUrl, interval, onState) {
    var stage = root.querySelector(".stage"), version = root.dataset.version;
    function tick() {
      fetch(stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (response.status === 410) {
            stage.textContent = JSON.parse(stage.dataset.texts).ended; return null;
          }
          return response.ok ? response.json() : null;
        })
        .then(function (state) {
          if (state && String(state.version) !== String(version)) {
            version = state.version; render(stage, state); if (onState) onState(state);
          }
          if (state !== null) setTimeout(tick, interval);
        })
        .catch(function () { setTimeout(tick, interval * 2); });
    }
    setTimeout(tick, interval);
    return { show: function (state) { version = state.version; render(stage, state); if (onState) onState(state); } };
  }

  // ---- Participants: follow along.
  var following = document.querySelector("[data-follow]");
  if (following) follow(following, following.dataset.stateUrl, 2500, function (state) {
    // A dot vote started or ended: the page brings or removes the voting form.
    if (String(state.dots) !== following.dataset.dots) window.location.reload();
  });

  // ---- Projector: keyboard control, and follow changes made from the console.
  var presenting = document.querySelector("[data-present]");
  if (presenting) {
    var position = 0;
    var view = follow(presenting, presenting.dataset.stateUrl, 2000, function (state) {
      position = state.position;
      presenting.querySelectorAll("[data-to=prev]").forEach(function (i) { i.value = state.position - 1; });
      presenting.querySelectorAll("[data-to=next]").forEach(function (i) { i.value = state.position + 1; });
    });
    position = parseInt((presenting.querySelector("[data-to=next]") || { value: 1 }).value, 10) - 1;
    function act(url, to) {
      var data = new FormData();
      data.append("csrf_token", presenting.dataset.csrf);
      if (to !== undefined) data.append("to", to);
      post(url, data).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) { if (state) view.show(state); });
    }
    document.addEventListener("keydown", function (event) {
      if (event.target.closest("input, textarea, select, button, a")) return;
      if (event.key === " " || event.key === "ArrowRight" || event.key === "PageDown") {
        event.preventDefault(); act(presenting.dataset.moveUrl, position + 1);
      } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
        event.preventDefault(); act(presenting.dataset.moveUrl, position - 1);
      } else if (event.key === "ArrowDown" || event.key === "v" || event.key === "V") {
        event.preventDefault(); act(presenting.dataset.revealUrl);
      }
    });
  }
})();
