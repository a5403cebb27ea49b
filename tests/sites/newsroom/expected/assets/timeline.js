// Timeline filters: show only the events naming an actor, or an actor of a kind. Works from disk;
// without JavaScript the form stays hidden and every event is shown.
(function () {
  "use strict";
  var form = document.querySelector(".timeline-filter");
  if (!form) return;
  var events = Array.prototype.slice.call(document.querySelectorAll(".timeline .event"));
  var days = Array.prototype.slice.call(document.querySelectorAll(".timeline-day"));
  var status = form.querySelector(".filter-status");
  function words(element, name) {
    return (element.getAttribute(name) || "").split(" ");
  }
  function apply() {
    var actor = form.elements.actor.value;
    var kind = form.elements.kind.value;
    var shown = 0;
    events.forEach(function (event) {
      var visible = (!actor || words(event, "data-actors").indexOf(actor) >= 0) &&
                    (!kind || words(event, "data-kinds").indexOf(kind) >= 0);
      event.hidden = !visible;
      if (visible) shown += 1;
    });
    days.forEach(function (day) {
      day.hidden = !day.querySelector(".event:not([hidden])");
    });
    status.textContent = shown + " of " + events.length + " events shown";
  }
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();
