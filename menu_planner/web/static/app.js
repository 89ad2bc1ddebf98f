// Planificador de menús y compras: the little JavaScript the pages use. Everything works
// without it (the progress page refreshes itself, the print view prints from the menu).
(function () {
  "use strict";

  // Progress of a cycle generation: poll the job's state and open the cycle when done.
  var box = document.querySelector("[data-job-status-url]");
  if (box) {
    var url = box.getAttribute("data-job-status-url");
    var bar = box.querySelector("progress");
    var pct = box.querySelector("[data-percent]");
    var msg = box.querySelector("[data-message]");
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (job) {
          var p = Math.round((job.progress || 0) * 100);
          bar.value = p; pct.textContent = p; msg.textContent = job.message || "";
          if (job.status === "succeeded" && job.cycle_url) { window.location.assign(job.cycle_url); }
          else if (job.status === "failed") { window.location.reload(); }
          else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 500);
  }

  // Print buttons.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
