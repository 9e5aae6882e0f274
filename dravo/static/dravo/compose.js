// Compose page: live per-network counters (weighted counts with twitter-text), options
// shown for the selected networks only, uploads with progress, and the browser's time
// zone for scheduling. The server checks everything again on submit.
(function () {
  "use strict";
  var form = document.getElementById("compose-form");
  if (!form) { return; }
  var limits = JSON.parse(document.getElementById("text-limits").textContent);
  var registry = JSON.parse(document.getElementById("networks").textContent);
  var names = {};
  Object.keys(registry).forEach(function (key) { names[key] = registry[key].label; });
  var text = document.getElementById("id_text");
  var mediaUrls = document.getElementById("id_media_urls");

  // The browser's time zone: the scheduled time is read in it and stored in UTC.
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz) {
      var zoneField = document.getElementById("id_time_zone");  // a series' zone: yours unless chosen
      if (zoneField && zoneField.value === document.getElementById("id_tz").value) { zoneField.value = tz; }
      document.getElementById("id_tz").value = tz;
      document.querySelectorAll("[data-tz-label]").forEach(function (el) { el.textContent = tz; });
    }
  } catch (e) { /* keep the server's guess */ }

  function selected() {
    var byNetwork = {};
    form.querySelectorAll("input[name=account_ids]:checked").forEach(function (box) {
      var network = box.getAttribute("data-provider");
      (byNetwork[network] = byNetwork[network] || []).push(box.getAttribute("data-handle"));
    });
    return byNetwork;
  }

  function textFor(network) {
    var override = form.querySelector("[data-text-override=" + network + "]");
    return override && override.value ? override.value : text.value;
  }

  var EMOJI_PART = /^(?:[\u{1F000}-\u{10FFFF}]|[\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF\u200D\uFE0F\u20E3])$/u;

  function measure(network, value) {
    var rule = limits[network];
    if (rule.count === "weighted" && window.twttr && window.twttr.txt) {
      return window.twttr.txt.parseTweet(value).weightedLength;
    }
    if (rule.count === "utf16") { return value.length; }
    if (rule.count === "utf8_emoji") {
      // An emoji (and its joiners, variation selectors, keycaps) counts its UTF-8 bytes.
      return Array.from(value).reduce(function (sum, ch) {
        return sum + (EMOJI_PART.test(ch) ? new TextEncoder().encode(ch).length : 1);
      }, 0);
    }
    if (rule.count === "utf8") { return new TextEncoder().encode(value).length; }
    if (rule.count === "url23") { return url23Length(value); }
    if (rule.count === "graphemes") { return graphemes(value).length; }
    return Array.from(value).length;
  }

  // User-perceived characters (extended grapheme clusters); code points where the
  // browser has no Intl.Segmenter.
  function graphemes(value) {
    if (window.Intl && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(value), function (s) {
        return s.segment;
      });
    }
    return Array.from(value);
  }

  // "url23": grapheme clusters, each http(s) URL 23, a mention @user@domain as @user.
  function url23Length(value) {
    var countable = value
      .replace(/(^|[^\w@\/])(https?:\/\/[^\s<>"]+)/gi, function (all, before, url) {
        var kept = url.replace(/[.,:;!?)\]}'"]+$/, "");
        return before + "xxxxxxxxxxxxxxxxxxxxxxx" + url.slice(kept.length);
      })
      .replace(/(^|[^\/\w])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[\w.-]+\w/gi, "$1@$2");
    if (window.Intl && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(countable)).length;
    }
    return Array.from(countable).length;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  // Counters here, at each keystroke; the preview cards come from the server (htmx posts
  // the form to /compose/preview), drawn with each network's own facts.
  function render() {
    var networks = selected();
    var counters = document.getElementById("counters");
    counters.innerHTML = "";
    document.querySelectorAll("details[data-network]").forEach(function (box) {
      box.hidden = Object.keys(networks).length > 0 && !networks[box.getAttribute("data-network")];
    });
    Object.keys(networks).forEach(function (network) {
      var used = measure(network, textFor(network));
      var limit = limits[network].limit;
      var item = el("li", used > limit ? "over" : "", names[network] + ": " + (limit - used).toLocaleString() + " left");
      item.setAttribute("data-counter", network);
      counters.appendChild(item);
    });
  }

  var submit = document.getElementById("submit-post");
  function label() {
    if (!submit) { return; }  // the edit page saves changes: its button keeps its name
    var scheduled = form.querySelector("input[name=when]:checked");
    submit.textContent = scheduled && scheduled.value === "schedule" ? "Schedule post" : "Publish now";
  }
  form.addEventListener("change", label);
  label();
  document.getElementById("id_scheduled_local").addEventListener("input", function () {
    document.getElementById("when-schedule").checked = true;
    label();
  });

  // A repeating post starts at the date and time under When.
  var repeat = document.getElementById("id_repeat");
  if (repeat) {
    repeat.addEventListener("change", function () {
      var schedule = document.getElementById("when-schedule");
      if (repeat.value && schedule) { schedule.checked = true; label(); }
    });
  }

  form.addEventListener("input", render);
  form.addEventListener("change", render);
  render();

  // Uploads: one request per file to the dashboard's upload endpoint, with progress.
  var fileInput = document.getElementById("media-file");
  var progress = document.getElementById("media-progress");
  var status = document.getElementById("media-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function upload(file) {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      var data = new FormData();
      data.append("file", file);
      request.open("POST", form.getAttribute("data-upload-url"));
      request.setRequestHeader("X-CSRFToken", csrf);
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { progress.value = Math.round(100 * event.loaded / event.total); }
      });
      request.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(request.responseText); } catch (e) { /* not JSON */ }
        if (request.status >= 200 && request.status < 300 && body.url) { resolve(body); }
        else { reject(new Error(body.detail || ("Upload failed (" + request.status + ")"))); }
      });
      request.addEventListener("error", function () { reject(new Error("Upload failed: network error")); });
      request.send(data);
    });
  }

  if (fileInput) {
    fileInput.addEventListener("change", function () {
      var files = Array.from(fileInput.files);
      progress.hidden = false;
      files.reduce(function (chain, file) {
        return chain.then(function () {
          progress.value = 0;
          status.textContent = "Uploading " + file.name + "…";
          return upload(file).then(function (body) {
            mediaUrls.value = (mediaUrls.value.trim() ? mediaUrls.value.trim() + "\n" : "") + body.url;
            status.textContent = "Uploaded " + file.name + " (" + body.kind + ").";
            mediaUrls.dispatchEvent(new Event("change", { bubbles: true }));  // counters and previews
          });
        });
      }, Promise.resolve()).catch(function (error) {
        status.textContent = error.message;
        status.className = "field-error";
      }).then(function () { progress.hidden = true; fileInput.value = ""; });
    });
  }
})();
