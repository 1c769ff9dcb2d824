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

    // The workplace search filters the list as the worker types: it asks the same page the
    // search button asks (GET /complaint?country=..&q=..) and takes its list, so the server's
    // search and cap hold with JavaScript on and off.
    var search = document.getElementById("q");
    var list = document.getElementById("site-list");
    if (search && list && window.fetch && window.DOMParser) {
      var timer = 0;
      var asked = 0;
      search.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var ask = ++asked;
          var query = new URLSearchParams(new FormData(search.form)).toString();
          fetch("/complaint?" + query, { credentials: "same-origin" })
            .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
            .then(function (html) {
              if (ask !== asked) return;
              var fresh = new DOMParser().parseFromString(html, "text/html")
                .getElementById("site-list");
              if (fresh) list.innerHTML = fresh.innerHTML;
            })
            .catch(function () { /* the search button still works */ });
        }, 250);
      });
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
