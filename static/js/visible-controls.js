// A direction control (U+202E …) typed or pasted into a box marked data-visible-controls turns
// into its visible token (⟨U+202E⟩) as it arrives, as the page shows it after the form is sent
// (rules/fields.py), so the text in the box is never reordered on screen. The form reads the
// tokens back as the controls, so what is tested, saved or sent is what was typed.
(function () {
  "use strict";
  var CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

  function token(char) {
    return "⟨U+" + char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0") + "⟩";
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-visible-controls]")) return;
    var value = box.value;
    CONTROLS.lastIndex = 0;
    if (!CONTROLS.test(value)) return;
    var caret = box.selectionEnd === null ? value.length : box.selectionEnd;
    // The cursor stays after what it was after: the text before it, its controls as tokens.
    var before = value.slice(0, caret).replace(CONTROLS, token);
    box.value = before + value.slice(caret).replace(CONTROLS, token);
    box.setSelectionRange(before.length, before.length);
  });
})();
