// Inlined into index.html's head by scripts/post-build (its CSP hash is added there).
// Shows the static Setup step (#cf-prerender, see src/prerender.rs) before the first
// paint, on the Setup route only, and only in a tab without a saved draft (the app
// restores a draft, which the static copy does not know).
(function () {
  try {
    var path = location.pathname.replace(/\/+$/, "");
    if (/\/connections\/aws\/new(\/setup)?$/.test(path) && !sessionStorage.getItem("cloudflow-connect.draft")) {
      document.documentElement.setAttribute("data-cf-prerender", "");
    }
  } catch (e) {
    // No sessionStorage (blocked): the app starts as it would without the copy.
  }
})();
