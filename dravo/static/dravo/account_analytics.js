// Account analytics: the followers line chart, from the page's account-days JSON.
(function () {
  "use strict";
  var source = document.getElementById("account-days");
  var canvas = document.getElementById("followers-chart");
  if (!source || !canvas || !window.Chart) { return; }
  var days = JSON.parse(source.textContent);
  var shortDay = function (iso) {
    return new Date(iso + "T00:00:00Z").toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
  };
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: days.map(function (d) { return shortDay(d.date); }),
      datasets: [{ label: "Followers", data: days.map(function (d) { return d.followers; }), borderColor: "#3b2db0", spanGaps: true }]
    },
    options: { maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } } }
  });
})();
