// Progressive enhancement only: every page works without this file (CSP: no inline script).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    // GOV.UK pattern: move focus to the error summary so screen readers announce it.
    var summary = document.querySelector("[data-autofocus]");
    if (summary) summary.focus();

    // Error summary links: focus the field, and scroll its label into view too.
    document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) return;
        event.preventDefault();
        var label = field.closest(".field") || field;
        label.scrollIntoView();
        field.focus({ preventScroll: true });
      });
    });

    // Show the free-text place only when the worker does not know the site.
    var site = document.getElementById("site_id");
    var unknown = document.getElementById("unknown-site");
    if (site && unknown) {
      var hasError = unknown.querySelector(".field--error");
      var sync = function () {
        unknown.hidden = site.value !== "" && !hasError;
      };
      site.addEventListener("change", function () {
        hasError = null;
        sync();
      });
      sync();
    }

    // Characters left in long text fields.
    document.querySelectorAll("textarea[maxlength]").forEach(function (area) {
      var max = parseInt(area.getAttribute("maxlength"), 10);
      var note = document.createElement("p");
      note.className = "hint counter";
      note.setAttribute("aria-live", "polite");
      area.insertAdjacentElement("afterend", note);
      var update = function () {
        var left = max - area.value.length;
        note.textContent = left < max / 10 ? left + " / " + max : "";
      };
      area.addEventListener("input", update);
      update();
    });

    // Times in the browser's own zone (the page shows the workplace's zone without JavaScript).
    document.querySelectorAll("time[data-local]").forEach(function (el) {
      var at = new Date(el.getAttribute("datetime"));
      if (isNaN(at.getTime()) || typeof Intl === "undefined") return;
      try {
        var lang = document.documentElement.lang || "en";
        var day = at.toLocaleDateString(lang, { day: "numeric", month: "long", year: "numeric" });
        var clock = new Intl.DateTimeFormat(lang, {
          hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
        }).format(at);
        el.textContent = day + ", " + clock;
      } catch (e) { /* keep the server's text */ }
    });

    var print = document.querySelector("[data-print]");
    if (print) print.addEventListener("click", function () { window.print(); });

    // Prevent a double submit from filing the same complaint twice.
    document.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent) {
          event.preventDefault();
          return;
        }
        form.dataset.sent = "1";
        window.setTimeout(function () { delete form.dataset.sent; }, 5000);
      });
    });
  });
})();
