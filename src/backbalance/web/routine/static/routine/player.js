// The session player and the offline keeper. Without this file the player page is a plain
// form that still works; with it, one item at a time, with hold and rest countdowns, a
// short beep at the end of each, and the screen kept awake while a session runs.
// A session in progress is kept in localStorage; one that could not be sent is sent again
// when the connection is back (the server stores it once, by its client token).
(function () {
  "use strict";

  var PENDING_KEY = "backbalance-pending-sessions";

  // ------------------------------------------------------------------ storage helpers
  function readJSON(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function writeJSON(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* storage full or off: the session still works, it is only not kept */
    }
  }
  function removeKey(key) {
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  }
  function formEntries(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) { entries.push([name, String(value)]); });
    return entries;
  }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // ------------------------------------------------------------------ sending
  // The server answers a stored session with a redirect to today and a session it can
  // never take with 200 (the form with what to fix). Anything else (a locked routine is
  // 403, a server error) keeps it here to be sent again later.
  function send(action, entries) {
    var body = new FormData();
    var token = csrfToken();
    entries.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken" && token) { return; }
      body.append(pair[0], pair[1]);
    });
    if (token) { body.append("csrfmiddlewaretoken", token); }
    return fetch(action, { method: "POST", body: body, credentials: "same-origin" });
  }

  // A kept session the server asks to fix (200) is posted again as a plain form, so the
  // person sees the player with the marks and what they entered instead of losing it.
  function showForFixing(item) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = item.action;
    form.hidden = true;
    var token = csrfToken();
    item.entries.forEach(function (pair) {
      if (pair[0] === "csrfmiddlewaretoken" && token) { return; }
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    if (token) {
      var csrf = document.createElement("input");
      csrf.type = "hidden";
      csrf.name = "csrfmiddlewaretoken";
      csrf.value = token;
      form.appendChild(csrf);
    }
    document.body.appendChild(form);
    form.submit();
  }

  function sendPending(onSaved) {
    var pending = readJSON(PENDING_KEY, []);
    if (!pending.length || !navigator.onLine) { return; }
    var left = pending.slice();
    pending.forEach(function (item) {
      send(item.action, item.entries).then(function (response) {
        if (response.redirected || response.status === 200) {
          left = left.filter(function (p) { return p.token !== item.token; });
          writeJSON(PENDING_KEY, left);
          if (response.redirected && onSaved) { onSaved(); }
          if (!response.redirected) { showForFixing(item); }
        }
      }).catch(function () { /* still offline: try again later */ });
    });
  }

  function keepPending(action, entries, token) {
    var pending = readJSON(PENDING_KEY, []).filter(function (p) { return p.token !== token; });
    pending.push({ action: action, entries: entries, token: token, at: Date.now() });
    writeJSON(PENDING_KEY, pending);
  }

  // ------------------------------------------------------------------ sound and wake lock
  var audio = null;
  function beep() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) { return; }
      audio = audio || new Context();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = 660;
      gain.gain.setValueAtTime(0.0001, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.45);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.5);
    } catch (e) { /* no sound: the numbers still show */ }
  }
  var wakeLock = null;
  function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock) { return; }
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () { /* not allowed here: fine */ });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && document.querySelector("[data-player].is-running")) {
      keepAwake();
    }
  });

  function clock(seconds) {
    seconds = Math.max(0, Math.ceil(seconds));
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  // ------------------------------------------------------------------ one item's timer
  function Timer(section, form, words, onChange) {
    var box = section.querySelector("[data-timer]");
    if (!box) { return; }
    var rest = parseFloat(section.getAttribute("data-rest")) || 0;
    var phaseEl = box.querySelector("[data-timer-phase]");
    var numberEl = box.querySelector("[data-timer-number]");
    var whereEl = box.querySelector("[data-timer-where]");
    var startBtn = box.querySelector("[data-timer-start]");
    var setDoneBtn = box.querySelector("[data-timer-set-done]");
    var pauseBtn = box.querySelector("[data-timer-pause]");
    var skipRestBtn = box.querySelector("[data-timer-skip-rest]");
    var index = section.getAttribute("data-item");
    var work = box.getAttribute("data-word-work") || words.ready;

    // Every set of every side, in order: left first, then right (or both together).
    var sets = [];
    box.querySelectorAll("[data-plan-side]").forEach(function (el) {
      var count = parseInt(el.getAttribute("data-sets"), 10) || 0;
      for (var n = 1; n <= count; n += 1) {
        sets.push({
          side: el.getAttribute("data-plan-side"),
          label: el.getAttribute("data-label"),
          number: n,
          of: count,
          hold: parseFloat(el.getAttribute("data-hold")) || 0,
          reps: parseInt(el.getAttribute("data-reps"), 10) || 0
        });
      }
    });
    var position = 0;
    var mode = "ready"; // ready | hold | reps | rest | done
    var endsAt = 0;
    var remaining = 0;
    var ticking = null;

    function input(side) {
      return form.querySelector("[name='item" + index + "_sets_" + side + "']");
    }
    function show(phase, number, where, cls) {
      phaseEl.textContent = phase;
      numberEl.textContent = number;
      whereEl.textContent = where;
      box.classList.toggle("is-rest", cls === "rest");
      box.classList.toggle("is-done", cls === "done");
    }
    function where() {
      var set = sets[position];
      if (!set) { return ""; }
      var count = words.set + " " + set.number + " " + words.of + " " + set.of;
      return set.label ? set.label + " · " + count : count;
    }
    function buttons(start, setDone, pause, skipRest) {
      startBtn.hidden = !start;
      setDoneBtn.hidden = !setDone;
      pauseBtn.hidden = !pause;
      skipRestBtn.hidden = !skipRest;
    }
    function render() {
      var set = sets[position];
      if (mode === "done" || !set) {
        show(words.allDone, "✓", "", "done");
        buttons(false, false, false, false);
        return;
      }
      if (mode === "ready") {
        show(words.ready, set.hold ? clock(set.hold) : String(set.reps || ""), where(), "");
        buttons(true, false, false, false);
      } else if (mode === "hold") {
        show(work, clock(remaining), where(), "hold");
        buttons(false, false, true, false);
      } else if (mode === "reps") {
        show(words.reps, String(set.reps), where(), "hold");
        buttons(false, true, false, false);
      } else if (mode === "rest") {
        show(words.rest, clock(remaining), where(), "rest");
        buttons(false, false, false, true);
      } else if (mode === "paused") {
        show(work, clock(remaining), where(), "hold");
        buttons(true, false, false, false);
      }
    }
    function stopTicking() {
      if (ticking) { window.clearInterval(ticking); ticking = null; }
    }
    function countdown(seconds, then) {
      stopTicking();
      remaining = seconds;
      endsAt = Date.now() + seconds * 1000;
      ticking = window.setInterval(function () {
        remaining = (endsAt - Date.now()) / 1000;
        if (remaining <= 0) {
          stopTicking();
          remaining = 0;
          beep();
          then();
        }
        render();
      }, 200);
    }
    function setFinished() {
      var set = sets[position];
      var field = input(set.side);
      if (field) {
        field.value = String(Math.min(set.of, (parseInt(field.value, 10) || 0) + 1));
      }
      position += 1;
      onChange();
      if (position >= sets.length) {
        mode = "done";
        render();
        // Next come the questions about pain and effort: bring them into view.
        var next = section.querySelector(".sets-done");
        if (next && next.scrollIntoView) { next.scrollIntoView({ block: "start" }); }
        return;
      }
      if (rest > 0) {
        mode = "rest";
        countdown(rest, function () { mode = "ready"; });
      } else {
        mode = "ready";
      }
      render();
    }
    var self = this;
    startBtn.addEventListener("click", function () {
      if (position === 0 && mode === "ready") { self.countFromZero(); }
      beep(); // also unlocks sound on browsers that need a tap first
      keepAwake();
      form.classList.add("is-running");
      var set = sets[position];
      if (!set) { return; }
      if (set.hold && !set.reps) {
        var seconds = mode === "paused" ? remaining : set.hold;
        mode = "hold";
        countdown(seconds, setFinished);
      } else {
        mode = "reps";
      }
      render();
    });
    setDoneBtn.addEventListener("click", setFinished);
    pauseBtn.addEventListener("click", function () {
      stopTicking();
      mode = "paused";
      render();
    });
    skipRestBtn.addEventListener("click", function () {
      stopTicking();
      mode = "ready";
      render();
    });

    // Shown again (or restored): carry on from the set reached.
    this.start = function () {
      mode = position >= sets.length && sets.length ? "done" : "ready";
      box.hidden = false;
      render();
    };
    this.position = function () { return position; };
    this.setPosition = function (n) { position = Math.max(0, Math.min(sets.length, n || 0)); };
    // The sets fields start at the planned counts (a person may do an item without the
    // timer); the first set timed here counts up from zero instead.
    this.countFromZero = function () {
      sets.forEach(function (set) { var f = input(set.side); if (f) { f.value = "0"; } });
    };
  }

  // ------------------------------------------------------------------ the player
  function Player(form) {
    var storageKey = form.getAttribute("data-storage-key");
    var words = {
      rest: form.getAttribute("data-word-rest"),
      ready: form.getAttribute("data-word-ready"),
      reps: form.getAttribute("data-word-reps"),
      set: form.getAttribute("data-word-set"),
      of: form.getAttribute("data-word-of"),
      allDone: form.getAttribute("data-word-all-done")
    };
    var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    var progress = form.querySelector("[data-progress]");
    var progressText = form.querySelector("[data-progress-text]");
    var offline = form.querySelector("[data-offline-message]");
    var current = 0;
    var hasErrors = !!form.querySelector(".errorlist");

    var timers = [];
    function save() {
      var positions = timers.map(function (t) { return t && t.position ? t.position() : 0; });
      writeJSON(storageKey, {
        entries: formEntries(form), step: current, positions: positions, at: Date.now()
      });
    }
    timers = steps.map(function (step) {
      return step.getAttribute("data-step") === "item" ? new Timer(step, form, words, save) : null;
    });

    function restore() {
      var kept = readJSON(storageKey, null);
      if (!kept || hasErrors) { return false; }
      kept.entries.forEach(function (pair) {
        if (pair[0] === "csrfmiddlewaretoken") { return; }
        var fields = form.querySelectorAll("[name='" + pair[0] + "']");
        fields.forEach(function (field) {
          if (field.type === "radio" || field.type === "checkbox") {
            field.checked = field.value === pair[1];
          } else {
            field.value = pair[1];
          }
        });
      });
      current = Math.min(kept.step || 0, steps.length - 1);
      (kept.positions || []).forEach(function (n, i) {
        if (timers[i] && timers[i].setPosition) { timers[i].setPosition(n); }
      });
      return true;
    }

    function go(to) {
      current = Math.max(0, Math.min(steps.length - 1, to));
      steps.forEach(function (step, n) { step.classList.toggle("is-current", n === current); });
      var timer = timers[current];
      if (timer && timer.start) { timer.start(); }
      var items = steps.length - 2;
      var at = Math.max(0, Math.min(items, current));
      progressText.textContent = at + " / " + items;
      progress.querySelector("span").style.width = Math.round((100 * at) / Math.max(1, items)) + "%";
      save();
      var heading = steps[current].querySelector("h1, h2, label");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
      window.scrollTo(0, 0);
    }

    function choose(step, value) {
      var radio = step.querySelector("input[type=radio][value='" + value + "']");
      if (radio) { radio.checked = true; }
    }

    // Start: with the script, the sets count up from zero as they are done.
    form.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
    // Next and Skip answer "did you do it?" here; the plain form asks it directly.
    if (!hasErrors) {
      form.querySelectorAll(".no-js-only").forEach(function (el) { el.hidden = true; });
    }
    progress.hidden = false;
    progressText.hidden = false;
    if (!restore() && !hasErrors) {
      var started = form.querySelector("[name=started_at]");
      if (started) { started.value = new Date().toISOString(); }
    }
    form.classList.add("is-stepping");
    if (hasErrors) {
      // Show the first item with a problem.
      var bad = steps.findIndex(function (step) { return step.querySelector(".errorlist"); });
      current = bad < 0 ? 0 : bad;
    }

    form.addEventListener("click", function (event) {
      var step = steps[current];
      if (event.target.closest("[data-next]")) {
        if (step.getAttribute("data-step") === "item") { choose(step, "done"); }
        go(current + 1);
      } else if (event.target.closest("[data-skip]")) {
        choose(step, "skipped");
        go(current + 1);
      } else if (event.target.closest("[data-back]")) {
        go(current - 1);
      }
    });
    form.addEventListener("input", save);
    form.addEventListener("change", save);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var entries = formEntries(form);
      var token = (form.querySelector("[name=client_token]") || {}).value;
      var action = form.getAttribute("action") || window.location.pathname;
      function offlineNow() {
        keepPending(action, entries, token);
        removeKey(storageKey);
        offline.textContent = form.getAttribute("data-word-offline");
        offline.hidden = false;
        window.scrollTo(0, 0);
      }
      if (!navigator.onLine) { offlineNow(); return; }
      send(action, entries).then(function (response) {
        if (response.redirected) {
          removeKey(storageKey);
          window.location.assign(response.url);
        } else {
          // The server found something to fix: let it show the page with the marks.
          removeKey(storageKey);
          form.submit();
        }
      }).catch(offlineNow);
    });
    window.addEventListener("online", function () {
      sendPending(function () { window.location.assign(window.location.pathname.replace(/plan\/.*$/, "")); });
    });

    go(current);
  }

  function init() {
    var form = document.querySelector("[data-player]");
    if (form) { Player(form); }
    var sync = document.querySelector("[data-sync]");
    if (sync) {
      var notice = sync.querySelector("[data-sync-message]");
      var saved = function () {
        notice.textContent = sync.getAttribute("data-sync-notice");
        notice.hidden = false;
      };
      sendPending(saved);
      window.addEventListener("online", function () { sendPending(saved); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
