// Inlined into index.html's body by scripts/post-build, right after the two copies of the
// static Setup step (<template id="cf-prerender-en"> and "-ja", inert until used): puts the
// copy in the page's language (<html lang>, set by show.js) into #cf-prerender, before
// anything of it can paint, and drops the other (one copy in the page: their fields share ids).
(function () {
  var d = document;
  var copy = d.getElementById("cf-prerender");
  var wanted = d.getElementById("cf-prerender-" + d.documentElement.lang) || d.getElementById("cf-prerender-en");
  if (copy && wanted) copy.appendChild(wanted.content);
  d.querySelectorAll("template[id^='cf-prerender-']").forEach(function (t) {
    t.remove();
  });
})();
