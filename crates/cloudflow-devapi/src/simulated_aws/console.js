// The simulated CloudFormation console (cloudflow-devapi --simulated-aws): fills the
// quick-create form from the link's fragment, as AWS's console does:
//   #/stacks/quickcreate?templateURL=<url>&stackName=<name>&param_<Name>=<value>&...
// Values are percent-encoded; a "+" stays a "+" (role names and external IDs may hold it).
// Served as a file (the page's Content-Security-Policy allows no inline script).
"use strict";
(function () {
  function decode(text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {
      return text;
    }
  }

  function set(id, value) {
    var field = document.getElementById(id);
    if (field) {
      field.value = value;
    }
  }

  function fill() {
    var hash = window.location.hash || "";
    var start = hash.indexOf("?");
    if (start < 0) {
      return;
    }
    var pairs = hash.slice(start + 1).split("&");
    for (var i = 0; i < pairs.length; i++) {
      if (!pairs[i]) {
        continue;
      }
      var eq = pairs[i].indexOf("=");
      var key = decode(eq < 0 ? pairs[i] : pairs[i].slice(0, eq));
      var value = eq < 0 ? "" : decode(pairs[i].slice(eq + 1));
      if (key === "templateURL" || key === "templateUrl") {
        set("templateURL", value);
        var shown = document.getElementById("template-url-text");
        if (shown) {
          shown.textContent = value || "(none)";
        }
      } else if (key === "stackName") {
        set("stackName", value);
      } else if (key.indexOf("param_") === 0) {
        set("param-" + key.slice("param_".length), value);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fill);
  } else {
    fill();
  }
  window.addEventListener("hashchange", fill);
})();
