// The in-page stopwatch of a timed self-test. Start and stop it; on stop the whole seconds
// go into the first empty hold field (left before right), and each hold field has a button
// to put the time there instead. Without script the fields are typed in by hand.
(function () {
  "use strict";
  function init() {
    var box = document.querySelector("[data-stopwatch]");
    if (!box) { return; }
    var display = box.querySelector("[data-stopwatch-display]");
    var status = box.querySelector("[data-stopwatch-status]");
    var startButton = box.querySelector("[data-stopwatch-start]");
    var stopButton = box.querySelector("[data-stopwatch-stop]");
    var resetButton = box.querySelector("[data-stopwatch-reset]");
    var fields = Array.prototype.slice.call(document.querySelectorAll("[data-stopwatch-field]"));
    var startedAt = null;
    var elapsed = 0;
    var ticker = null;

    function seconds() {
      var running = startedAt === null ? 0 : (Date.now() - startedAt) / 1000;
      return Math.floor(elapsed + running);
    }
    function show() { display.textContent = String(seconds()); }
    function labelOf(field) {
      var label = document.querySelector("label[for='" + field.id + "']");
      var side = field.closest("section");
      var heading = side ? side.querySelector("h2") : null;
      return (heading ? heading.textContent + ": " : "") + (label ? label.textContent : field.name);
    }
    function fill(field) {
      field.value = String(seconds());
      field.dispatchEvent(new Event("change", { bubbles: true }));
      // The sentence comes translated from the page; %s is the time, %f the field.
      status.textContent = box.getAttribute("data-filled-text")
        .replace("%s", field.value).replace("%f", labelOf(field));
    }

    startButton.addEventListener("click", function () {
      if (startedAt !== null) { return; }
      startedAt = Date.now();
      ticker = window.setInterval(show, 250);
      startButton.disabled = true;
      stopButton.disabled = false;
      stopButton.focus();
      status.textContent = "";
    });
    stopButton.addEventListener("click", function () {
      if (startedAt === null) { return; }
      elapsed += (Date.now() - startedAt) / 1000;
      startedAt = null;
      window.clearInterval(ticker);
      show();
      startButton.disabled = false;
      stopButton.disabled = true;
      var empty = fields.filter(function (f) { return f.value === ""; })[0];
      if (empty) { fill(empty); }
      elapsed = 0;
    });
    resetButton.addEventListener("click", function () {
      startedAt = null;
      elapsed = 0;
      window.clearInterval(ticker);
      startButton.disabled = false;
      stopButton.disabled = true;
      show();
      status.textContent = "";
    });
    document.querySelectorAll("[data-stopwatch-fill]").forEach(function (button) {
      button.closest(".stopwatch-fill").hidden = false;
      button.addEventListener("click", function () {
        fill(document.getElementById(button.getAttribute("data-stopwatch-fill")));
      });
    });
    box.hidden = false;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
