// The document's accessibility behaviour on every page (WCAG 2.1 AA), loaded by kansrijke/web/pages.py
// (label_document); same origin, no requests. Streamlit offers no setting for any of these.
// No "<" followed by a letter or "/" anywhere in this file: Streamlit's sanitiser (DOMPurify) drops such a script.
(() => {
  const d = document;
  d.documentElement.lang = "nl"; // 3.1.1: the page is Dutch (Streamlit writes lang="en")
  if (window.ksDocument) return; // once per browser tab: the rules below live across reruns
  window.ksDocument = true;

  // 1.1.1: Markdown icons (":material/...:") are read out as "trending_down icon"; the word beside them says it.
  const quietIcons = () => {
    for (const icon of d.querySelectorAll('span[role="img"][aria-label$=" icon"]')) {
      icon.removeAttribute("role");
      icon.removeAttribute("aria-label");
      icon.setAttribute("aria-hidden", "true");
    }
  };

  // 3.1.1: Streamlit's own English words in its widgets ("Choose an option", "Upload", "Help for Gemeente") in
  // Dutch, from the message catalogue (window.ksWords, written by kansrijke/web/pages.py before this script).
  const words = window.ksWords || { exact: {}, parts: {}, help_for: "", per_file: "" };
  const dutch = (value) => {
    if (words.exact[value]) return words.exact[value];
    if (value.startsWith("Help for ") && words.help_for) return words.help_for.replace("{label}", value.slice(9));
    const limit = /^(\d+)MB per file(.*)$/.exec(value);
    if (limit && words.per_file) return words.per_file.replace("{size}", limit[1]) + limit[2];
    let parts = value;
    for (const [english, done] of Object.entries(words.parts)) parts = parts.split(english).join(done);
    return parts !== value ? parts : null;
  };
  const translate = () => {
    for (const el of d.querySelectorAll("[aria-label], [placeholder], [title]")) {
      for (const name of ["aria-label", "placeholder", "title"]) {
        const value = el.getAttribute(name);
        const done = value && dutch(value);
        if (done) el.setAttribute(name, done);
      }
    }
    for (const box of d.querySelectorAll('[data-testid="stFileUploaderDropzone"]')) {
      const walker = d.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const node = walker.currentNode;
        const done = dutch(node.nodeValue.trim());
        if (done) node.nodeValue = done;
      }
    }
  };

  // 2.4.3: after moving to another page, or after a dialog closed with focus inside it, focus goes to the
  // page's h1 (instead of dropping to the body), so keyboard and screen-reader users start at the top.
  const toHeading = () => {
    const heading = d.querySelector('[data-testid="stMain"] h1');
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  };
  let path = location.pathname;
  let moved = false; // the address changed: focus the h1 once the new page has run
  let ran = false;
  let dialogOpen = false;
  const watch = () => {
    quietIcons();
    translate();
    const app = d.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute("data-test-script-state");
    if (location.pathname !== path) {
      path = location.pathname;
      moved = true;
      ran = false;
    }
    if (state === "running") ran = true;
    if (moved && ran && state === "notRunning") {
      moved = false;
      toHeading();
    }
    const open = !!d.querySelector('[role="dialog"]');
    if (dialogOpen && !open && (!d.activeElement || d.activeElement === d.body)) toHeading();
    dialogOpen = open;
  };
  new MutationObserver(watch).observe(d.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-test-script-state"],
  });
  watch();

  // 3.2.2: Escape typed in a field of a dialog never closes the dialog, so what was typed stays (an open list
  // still closes itself: Streamlit keeps the dialog then). Escape elsewhere in the dialog, or its close button,
  // still closes it. Caught first (window, capture phase), before Streamlit's own handler.
  window.addEventListener(
    "keydown",
    (event) => {
      const target = event.target;
      if (event.key !== "Escape" || !target.closest || !target.closest('[role="dialog"]')) return;
      if (!target.matches('input, textarea, select, [role="combobox"]')) return;
      if (target.getAttribute("aria-expanded") === "true") return;
      event.stopImmediatePropagation();
    },
    true,
  );
})();
