// Small helpers for every page. No inline script anywhere: the content security policy
// allows only script files from this site.
(function () {
  "use strict";
  // A button with data-confirm asks before it submits (e.g. delete, leave a session).
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
