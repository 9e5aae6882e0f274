// Dravo calendar (week and day views): drag a scheduled post's card to another hour cell to
// move it, keeping its minutes. The move posts to /posts/<id>/reschedule, which checks it as
// PATCH /v1/posts/{id} does; on success the card stays where it was dropped and an Undo
// button appears in the status region, on a refusal the card goes back and the API's error
// message is shown on the card and in the status region. The Move form on each card does the
// same without dragging (and, without JavaScript, posts and comes back to the page).
(function () {
  "use strict";

  var grid = document.querySelector("[data-cal-grid]");
  if (!grid) { return; }
  var statusRegion = document.getElementById("cal-status");
  var csrf = grid.getAttribute("data-csrf") || "";
  var dragged = null;

  function text(card) {
    var link = card.querySelector(".cal-card-text");
    var words = link ? link.textContent.trim() : card.getAttribute("data-post-id");
    return words.length > 40 ? words.slice(0, 39) + "…" : words;
  }

  function cellOf(node) { return node && node.closest ? node.closest("td.cal-slot") : null; }

  function findCell(date, hour) {
    return grid.querySelector('td.cal-slot[data-date="' + date + '"][data-hour="' + hour + '"]');
  }

  // Cards in a cell stay in time order.
  function place(card, cell) {
    var minute = Number(card.getAttribute("data-minute"));
    var before = null;
    cell.querySelectorAll(".cal-card").forEach(function (other) {
      if (!before && other !== card && Number(other.getAttribute("data-minute")) > minute) { before = other; }
    });
    cell.insertBefore(card, before);
  }

  function clearError(card) {
    var old = card.querySelector(".cal-card-error");
    if (old) { old.remove(); }
  }

  function showError(card, message) {
    clearError(card);
    var p = document.createElement("p");
    p.className = "cal-card-error";
    p.textContent = message;
    card.insertBefore(p, card.querySelector(".cal-move")); // above the Move form, which may lie over what follows
  }

  function say(message, kind, undo) {
    statusRegion.textContent = "";
    var p = document.createElement("p");
    p.className = "cal-status-msg " + kind;
    p.appendChild(document.createTextNode(message));
    if (undo) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary small";
      button.textContent = "Undo";
      button.addEventListener("click", function () { button.disabled = true; undo(); });
      p.appendChild(document.createTextNode(" "));
      p.appendChild(button);
    }
    statusRegion.appendChild(p);
  }

  function problem(body, status) {
    if (body && body.errors && body.errors.length) {
      return body.errors.map(function (e) { return e.detail; }).join(" ");
    }
    if (status === 403) { return "The page has expired (CSRF): reload it and try again."; }
    return "The post could not be moved (HTTP " + status + ").";
  }

  // POST the new time; resolves to {ok, status, body}.
  function send(card, when) {
    var body = new URLSearchParams();
    body.set("scheduled_at", when);
    body.set("revision", card.getAttribute("data-revision"));
    return fetch(card.getAttribute("data-reschedule-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        if (response.ok && !(json && json.local)) { // sent to the login page: the session ended
          return { ok: false, status: response.status, body: { errors: [{ detail: "You are logged out: log in again, then move the post." }] } };
        }
        return { ok: response.ok, status: response.status, body: json };
      });
    }, function () {
      return { ok: false, status: 0, body: { errors: [{ detail: "Dravo could not be reached; the post was not moved." }] } };
    });
  }

  // The card after a successful move: its time, revision and Move form follow the server.
  function update(card, moved) {
    card.setAttribute("data-revision", String(moved.revision));
    var time = card.querySelector(".cal-card-head time");
    if (time) {
      time.textContent = moved.local.time;
      time.setAttribute("datetime", moved.scheduled_at);
    }
    var input = card.querySelector('.cal-move input[name="scheduled_at"]');
    if (input) { input.value = moved.local.input; }
    var revision = card.querySelector('.cal-move input[name="revision"]');
    if (revision) { revision.value = String(moved.revision); }
    var cell = findCell(moved.local.date, moved.local.hour);
    if (cell) {
      if (cell !== card.parentNode) { place(card, cell); }
    } else {
      card.remove(); // moved out of the days shown
    }
    return cell;
  }

  // Move `card` to `when` (ISO 8601, or a local date-time from the Move form); `origin` is
  // where it goes back on a refusal (it may already sit in its new cell).
  function move(card, when, origin, undoing) {
    var home = origin.cell;
    var next = origin.next;
    var name = text(card);
    clearError(card);
    card.classList.add("saving");
    card.setAttribute("aria-busy", "true");
    return send(card, when).then(function (result) {
      card.classList.remove("saving");
      card.removeAttribute("aria-busy");
      if (!result.ok) {
        if (home && card.parentNode !== home) { home.insertBefore(card, next && next.parentNode === home ? next : null); }
        var message = problem(result.body, result.status);
        showError(card, message);
        say("“" + name + "” was not moved: " + message, "error");
        return;
      }
      var moved = result.body;
      var cell = update(card, moved);
      var where = moved.local.label + (cell ? "" : " (not in the days shown)");
      if (undoing) {
        say("Moved “" + name + "” back to " + where + ".", "success");
        var link = card.querySelector(".cal-card-text");
        if (cell && link) { link.focus(); }
        return;
      }
      var previous = moved.previous;
      say("Moved “" + name + "” to " + where + ".", "success", function () {
        var back = { cell: card.parentNode, next: card.nextSibling };
        move(card, previous.scheduled_at, back, true);
      });
    });
  }

  // A week wider than the screen (a phone) scrolls inside itself: start with today in view.
  var scroller = grid.closest(".cal-scroll");
  var today = grid.querySelector("th.cal-day-head.today");
  var hours = grid.querySelector("th.cal-hour-head");
  if (scroller && today && hours && scroller.scrollWidth > scroller.clientWidth) {
    scroller.scrollLeft = today.offsetLeft - hours.offsetWidth;
  }

  // --- drag and drop --------------------------------------------------------------------------
  grid.addEventListener("dragstart", function (event) {
    var card = event.target.closest ? event.target.closest('.cal-card[draggable="true"]') : null;
    if (!card) { return; }
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-post-id"));
    card.classList.add("dragging");
    grid.classList.add("dragging");
  });

  grid.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    grid.classList.remove("dragging");
    grid.querySelectorAll("td.drop-target").forEach(function (cell) { cell.classList.remove("drop-target"); });
  });

  grid.addEventListener("dragover", function (event) {
    var cell = cellOf(event.target);
    if (!dragged || !cell || !cell.hasAttribute("data-start")) { return; }
    event.preventDefault(); // a drop is allowed here
    event.dataTransfer.dropEffect = "move";
    if (!cell.classList.contains("drop-target")) {
      grid.querySelectorAll("td.drop-target").forEach(function (other) { other.classList.remove("drop-target"); });
      cell.classList.add("drop-target");
    }
  });

  grid.addEventListener("dragleave", function (event) {
    var cell = cellOf(event.target);
    if (cell && !cell.contains(event.relatedTarget)) { cell.classList.remove("drop-target"); }
  });

  grid.addEventListener("drop", function (event) {
    var cell = cellOf(event.target);
    if (!dragged || !cell || !cell.hasAttribute("data-start")) { return; }
    event.preventDefault();
    var card = dragged;
    cell.classList.remove("drop-target");
    if (cell === card.parentNode) { return; }
    var origin = { cell: card.parentNode, next: card.nextSibling };
    var start = new Date(cell.getAttribute("data-start")).getTime();
    var when = new Date(start + Number(card.getAttribute("data-minute")) * 60000).toISOString();
    place(card, cell); // shown where it was dropped while the server decides
    move(card, when, origin, false);
  });

  // A press in the Move form must not start a drag of its card (selecting the input's text).
  grid.addEventListener("pointerdown", function (event) {
    var form = event.target.closest ? event.target.closest(".cal-move form") : null;
    if (form) { form.closest(".cal-card").setAttribute("draggable", "false"); }
  });
  document.addEventListener("pointerup", function () {
    grid.querySelectorAll('.cal-card[data-reschedule-url][draggable="false"]').forEach(function (card) {
      card.setAttribute("draggable", "true");
    });
  });

  // --- the Move form, without a page load ------------------------------------------------------
  grid.addEventListener("submit", function (event) {
    var card = event.target.closest(".cal-card");
    var input = event.target.querySelector('input[name="scheduled_at"]');
    if (!card || !input || !input.value) { return; }
    event.preventDefault();
    var details = event.target.closest("details");
    move(card, input.value, { cell: card.parentNode, next: card.nextSibling }, false).then(function () {
      if (details && !card.querySelector(".cal-card-error")) { details.open = false; }
    });
  });
})();
