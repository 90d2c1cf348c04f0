/* Keyboard shortcuts for the moderation console. No build step, no dependencies.
 *
 * Every shortcut presses a real control that is also on the page (a button, a link, a form
 * field marked data-shortcut="key"), so the keyboard and the mouse do exactly the same thing and
 * the server sees the same form posts. Shortcuts never fire while typing in a field, with Ctrl,
 * Alt or Meta held, or while a dialog is open.
 */
(function () {
  "use strict";

  var ROW_VERBS = { a: "approve", h: "hide", r: "remove" };
  var ROW_ANCHORS = { e: "#reply", x: "#escalate" };
  var STORE_KEY = "console-row:" + location.pathname + location.search;

  function isTyping(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  function announce(text) {
    var region = document.getElementById("queue-announcer") || document.getElementById("console-announcer");
    if (!region) {
      region = document.createElement("div");
      region.id = "console-announcer";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function openDialog(id) {
    var dialog = document.getElementById(id);
    if (dialog && typeof dialog.showModal === "function" && !dialog.open) dialog.showModal();
  }

  /* ---- The queue list: j/k move between rows; a/h/r act on the selected row. ---- */
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr[data-row]"));
  }

  function selectedIndex() {
    var all = rows();
    for (var i = 0; i < all.length; i++) if (all[i].classList.contains("row-selected")) return i;
    return -1;
  }

  function selectRow(index, focus) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row) { row.classList.remove("row-selected"); });
    var row = all[index];
    row.classList.add("row-selected");
    try { sessionStorage.setItem(STORE_KEY, String(index)); } catch (e) { /* private mode */ }
    if (focus !== false) {
      var link = row.querySelector("a.row-link");
      if (link) link.focus();
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function rowAction(verb) {
    var index = selectedIndex();
    var form = document.getElementById("row-action-form");
    if (index < 0 || !form) {
      announce("Select an item first: press j.");
      return;
    }
    form.elements.verb.value = verb;
    form.elements.ids.value = rows()[index].getAttribute("data-id");
    form.submit();
  }

  function restoreRow() {
    if (!rows().length) return;
    var stored = null;
    try { stored = sessionStorage.getItem(STORE_KEY); } catch (e) { /* private mode */ }
    if (stored !== null) selectRow(parseInt(stored, 10) || 0, true);
  }

  /* ---- Controls marked data-shortcut: press buttons, follow links, focus fields. ---- */
  function shortcutTarget(key) {
    var candidates = document.querySelectorAll('[data-shortcut="' + key + '"]');
    for (var i = 0; i < candidates.length; i++) {
      if (!candidates[i].disabled && candidates[i].offsetParent !== null) return candidates[i];
    }
    return candidates.length ? candidates[0] : null;
  }

  function press(element) {
    if (element.disabled) {
      announce("That action is not available here.");
      return;
    }
    if (isTyping(element)) {
      element.scrollIntoView({ block: "center" });
      element.focus();
    } else {
      element.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    if (document.querySelector("dialog[open]")) return;
    var key = event.key;
    if (key === "?") {
      event.preventDefault();
      openDialog("shortcuts");
      return;
    }
    if (key === "Escape") {
      var cancel = shortcutTarget("Escape");
      if (cancel) {
        event.preventDefault();
        press(cancel);
      }
      return;
    }
    if (key.length !== 1) return;
    var inList = rows().length > 0;
    if (inList && (key === "j" || key === "k")) {
      event.preventDefault();
      var index = selectedIndex();
      selectRow(index < 0 ? 0 : index + (key === "j" ? 1 : -1));
      return;
    }
    if (inList && ROW_VERBS[key]) {
      event.preventDefault();
      rowAction(ROW_VERBS[key]);
      return;
    }
    if (inList && ROW_ANCHORS[key] && selectedIndex() >= 0) {
      event.preventDefault();
      var link = rows()[selectedIndex()].querySelector("a.row-link");
      if (link) location.href = link.href + ROW_ANCHORS[key];
      return;
    }
    var target = shortcutTarget(key);
    if (target) {
      event.preventDefault();
      press(target);
    }
  });

  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-opens-dialog]");
    if (opener) openDialog(opener.getAttribute("data-opens-dialog"));
  });

  /* ---- Selection for bulk actions: "select all" and a running count. ---- */
  function updateCount() {
    var output = document.getElementById("selected-count");
    if (!output) return;
    var checked = document.querySelectorAll('#bulk-form input[name="ids"]:checked').length;
    output.textContent = checked ? checked + " selected" : "";
  }

  document.addEventListener("change", function (event) {
    if (event.target.id === "select-all") {
      var boxes = document.querySelectorAll('#bulk-form input[name="ids"]');
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = event.target.checked;
    }
    if (event.target.closest && event.target.closest("#bulk-form")) updateCount();
  });

  /* Arriving at #reply or #escalate (from the list's e / x) puts the cursor in the form. */
  function focusFromHash() {
    var field = { "#reply": "reply-text", "#escalate": "escalate-route" }[location.hash];
    var element = field && document.getElementById(field);
    if (element) element.focus();
  }

  /* A template chosen in the picker lands in the editor: put the cursor there to edit it. */
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "reply-editor") {
      var text = document.getElementById("reply-text");
      if (text) text.focus();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    restoreRow();
    focusFromHash();
    updateCount();
  });
})();
