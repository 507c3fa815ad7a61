// The timetable page: mark the wrapper when the grid is wider than the screen, so that
// the stylesheet shows the "scroll sideways" line and a shadow on the side with more
// tables; the shadow goes once the last table is in view. Without script the grid still
// scrolls, with its time column kept in view.
(function () {
  "use strict";
  var scroller = document.getElementById("timetable-scroll");
  var wrap = scroller && scroller.querySelector(".timetable-wrap");
  if (!wrap) {
    return;
  }
  function update() {
    var overflow = wrap.scrollWidth > wrap.clientWidth + 1;
    scroller.dataset.overflow = String(overflow);
    scroller.dataset.atEnd = String(wrap.scrollLeft + wrap.clientWidth >= wrap.scrollWidth - 1);
  }
  wrap.addEventListener("scroll", update, { passive: true });
  window.addEventListener("resize", update);
  update();
})();
