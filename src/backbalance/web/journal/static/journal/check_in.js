// The check-in's warning signs: the one-by-one questions open when the person says yes or
// not sure, or has already answered one, or one needs another look. Without this script
// every question simply stays on the page.
document.addEventListener("DOMContentLoaded", () => {
  const each = document.querySelector("[data-each-sign]");
  if (!each) {
    return;
  }
  const overall = document.querySelectorAll('input[name="warning_signs"]');
  const update = () => {
    const chosen = document.querySelector('input[name="warning_signs"]:checked');
    const answered = each.querySelector('input[type="radio"]:checked:not([value="no"])');
    const problem = each.querySelector(".field-error");
    each.hidden = !(chosen && chosen.value === "each") && !answered && !problem;
  };
  overall.forEach((choice) => choice.addEventListener("change", update));
  each.addEventListener("change", update);
  update();
});
