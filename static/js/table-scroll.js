// A table wider than its box (.table-wrap) scrolls sideways inside the box, never the page; a
// scrollbar at the foot of a long table is out of sight, so the box says so: a line above it
// ("scroll sideways") and a shadow on each edge that has more beyond it (reports.css). The box's
// width is handed to the CSS (--wrap-width) so that the table's title wraps inside what is seen.
// Checked again whenever the box changes size (a window resized, a phone turned).
(function () {
  "use strict";
  var HINT = "Wider than the screen: scroll the table sideways to see every column →";

  function update(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    var hint = wrap.previousElementSibling;
    var hinted = hint !== null && hint.classList.contains("scroll-hint");
    wrap.style.setProperty("--wrap-width", wrap.clientWidth + "px");
    wrap.classList.toggle("scrolls", scrolls);
    wrap.classList.toggle("more-left", scrolls && wrap.scrollLeft > 0);
    wrap.classList.toggle(
      "more-right", scrolls && wrap.scrollLeft + wrap.clientWidth < wrap.scrollWidth - 1
    );
    if (scrolls && !hinted) {
      hint = document.createElement("p");
      hint.className = "scroll-hint small no-print";
      hint.textContent = HINT;
      wrap.parentNode.insertBefore(hint, wrap);
    } else if (!scrolls && hinted) {
      hint.remove();
    }
  }

  var wraps = document.querySelectorAll(".table-wrap");
  var watcher = "ResizeObserver" in window ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) { update(entry.target); });
  }) : null;
  wraps.forEach(function (wrap) {
    update(wrap);
    if (watcher) watcher.observe(wrap);
    wrap.addEventListener("scroll", function () { update(wrap); }, { passive: true });
  });
})();
