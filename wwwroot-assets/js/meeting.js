// The presenter's keys on the review meeting page: arrows, space and PageUp/PageDown (what a presentation clicker sends).
// Listens on the whole document so the presenter never has to click into the page first; typing in a field is left alone.
const next = new Set(['ArrowRight', 'ArrowDown', ' ', 'PageDown']);
const previous = new Set(['ArrowLeft', 'ArrowUp', 'PageUp']);

export function listen(page) {
  const handler = (e) => {
    if (e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable]')) return;
    const step = next.has(e.key) ? 1 : previous.has(e.key) ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    page.invokeMethodAsync('Step', step);
  };
  document.addEventListener('keydown', handler);
  return { dispose: () => document.removeEventListener('keydown', handler) };
}
