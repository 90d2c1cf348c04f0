/* Keyboard shortcuts for the moderation console. No build step, no dependencies.
 *
 * Every shortcut presses a real control that is also on the page (a button, a link, a form
 * field marked data-shortcut="key"), so the keyboard and the mouse do exactly the same thing and
 * the server sees the same form posts. Shortcuts never fire while typing in a field, with Ctrl,
 * Alt or Meta held, or while a dialog is open.
 */
(function () {
  "use strict";

  var ROW_VERBS = { a: "approve", h: "hide", r: "remove", i: "ignore", b: "block" };
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

  function toggleSelectedRow() {
    var index = selectedIndex();
    if (index < 0) {
      announce("Select an item first: press j.");
      return;
    }
    var box = rows()[index].querySelector('input[name="ids"]');
    if (box) {
      box.checked = !box.checked;
      updateCount();
    }
  }

  /* ---- Controls marked data-shortcut: press buttons, follow links, focus fields. ----
   * data-shortcut-focus="k" marks a control that k only puts the cursor on (the first reply
   * template, whose own key is its number); it wins over data-shortcut="k". */
  function shortcutTarget(key) {
    var focusOnly = document.querySelector('[data-shortcut-focus="' + key + '"]');
    if (focusOnly) return focusOnly;
    var candidates = document.querySelectorAll('[data-shortcut="' + key + '"]');
    for (var i = 0; i < candidates.length; i++) {
      if (!candidates[i].disabled && candidates[i].offsetParent !== null) return candidates[i];
    }
    return candidates.length ? candidates[0] : null;
  }

  function press(element, key) {
    if (element.disabled) {
      announce("That action is not available here.");
      return;
    }
    var folded = element.closest && element.closest("details");
    if (folded && !folded.open) folded.open = true;
    if (isTyping(element) || element.getAttribute("data-shortcut-focus") === key) {
      element.scrollIntoView({ block: "center" });
      element.focus();
    } else {
      element.click();
    }
  }

  /* Ctrl+Enter (or Cmd+Enter) sends the form being typed in: a reply, an escalation, a note.
   * Enter on a list in a form marked data-enter-submits sends it (assign, add a tag). */
  function submitFromField(event) {
    var field = event.target;
    var form = field && field.form;
    if (!form || event.key !== "Enter" || event.altKey || event.shiftKey) return false;
    var chord = event.ctrlKey || event.metaKey;
    var selectInQuickForm = !chord && field.tagName.toLowerCase() === "select" &&
      form.hasAttribute("data-enter-submits");
    if (!chord && !selectInQuickForm) return false;
    event.preventDefault();
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented) return;
    if (isTyping(event.target) && submitFromField(event)) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
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
    if (inList && key === "s") {
      event.preventDefault();
      toggleSelectedRow();
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
      press(target, key);
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

  /* Arriving at #reply, #escalate or #search (from e, x or / elsewhere) puts the cursor there:
   * on the first reply template (press its number), the route, or the search box. */
  function focusFromHash() {
    var element = null;
    if (location.hash === "#reply") {
      element = document.querySelector('[data-shortcut-focus="e"]') || document.getElementById("reply-text");
    } else if (location.hash === "#escalate") {
      element = document.getElementById("escalate-route");
    } else if (location.hash === "#search") {
      element = document.querySelector('input[data-shortcut="/"]');
    }
    if (!element) return;
    var folded = element.closest("details");
    if (folded) folded.open = true;
    element.scrollIntoView({ block: "center" });
    element.focus();
  }

  /* The item page's Reply and Escalate buttons are links to #reply and #escalate: land there
   * the same way when they are clicked on the page itself. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-goes-to]");
    if (!link) return;
    event.preventDefault();
    history.replaceState(null, "", "#" + link.getAttribute("data-goes-to"));
    focusFromHash();
  });

  /* A template chosen in the picker lands in the editor: put the cursor there to edit it. */
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "reply-editor") {
      var text = document.getElementById("reply-text");
      if (text) text.focus();
    }
  });
  /* Boxes that are one line on a phone (so what follows is on the first screen) are open on
     wider screens, where there is room for them. */
  function openWhenWide() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 761px)").matches) return;
    document.querySelectorAll("details[data-open-when-wide]").forEach(function (box) {
      box.open = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    openWhenWide();
    restoreRow();
    focusFromHash();
    updateCount();
  });
  /* Once loaded, Chromium scrolls to the #anchor and, a section not being focusable, takes the
   * cursor away from the field it holds: put it back when that has happened. */
  window.addEventListener("load", function () {
    if (!location.hash) return;
    requestAnimationFrame(function () { requestAnimationFrame(focusFromHash); });
  });
})();
