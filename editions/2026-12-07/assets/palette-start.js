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
