// Inlined into index.html's head by scripts/post-build (its CSP hash is added there).
// Picks the page's language as src/i18n.rs does (the person's choice in this browser, else
// the signed-in person's language remembered from the last visit, else the browser's, else
// English) and sets <html lang>, which picks the static copy in that language (the CSS
// shows one copy: the route's, in the page's language) and the load-failure notice's.
// Shows the route's static copy
// (#cf-prerender, see src/prerender.rs) before the first paint: the Setup step (only in a
// tab without a saved draft: the app restores a draft, which the copy does not know), the
// Connections list's frame or a connection's page's, both loading. If the app's module or wasm fails to load before the app started,
// says so (#cf-load-failed) instead of leaving a blank page or a copy whose buttons never
// come alive.
(function () {
  var root = document.documentElement;
  function known(tag) {
    tag = String(tag || "").toLowerCase().split(/[-_]/)[0];
    return tag === "en" || tag === "ja" ? tag : null;
  }
  var lang = null;
  try {
    lang = known(localStorage.getItem("cloudflow-connect.lang")) || known(localStorage.getItem("cloudflow-connect.user-lang"));
  } catch (e) {
    // No localStorage (blocked): the browser's language.
  }
  var wanted = navigator.languages || [navigator.language];
  for (var i = 0; !lang && i < wanted.length; i++) lang = known(wanted[i]);
  lang = lang || "en";
  root.lang = lang;
  if (lang === "ja") document.title = "AWS 接続を作成 · CloudFlow · DoiT";
  try {
    var path = location.pathname.replace(/\/+$/, "");
    var page = null;
    if (/\/connections\/aws\/new(\/setup)?$/.test(path)) {
      if (!sessionStorage.getItem("cloudflow-connect.draft")) page = "setup";
    } else if (/\/connections$/.test(path)) {
      page = "connections";
    } else if (/\/connections\/aws\/[^/]+$/.test(path) && !/\/new$/.test(path)) {
      page = "details";
    }
    if (page) root.setAttribute("data-cf-prerender", page);
  } catch (e) {
    // No sessionStorage (blocked): the app starts as it would without the copy.
  }
  var started = false;
  addEventListener("TrunkApplicationStarted", function () {
    started = true;
  });
  function failed() {
    var notice = document.getElementById("cf-load-failed");
    if (started || !notice) return;
    var copy = document.getElementById("cf-prerender");
    if (copy) copy.remove();
    root.removeAttribute("data-cf-prerender");
    notice.hidden = false;
  }
  // A script, stylesheet or preload that cannot be fetched (capture: these do not bubble),
  // and the loader's own failure (a rejected top-level await is reported as an error).
  addEventListener("error", function (e) {
    var t = e.target;
    if (t && (t.tagName === "SCRIPT" || t.tagName === "LINK")) failed();
    else if (e.error || e.message) failed();
  }, true);
  addEventListener("unhandledrejection", failed);
})();
