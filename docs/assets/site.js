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

/* Previews: a [n] marker shows its source and passage, a term or entity link its definition or summary, in
   one popover placed next to the link. Mouse: on hover. Keyboard: on focus (Tab goes on into the popover's
   links; Escape closes it). Touch: the first tap opens it instead of following the link, a tap on one of its
   links follows that link, a tap elsewhere closes it. The citation's details come from the page's source
   list (#src-SOURCE, #src-SOURCE--PASSAGE), where the marker leads without JavaScript. Definitions and
   summaries are not in the page: they come from one file for the whole site (assets/previews.js, beside this
   script), loaded the first time the reader moves, types or touches; a link's data-preview names its entry.
   Without JavaScript, or until the file is there, a link simply leads to the entry. */
(function () {
  var here = document.currentScript && document.currentScript.src;
  var PREVIEWS = here ? new URL("previews.js", here).href : null;
  var previews = null, loading = false, failed = !PREVIEWS, waiting = [];
  function load(done) {                   /* the previews file, once; then done() */
    if (previews) { done(); return; }
    if (failed) return;
    waiting.push(done);
    if (loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = PREVIEWS; s.async = true;
    s.onload = function () {
      previews = window.sitePreviews || {};
      var w = waiting; waiting = [];
      w.forEach(function (f) { f(); });
    };
    s.onerror = function () { failed = true; waiting = []; };
    document.head.appendChild(s);
  }
  ["pointermove", "pointerdown", "keydown", "focusin"].forEach(function (type) {
    document.addEventListener(type, function first() {
      document.removeEventListener(type, first, true);
      load(function () {});
    }, true);
  });
  var TRIGGER = "sup.cite > a[data-cite], .xref > a";
  var pop = document.createElement("span");
  pop.className = "preview";
  pop.id = "preview-pop";
  pop.setAttribute("role", "dialog");
  pop.hidden = true;
  pop.dataset.searchExclude = "";
  document.body.appendChild(pop);
  var current = null, wanted = null, openTimer = 0, closeTimer = 0, lastPointer = "mouse", downOn = null, openAtDown = false;
  var refocusing = false;
  var noHover = window.matchMedia("(hover: none)");

  function triggerOf(node) {
    var a = node && node.closest ? node.closest(TRIGGER) : null;
    return a && a.closest(".md-content, .md-typeset") ? a : null;
  }
  function copy(el) {                     /* a copy without ids (they stay unique on the page) */
    var c = el.cloneNode(true);
    c.removeAttribute("id");
    c.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    return c;
  }
  function part(cls, tag) { var s = document.createElement(tag || "span"); s.className = cls; return s; }
  function moreLink(href, text) {
    var a = document.createElement("a");
    a.className = "preview-more"; a.href = href; a.textContent = text;
    return a;
  }

  function fill(a) {
    pop.textContent = "";
    var head = part("preview-head");
    if (a.hasAttribute("data-cite")) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      var target = document.getElementById(id);
      if (!target) return false;
      var src = target.closest("ol.sources > li") || target;
      var passage = target === src ? null : target;
      head.textContent = "Source " + a.textContent.replace(/[\[\]]/g, "");
      var about = copy(src);
      about.querySelectorAll(".src-passages, .src-note").forEach(function (n) { n.remove(); });
      var body = part("preview-source");
      while (about.firstChild) body.appendChild(about.firstChild);
      pop.appendChild(head); pop.appendChild(body);
      if (passage) {
        var words = part("preview-passage");
        var p = copy(passage);
        while (p.firstChild) words.appendChild(p.firstChild);
        pop.appendChild(words);
      }
      pop.appendChild(moreLink("#" + encodeURIComponent(src.id), "In the list of sources"));
      pop.setAttribute("aria-label", "Source " + a.textContent.replace(/[\[\]]/g, ""));
    } else {
      var key = a.getAttribute("data-preview");
      if (!key || !previews || !previews[key]) {
        if (key && !previews) load(function () { if (wanted === a) open(a); });
        return false;
      }
      var def = part("preview-def");
      def.id = "preview-def";
      def.innerHTML = previews[key];        /* the build's own escaped HTML (macros/render.py previews_js) */
      pop.appendChild(def);
      var glossary = a.parentNode.classList.contains("xref-term");
      pop.appendChild(moreLink(a.href, glossary ? "Full entry in the glossary" : "Full entry: " + a.textContent.trim()));
      pop.setAttribute("aria-label", (glossary ? "Definition: " : "Summary: ") + a.textContent.trim());
    }
    return true;
  }

  function place() {
    if (!current) return;
    var vw = document.documentElement.clientWidth, vh = window.innerHeight, gap = 6, edge = 8;
    var rects = current.getClientRects(), r = rects.length ? rects[0] : current.getBoundingClientRect();
    pop.style.maxWidth = Math.min(352, vw - 2 * edge) + "px";
    pop.style.left = "0px"; pop.style.top = "0px";
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var left = Math.max(edge, Math.min(r.left, vw - w - edge));
    var below = r.bottom + gap, above = r.top - gap - h;
    var top = (below + h <= vh - edge || above < edge) ? below : above;
    pop.style.left = left + "px"; pop.style.top = top + "px";
    pop.dataset.side = top === below ? "below" : "above";
  }

  function open(a) {
    clearTimeout(openTimer); clearTimeout(closeTimer);
    if (current === a && !pop.hidden) return;
    close();
    wanted = a;
    if (!fill(a)) return;
    current = a;
    /* In place: right after the link's wrapper, so Tab moves from the link into the popover's links. */
    var wrap = a.closest("sup.cite, .xref") || a;
    wrap.parentNode.insertBefore(pop, wrap.nextSibling);
    pop.hidden = false;
    a.setAttribute("aria-expanded", "true");
    a.setAttribute("aria-controls", pop.id);
    if (a.hasAttribute("data-preview")) a.setAttribute("aria-describedby", "preview-def");   /* heard as its description */
    place();
  }
  function close() {
    clearTimeout(openTimer); clearTimeout(closeTimer);
    if (current) { current.setAttribute("aria-expanded", "false"); current.removeAttribute("aria-describedby"); }
    pop.hidden = true;
    current = wanted = null;
  }
  function later(fn, ms) { return setTimeout(fn, ms); }

  /* Every trigger says it opens something, before anyone touches it. */
  document.querySelectorAll(TRIGGER).forEach(function (a) {
    if (triggerOf(a)) { a.setAttribute("aria-expanded", "false"); a.setAttribute("aria-controls", pop.id); }
  });

  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    downOn = triggerOf(e.target);
    openAtDown = !!downOn && downOn === current && !pop.hidden;
    if (!downOn && !pop.contains(e.target)) close();          /* a tap or click elsewhere closes it */
  }, true);

  document.addEventListener("pointerover", function (e) {
    if (e.pointerType === "touch") return;
    var a = triggerOf(e.target);
    if (a) { clearTimeout(closeTimer); if (a !== current) { clearTimeout(openTimer); openTimer = later(function () { open(a); }, 120); } }
    else if (pop.contains(e.target)) clearTimeout(closeTimer);
  });
  document.addEventListener("pointerout", function (e) {
    if (e.pointerType === "touch") return;
    if (!current) {                         /* left a link whose preview is still loading: never mind it */
      if (wanted && triggerOf(e.target) === wanted && !(e.relatedTarget && wanted.contains(e.relatedTarget))) wanted = null;
      return;
    }
    var from = triggerOf(e.target) || (pop.contains(e.target) ? pop : null);
    if (!from) return;
    var to = e.relatedTarget;
    if (to && (to === current || pop.contains(to) || triggerOf(to) === current)) return;
    clearTimeout(openTimer);
    if (current && current.contains(document.activeElement) || pop.contains(document.activeElement)) return;
    closeTimer = later(close, 250);
  });

  document.addEventListener("focusin", function (e) {
    var a = triggerOf(e.target);
    if (a) { if (!refocusing) open(a); }
    else if (current && !pop.contains(e.target)) close();
  });
  document.addEventListener("focusout", function (e) {
    var to = e.relatedTarget;
    if (!current || (to && (to === current || pop.contains(to)))) return;
    if (to) close();            /* focus gone elsewhere on the page (a tap that moves no focus keeps it) */
  });

  document.addEventListener("click", function (e) {
    var a = triggerOf(e.target);
    if (!a) return;
    var touch = e.detail !== 0 && (lastPointer === "touch" || noHover.matches);
    if (!touch) return;                                        /* mouse and keyboard follow the link */
    if (openAtDown && downOn === a) return;                    /* a second tap follows it */
    if (a.hasAttribute("data-preview") && failed) return;      /* no previews file: the link leads to the entry */
    e.preventDefault();
    open(a);
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !current) return;
    var back = pop.contains(document.activeElement) ? current : null;
    close();
    if (back) { refocusing = true; back.focus({preventScroll: true}); refocusing = false; }
  });
  /* Reposition (never animate) while the page scrolls or the window changes size. */
  var frame = 0;
  function soon() { if (!frame && current) frame = requestAnimationFrame(function () { frame = 0; place(); }); }
  window.addEventListener("scroll", soon, {passive: true, capture: true});
  window.addEventListener("resize", soon);
  window.addEventListener("beforeprint", close);
  window.addEventListener("hashchange", close);
})();

