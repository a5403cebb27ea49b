// Timeline filters: show only the events naming an actor, or an actor of a kind. Works from disk;
// without JavaScript the form stays hidden and every event is shown. On a month page of a long timeline the
// links to the months beside it carry the filter (?actor=...&kind=...), so a reader following one actor goes
// from month to month without choosing it again.
(function () {
  "use strict";
  var form = document.querySelector(".timeline-filter");
  if (!form) return;
  var events = Array.prototype.slice.call(document.querySelectorAll(".timeline .event"));
  var days = Array.prototype.slice.call(document.querySelectorAll(".timeline-day"));
  var carriers = Array.prototype.slice.call(document.querySelectorAll("a[data-keep-filter]"));
  var status = form.querySelector(".filter-status");
  var names = ["actor", "kind"];
  // What the page was asked to show; kept and carried on while this month offers none of it.
  var wanted = {};
  var unmatched = false;
  function words(element, name) {
    return (element.getAttribute(name) || "").split(" ");
  }
  function offers(select, value) {
    return Array.prototype.some.call(select.options, function (option) { return option.value === value; });
  }
  function preset() {
    var query = new URLSearchParams(window.location.search);
    names.forEach(function (name) {
      var value = query.get(name) || "";
      wanted[name] = value;
      if (value && offers(form.elements[name], value)) form.elements[name].value = value;
      else if (value) unmatched = true;
    });
  }
  function carry() {
    var query = names.filter(function (name) { return unmatched ? wanted[name] : form.elements[name].value; })
      .map(function (name) { return name + "=" + encodeURIComponent(unmatched ? wanted[name] : form.elements[name].value); });
    carriers.forEach(function (link) {
      var href = link.getAttribute("href").split("?")[0];
      link.setAttribute("href", query.length ? href + "?" + query.join("&") : href);
    });
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
    status.textContent = shown + " of " + events.length + " events shown" +
      (unmatched ? " (no event of this month names the actor or kind chosen before)" : "");
    carry();
  }
  form.hidden = false;
  form.addEventListener("change", function () { unmatched = false; apply(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  preset();
  apply();
})();
