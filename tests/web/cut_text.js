// Text cut off by a box that hides what does not fit (WCAG 1.4.10): every visible text node of the page
// measured against its first ancestor with overflow hidden or clip (text in a box that scrolls is reachable); charts,
// tables and hidden text are left out.
// Returns the start of each cut text. Used by tests/web/test_browser_audit.py.
() => {
  const cut = [];
  const main = document.querySelector('[data-testid="stMain"]');
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.offsetParent === null) continue;
    if (el.closest('.js-plotly-plot, [data-testid="stDataFrame"], svg, [aria-hidden="true"]')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (!r.width) continue;
    for (let a = el; a && a !== main; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === "auto" || s.overflowX === "scroll") break; // scrolls: reachable, not cut
      if (s.overflowX === "hidden" || s.overflowX === "clip") {
        const box = a.getBoundingClientRect();
        if (r.right > box.right + 1 || r.left < box.left - 1) cut.push(text.slice(0, 60));
        break;
      }
    }
  }
  return cut;
}
