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

/* The light/dark toggle (overrides/partials/palette.html), run here instead of by Material's bundle, the way
   Material runs it: the palette stored under Material's key (__md_get/__md_set, which Material's own start-up
   script reads before the page is drawn), or else the first whose media query matches; "(prefers-color-scheme)"
   follows the system's light or dark; Enter cycles; the visible button is the next palette's. What it leaves out
   is what made Material's version restyle the whole page twice at every page load: the color-scheme meta tag is
   added only for a scheme that needs one (dark), and `data-md-color-switching` (no transitions while colours
   change) is set only when the reader switches. */
(function () {
  var form = document.querySelector("form[data-palette]");
  if (!form) return;
  var body = document.body;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"));
  var light = window.matchMedia("(prefers-color-scheme: light)");
  var KEYS = ["media", "scheme", "primary", "accent"];
  var get = window.__md_get || function () { return null; };
  var put = window.__md_set || function () {};
  var current = 0;

  function colour(input) {
    var out = {};
    KEYS.forEach(function (k) { out[k] = input.getAttribute("data-md-color-" + k); });
    return out;
  }

  function apply(index, switching) {
    current = index;
    var palette = {index: index, color: colour(inputs[index])};
    if (palette.color.media === "(prefers-color-scheme)") {
      var system = form.querySelector(light.matches ? "[data-md-color-media='(prefers-color-scheme: light)']"
                                                   : "[data-md-color-media='(prefers-color-scheme: dark)']");
      if (system) ["scheme", "primary", "accent"].forEach(function (k) {
        palette.color[k] = system.getAttribute("data-md-color-" + k);
      });
    }
    if (switching) body.setAttribute("data-md-color-switching", "");
    KEYS.forEach(function (k) {      // an unchanged attribute is not set again: nothing to restyle
      var name = "data-md-color-" + k, value = palette.color[k];
      if (body.getAttribute(name) !== value) body.setAttribute(name, value);
    });
    inputs.forEach(function (input, i) {
      var label = input.nextElementSibling;
      if (label && label.tagName === "LABEL" && label.hidden !== (i !== index)) label.hidden = i !== index;
    });
    inputs[index].checked = true;
    put("__palette", palette);
    if (switching) {
      window.requestAnimationFrame(function () { body.removeAttribute("data-md-color-switching"); });
      metas();
    }
  }

  function metas() {            // the browser's own colours: the address bar, and the scheme of scrollbars
    var header = document.querySelector("[data-md-component=header]") || document.querySelector(".md-header");
    if (!header) return;
    var style = window.getComputedStyle(header);
    var rgb = (style.backgroundColor.match(/\d+/g) || []).slice(0, 3);
    if (rgb.length === 3) meta("theme-color", "#" + rgb.map(function (c) {
      return (+c).toString(16).padStart(2, "0"); }).join(""), true);
    // light is what a page without the tag gets: the tag (whose every change restyles the page) only for dark
    meta("color-scheme", style.colorScheme, style.colorScheme !== "normal" && style.colorScheme !== "light");
  }

  function meta(name, content, needed) {
    var el = document.head.querySelector("meta[name='" + name + "'][data-palette]");
    if (!el && !needed) return;
    if (!el) {
      el = document.createElement("meta");
      el.name = name;
      el.setAttribute("data-palette", "");
      document.head.appendChild(el);
    }
    if (el.content !== content) el.content = content;
  }

  var stored = get("__palette");
  var index = stored && typeof stored.index === "number" ? stored.index
    : inputs.findIndex(function (input) { return window.matchMedia(input.getAttribute("data-md-color-media")).matches; });
  apply(Math.max(0, Math.min(index, inputs.length - 1)), false);
  if (document.readyState === "complete") metas();
  else window.addEventListener("load", function () { window.requestAnimationFrame(metas); });
  inputs.forEach(function (input, i) {
    input.addEventListener("change", function () { if (input.checked) apply(i, true); });
  });
  form.addEventListener("keydown", function (e) {
    if (e.key !== "Enter") return;
    var next = (current + 1) % inputs.length;
    inputs[next].click();
    inputs[next].focus();
  });
  light.addEventListener("change", function () {
    if (inputs[current].getAttribute("data-md-color-media") === "(prefers-color-scheme)") apply(current, true);
  });
})();
