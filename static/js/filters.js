// On narrow screens the filter form folds behind a button, so that the results come
// first; without JavaScript, or on wide screens, the form is simply shown.
(function () {
  "use strict";
  var panel = document.querySelector("[data-filters]");
  if (!panel) {
    return;
  }
  var form = panel.querySelector("form");
  var heading = panel.querySelector("h2");
  var narrow = window.matchMedia("(max-width: 55.99rem)");
  var active = Array.prototype.filter.call(form.elements, function (field) {
    return (field.tagName === "SELECT" || field.tagName === "INPUT") && field.type !== "submit" && field.value;
  }).length;

  var toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "button button--secondary filters-toggle";
  toggle.setAttribute("aria-controls", form.id);
  toggle.textContent = active ? panel.dataset.labelActive.replace("{count}", active) : panel.dataset.label;

  function setOpen(open) {
    form.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  }

  function layout() {
    if (narrow.matches) {
      if (!toggle.isConnected) {
        heading.insertAdjacentElement("afterend", toggle);
      }
      setOpen(form.querySelector(".errorlist") !== null);
    } else {
      toggle.remove();
      form.hidden = false;
    }
  }

  toggle.addEventListener("click", function () {
    setOpen(form.hidden);
  });
  narrow.addEventListener("change", layout);
  layout();
})();
