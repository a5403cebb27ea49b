// The search page: loads Pagefind's interface from the index built with the site (search/pagefind/),
// or says why it cannot. Pages opened from disk (file://) cannot fetch the index, so they get the
// explanation and the lists to browse instead, never an empty box. The interface is fetched when the
// reader first focuses or types in the page's own box, not with the page: it weighs five times the page.
(function () {
  "use strict";
  var section = document.querySelector(".search");
  if (!section) return;
  var script = document.currentScript.src;
  var unavailable = section.querySelector(".search-unavailable");
  var start = section.querySelector(".search-start");
  var startBox = section.querySelector(".search-start-box");

  function explain(reason) {
    start.hidden = true;
    unavailable.hidden = false;
    Array.prototype.forEach.call(unavailable.querySelectorAll("[data-reason]"), function (paragraph) {
      paragraph.hidden = paragraph.getAttribute("data-reason") !== reason;
    });
    section.setAttribute("data-state", "unavailable-" + reason);
  }

  if (location.protocol === "file:") {
    explain("file");
    return;
  }
  unavailable.hidden = true;
  section.setAttribute("data-state", "checking");
  var bundle = new URL(section.getAttribute("data-bundle"), location.href).href;
  // Result addresses are recorded from the site root; the site may be published under any sub-path.
  var siteRoot = new URL("./", new URL(section.getAttribute("data-site-root"), location.href)).pathname;

  function mount() {
    var ui;
    try {
      ui = new window.PagefindUI({
        element: "#search-ui",
        bundlePath: bundle,
        baseUrl: siteRoot,
        showSubResults: false,
        showImages: false,
        resetStyles: false,
        translations: { placeholder: "Search briefings and actors" }
      });
    } catch (error) {
      explain("index");
      return;
    }
    // Pagefind names its box only by a title, which assistive technology may not announce as a label.
    var box = section.querySelector(".pagefind-ui__search-input");
    var typed = startBox.value;
    var focused = document.activeElement === startBox;
    start.remove();
    if (box) {
      box.setAttribute("aria-label", "Search briefings and actors");
      if (focused) box.focus();
    }
    if (typed) ui.triggerSearch(typed);
    // The interface lists only the filters whose index is loaded when the first results arrive, so a quick
    // first query could show some of them. Loading them all now, into the same module the interface
    // imports (one URL, one instance), makes every filter show from the first query on.
    import(bundle + "pagefind.js").then(function (pagefind) {
      return pagefind.filters();
    }).then(function () {
      section.setAttribute("data-state", "ready");
    }, function () {
      explain("index");
    });
  }

  function stylesheet(href) {
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.appendChild(link);
  }

  var loading = false;
  function load() {
    if (loading) return;
    loading = true;
    section.setAttribute("data-state", "loading");
    stylesheet(bundle + "pagefind-ui.css");
    var ui = document.createElement("script");
    ui.src = bundle + "pagefind-ui.js";
    ui.onload = mount;
    ui.onerror = function () { explain("index"); };
    document.head.appendChild(ui);
  }

  // The small entry file tells whether an index was built before the box is offered. The style sheets are
  // fetched only past this point, so a page opened from disk loads nothing but the theme's.
  fetch(bundle + "pagefind-entry.json").then(function (response) {
    if (!response.ok) throw new Error(response.status);
    stylesheet(new URL("search.css", script).href);
    start.hidden = false;
    section.setAttribute("data-state", "idle");
    ["focus", "pointerdown", "input"].forEach(function (name) { startBox.addEventListener(name, load); });
    start.addEventListener("submit", function (event) { event.preventDefault(); load(); });
  }).catch(function () { explain("index"); });
})();
