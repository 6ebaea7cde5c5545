/* Load the search index only when a reader reaches for search (focus, click, Material's / s f keys),
   not on every page view: it is the largest file the site serves. Material requests it with
   XMLHttpRequest at start-up; this holds back that one request's send() until then. */
(function () {
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  var held = [], released = false;
  XMLHttpRequest.prototype.open = function (method, url) {
    this._searchIndex = /search\/search_index\.json$/.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this._searchIndex && !released) { held.push([this, arguments]); return; }
    return send.apply(this, arguments);
  };
  function release() {
    if (released) return;
    released = true;
    held.forEach(function (h) { send.apply(h[0], h[1]); });
    held = [];
  }
  function inSearch(el) { return el && el.closest && el.closest(".md-search, [for='__search']"); }
  document.addEventListener("focusin", function (e) { if (inSearch(e.target)) release(); });
  document.addEventListener("pointerdown", function (e) { if (inSearch(e.target)) release(); });
  document.addEventListener("change", function (e) { if (e.target.id === "__search") release(); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" || e.key === "s" || e.key === "f" || e.key === "S" || e.key === "F") release();
  });
  if (/[?&]q=/.test(location.search)) release();
})();
