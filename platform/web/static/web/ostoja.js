// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";

  // <form data-confirm="Question?">: ask before submitting (destructive actions).
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // <div data-poll="/url/" data-poll-interval="1000">: replace the element with the HTML fragment the URL
  // returns, again and again, until the fragment no longer carries data-poll (a job that has finished).
  function poll(element) {
    var url = element.getAttribute("data-poll");
    var interval = parseInt(element.getAttribute("data-poll-interval") || "1000", 10);
    window.setTimeout(function () {
      fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var replacement = holder.firstElementChild;
          if (!replacement) { return; }
          element.replaceWith(replacement);
          if (replacement.hasAttribute("data-poll")) { poll(replacement); }
        })
        .catch(function () { window.setTimeout(function () { poll(element); }, interval * 4); });
    }, interval);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);
  });
})();
