/* Page tools (overrides/partials/page-tools.html): "Report an error on this page" names the section the reader is
   at; "Copy link" copies the page's address. Both work without this script as plain links. */
(function () {
  "use strict";
  function sectionInView() {
    var heads = document.querySelectorAll("article h2[id], article h3[id]");
    var current = "";
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].getBoundingClientRect().top < 120) current = heads[i].id; else break;
    }
    return current;
  }
  function fill(template, values) {
    return template.replace(/\{(page|title|section)\}/g, function (_, key) {
      return encodeURIComponent(values[key] || "");
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-report-template]");
    if (link) {
      var section = (location.hash || "").slice(1) && !sectionInView() ? location.hash.slice(1) : sectionInView();
      link.href = fill(link.getAttribute("data-report-template"),
                       {page: link.getAttribute("data-page"), title: link.getAttribute("data-title"), section: section});
      return;
    }
    var copy = event.target.closest && event.target.closest("button[data-copy-link]");
    if (copy) {
      var address = copy.getAttribute("data-copy-link") || location.href.split("#")[0];
      var done = function () {
        var status = copy.parentNode.querySelector(".share-status");
        if (status) status.textContent = "Link copied.";
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(address).then(done, function () {});
      }
    }
  });
})();
