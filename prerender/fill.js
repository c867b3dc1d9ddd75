// Inlined into index.html's body by scripts/post-build, right after the static copies of the
// pages (<template id="cf-prerender-setup-en">, "-setup-ja", "-connections-en"…, inert until
// used): puts the copy of the route show.js picked (data-cf-prerender), in the page's
// language (<html lang>), into #cf-prerender before anything of it can paint, and drops the
// others (one copy in the page: their fields share ids).
(function () {
  var d = document;
  var root = d.documentElement;
  var page = root.getAttribute("data-cf-prerender");
  var copy = d.getElementById("cf-prerender");
  var wanted = page && (d.getElementById("cf-prerender-" + page + "-" + root.lang) || d.getElementById("cf-prerender-" + page + "-en"));
  if (copy && wanted) copy.appendChild(wanted.content);
  d.querySelectorAll("template[id^='cf-prerender-']").forEach(function (t) {
    t.remove();
  });
})();
