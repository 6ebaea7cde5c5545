/* Cite-this-page: absolute addresses when the site was built without site_url (Material's clipboard copies). */
(function () {
  var config = document.getElementById("__config");
  var base = null;
  try { base = new URL(JSON.parse(config.textContent).base.replace(/\/?$/, "/"), location.href); } catch (e) { /* no base: leave the path */ }
  document.querySelectorAll(".cite-text[data-relative-url]").forEach(function (el) {
    if (!base || location.protocol === "file:") return;
    el.innerHTML = el.innerHTML.replace(/(^|\s)\/([^\s<]*?)(\.?)$/, function (_, sp, path, dot) {
      return sp + new URL(path, base).href + dot;
    });
  });
})();

/* Timeline filter: show only the events tagged with one institution, instrument, crisis or actor. */
(function () {
  var select = document.getElementById("events-filter");
  if (!select) return;
  var items = document.querySelectorAll(".timeline > li");
  var output = select.parentNode.querySelector("output");
  function apply() {
    var shown = 0;
    items.forEach(function (li) {
      var match = !select.value || li.dataset.related.split(" ").indexOf(select.value) >= 0;
      li.hidden = !match; if (match) shown++;
    });
    output.textContent = shown + " of " + items.length + " events";
    history.replaceState(null, "", select.value ? "#filter=" + select.value : location.pathname);
  }
  var wanted = location.hash.match(/^#filter=([a-z0-9-]+)$/);
  if (wanted && select.querySelector('option[value="' + wanted[1] + '"]')) select.value = wanted[1];
  select.addEventListener("change", apply);
  if (select.value) apply(); else output.textContent = items.length + " events";
})();
