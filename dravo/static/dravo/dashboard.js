// Dravo dashboard: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // The browser's time zone, so the server shows times in local time.
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz && document.cookie.indexOf("dravo_tz=" + encodeURIComponent(tz)) === -1) {
      document.cookie = "dravo_tz=" + encodeURIComponent(tz) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* old browser: UTC */ }

  document.addEventListener("DOMContentLoaded", function () {
    // Workspace switcher: switch on change (the button stays for keyboard and no-JS users).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    // Copy buttons (API key shown once).
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        var text = source ? source.textContent.trim() : "";
        var done = function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done);
        } else {
          var range = document.createRange();
          range.selectNodeContents(source);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          document.execCommand("copy");
          done();
        }
      });
    });
    // A post that updates itself (htmx polling /posts/live) says its new status to screen
    // readers, once per change, in a polite status region.
    document.body.addEventListener("htmx:oobAfterSwap", function (event) {
      var target = event.target;  // the new element (detail.target is the one it replaced)
      if (!target.id || target.id.indexOf("post-") !== 0) { return; }
      var badge = target.querySelector(".badge");
      if (!badge) { return; }
      var region = document.getElementById("live-status");
      if (!region) {
        region = document.createElement("div");
        region.id = "live-status";
        region.className = "visually-hidden";
        region.setAttribute("role", "status");
        document.getElementById("main").appendChild(region);
      }
      var title = target.querySelector("h1, h3");
      region.textContent = (title ? title.textContent.trim() + ": " : "") + badge.textContent.trim();
    });
    // Confirm destructive actions.
    document.addEventListener("submit", function (event) {
      var message = event.target.getAttribute("data-confirm");
      if (message && !window.confirm(message)) { event.preventDefault(); }
    }, true);
  });
})();
