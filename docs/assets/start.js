/* Load search only when a reader reaches for it (focus, click, Material's / s f keys), not on every page
   view. Material starts its search worker (a 12 KB script) and requests the index (the largest file the site
   serves) at start-up. This holds back both until then: the index request's send(), and the worker, which
   Material gets as a stand-in that keeps its listeners and messages and hands them to the real worker. */
(function () {
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  var held = [], released = false, starts = [];
  var RealWorker = window.Worker;
  if (RealWorker) {
    window.Worker = function (url, options) {
      if (!/workers\/search\.[^/]*\.js(\?|#|$)/.test(String(url))) return new RealWorker(url, options);
      var real = null, listeners = [], messages = [];
      this.addEventListener = function () {
        listeners.push(arguments);
        if (real) real.addEventListener.apply(real, arguments);
      };
      this.removeEventListener = function (type, fn) {
        listeners = listeners.filter(function (l) { return !(l[0] === type && l[1] === fn); });
        if (real) real.removeEventListener.apply(real, arguments);
      };
      this.postMessage = function () {
        if (real) real.postMessage.apply(real, arguments); else messages.push(arguments);
      };
      this.terminate = function () { if (real) real.terminate(); };
      function start() {
        real = new RealWorker(url, options);
        listeners.forEach(function (l) { real.addEventListener.apply(real, l); });
        messages.forEach(function (m) { real.postMessage.apply(real, m); });
        messages = [];
      }
      if (released) start(); else starts.push(start);
    };
  }
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
    starts.forEach(function (start) { start(); });
    starts = [];
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

/* Material marks the body `data-md-color-switching` whenever a colour palette is applied, so that colours
   change without transitions; its stylesheet then matches `[data-md-color-switching] *`, which makes the
   browser restyle every element twice. It does so at start-up too, when nothing switches: on the glossary
   that tripled the page's style work (about 0.6 s of main thread under 4x CPU throttling). Until a reader
   uses the light/dark toggle, the mark is left off; from then on Material's switch works as designed. */
(function () {
  var body = document.body, set = body.setAttribute, armed = false;
  document.addEventListener("change", function (e) {
    if (e.target && e.target.name === "__palette") armed = true;
  }, true);
  body.setAttribute = function (name) {
    if (name === "data-md-color-switching" && !armed) return;
    return set.apply(this, arguments);
  };
})();