/* Print: the page's full address in each printed page's footer; "Cite this page" printed open; and a
   handout (in brief, at a glance, the key figure, the questions and their sources) from the button under the
   page or from the address with ?handout, which teachers can link to. */
(function () {
  var footer = document.getElementById("print-footer");
  if (footer && /^https?:$/.test(location.protocol)) {
    var here = (location.origin + location.pathname).replace(/["\\\n]/g, "");
    footer.textContent = footer.textContent.replace(/content: "[^"]*";/, 'content: "' + here + '";');
  }
  var cite = document.querySelector("details.cite-page"), wasOpen = false;
  window.addEventListener("beforeprint", function () { if (cite) { wasOpen = cite.open; cite.open = true; } });
  window.addEventListener("afterprint", function () { if (cite) cite.open = wasOpen; });

  var article = document.querySelector("article.md-content__inner");
  var offer = document.querySelector(".handout-offer");
  if (!article || !offer || !article.querySelector("h2#in-brief")) return;
  var KEEP = {"in-brief": 1, "at-a-glance": 1, "for-teachers": 1, "sources": 1};

  function mark() {
    var keeping = true, figure = false, cited = {};
    Array.prototype.forEach.call(article.children, function (el) {
      if (el.tagName === "H2") {
        keeping = !!KEEP[el.id];
        var next = el.nextElementSibling;          /* the first section that opens with a figure: the key figure */
        if (!keeping && !figure && next && next.classList.contains("fig-block")) keeping = figure = true;
      }
      if (el.classList.contains("page-meta")) keeping = true;
      el.classList.toggle("handout-skip", !keeping);
      if (keeping && el.id !== "sources") el.querySelectorAll("sup.cite > a").forEach(function (a) {
        cited[decodeURIComponent(a.getAttribute("href").slice(1)).split("--")[0]] = 1;
      });
    });
    article.querySelectorAll("ol.sources > li").forEach(function (li) { li.classList.toggle("handout-skip", !cited[li.id]); });
  }
  function handout(on) {
    if (on) mark();
    document.documentElement.classList.toggle("handout", on);
  }
  offer.hidden = false;
  offer.querySelector("button").addEventListener("click", function () {
    handout(true);
    window.addEventListener("afterprint", function done() { handout(false); window.removeEventListener("afterprint", done); });
    window.print();
  });
  if (/(^\?|&)handout(=|&|$)/.test(location.search)) {
    handout(true);
    var note = document.createElement("p");
    note.className = "handout-note";
    var full = document.createElement("a");
    full.href = location.pathname; full.textContent = "the whole page";
    note.append("Handout: in brief, at a glance, the key figure and the questions. Print it, or read ", full, ".");
    article.insertBefore(note, article.firstElementChild.nextSibling);
  }
})();

/* Glossary filter: entries whose term, other names or definition contain every word typed; letters without
   a match are hidden with their heading. */
(function () {
  var box = document.getElementById("gl-filter");
  if (!box) return;
  var bar = box.parentNode, output = bar.querySelector("output");
  var entries = Array.prototype.map.call(document.querySelectorAll(".gl-entry"), function (el) {
    return {el: el, text: el.textContent.toLowerCase(), group: el.parentNode};
  });
  var groups = Array.prototype.slice.call(document.querySelectorAll(".glossary"));
  bar.hidden = false;
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
    entries.forEach(function (e) {
      var match = words.every(function (w) { return e.text.indexOf(w) >= 0; });
      if (e.el.hidden === match) e.el.hidden = !match;
      if (match) shown++;
    });
    groups.forEach(function (g) {
      var any = !!g.querySelector(".gl-entry:not([hidden])");
      g.hidden = !any;
      var h = g.previousElementSibling;
      if (h && h.tagName === "H2") h.hidden = !any;
    });
    output.textContent = words.length ? shown + " of " + entries.length + " terms" : "";
  }
  box.addEventListener("input", apply);
})();

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
