// The static Setup step's markup from a live DOM (run in the page with page.evaluate):
// the subtree's HTML with the fields' current values as attributes, no comments
// (Leptos's position markers), no whitespace between tags, and every button disabled
// and no link a target (the copy's buttons and links do nothing until the app takes
// over; the app's hrefs carry the base path, which the copy cannot know), and no style
// attribute (the CSP refuses inline styles in markup; the app sets them through the
// CSSOM, which it allows; prerender.spec.ts's pixel comparison catches a visible one). Used by scripts/prerender
// to write prerender/setup.html and by prerender.spec.ts to compare the copy with the app.
export function serializeSetup(selector) {
  const root = document.querySelector(selector);
  const copy = root.cloneNode(true);
  const live = root.querySelectorAll("input, textarea, select");
  const copied = copy.querySelectorAll("input, textarea, select");
  live.forEach((el, i) => {
    const c = copied[i];
    if (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio")) {
      c.toggleAttribute("checked", el.checked);
    } else if (el instanceof HTMLInputElement) {
      if (el.value) c.setAttribute("value", el.value);
      else c.removeAttribute("value");
    } else if (el instanceof HTMLTextAreaElement) {
      c.textContent = el.value;
    }
  });
  copy.querySelectorAll("button").forEach((b) => b.setAttribute("disabled", ""));
  copy.querySelectorAll("[style]").forEach((el) => el.removeAttribute("style"));
  copy.querySelectorAll("a[href]").forEach((a) => a.removeAttribute("href"));
  copy.querySelectorAll("script").forEach((s) => s.remove());
  const walker = document.createTreeWalker(copy, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((c) => c.remove());
  // The copies in index.html other than Setup's English one carry their ids with a prefix
  // (scripts/post-build: ids are unique in the page); the markup compared is without it.
  return copy.innerHTML.replace(/>\s+</g, "><").replace(/cfc-[a-z]+-[a-z]+--/g, "").trim();
}
