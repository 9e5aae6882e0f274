// Analytics charts: one line chart per metric, one line per network, from metrics_series.
(function () {
  "use strict";
  var source = document.getElementById("metrics-series");
  if (!source || !window.Chart) { return; }
  var rows = JSON.parse(source.textContent);
  var registry = JSON.parse(document.getElementById("networks").textContent);
  var colors = {}, names = {};
  Object.keys(registry).forEach(function (key) { colors[key] = registry[key].color; names[key] = registry[key].label; });
  // Every day of the range (UTC dates, as the server groups them), so gaps show as gaps.
  var box = document.querySelector(".charts[data-days]");
  var days = box ? parseInt(box.getAttribute("data-days"), 10) : 30;
  var seen = rows.map(function (r) { return r.date; });
  for (var i = days - 1; i >= 0; i--) { seen.push(new Date(Date.now() - i * 86400000).toISOString().slice(0, 10)); }
  var dates = Array.from(new Set(seen)).sort();
  // Short day labels ("4 Dec"), fewer of them on a phone.
  var shortDay = function (iso) {
    return new Date(iso + "T00:00:00Z").toLocaleDateString(undefined, { day: "numeric", month: "short", timeZone: "UTC" });
  };
  var narrow = window.matchMedia && window.matchMedia("(max-width: 640px)").matches;
  var networks = Array.from(new Set(rows.map(function (r) { return r.provider; }))).sort();
  document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
    var metric = canvas.getAttribute("data-series");
    var datasets = networks.map(function (network) {
      var byDate = {};
      rows.forEach(function (r) { if (r.provider === network) { byDate[r.date] = r[metric]; } });
      return {
        label: names[network] || network,
        data: dates.map(function (d) { return d in byDate ? byDate[d] : null; }),
        borderColor: colors[network] || "#555",
        backgroundColor: colors[network] || "#555",
        spanGaps: true,
        tension: 0.25,
        pointRadius: 4,
      };
    });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: dates, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: narrow ? 4 : 8, callback: function (value) { return shortDay(this.getLabelForValue(value)); } } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { title: function (items) { return items.length ? shortDay(items[0].label) : ""; } } },
        },
      },
    });
  });
})();
