// The menu button below md is a Blazor handler, which does nothing on the pages that never get a circuit (sign-in,
// scoring). There this opens and closes the drawer by MudBlazor's own classes; where the page is live, Blazor keeps
// the job. A drawer rendered without a circuit carries "--initial", which MudBlazor's CSS hides below md.
(() => {
    const phone = window.matchMedia('(max-width: 959px)');
    const live = () => document.querySelector('main[data-interactive=true]') !== null;
    const drawer = () => document.querySelector('.mud-drawer[data-testid=menu]');
    const button = () => document.querySelector('[data-testid=menu-toggle]');

    function isOpen(d) {
        return d.classList.contains('mud-drawer--open') && !(phone.matches && d.classList.contains('mud-drawer--initial'));
    }

    // The dimmed page behind the open drawer, as MudDrawer's overlay on the live pages: a tap on it closes the menu.
    // Made when first needed, and again if a navigation took it away with the page's old elements.
    function backdrop() {
        let o = document.querySelector('.lb-menu-backdrop');
        if (!o) {
            o = document.createElement('div');
            o.className = 'lb-menu-backdrop';
            o.dataset.testid = 'menu-backdrop';
            o.hidden = true;
            o.addEventListener('click', () => show(false));
            document.body.appendChild(o);
        }
        return o;
    }

    function show(open) {
        const d = drawer(), b = button();
        if (!d || !b) return;
        d.classList.remove('mud-drawer--initial');
        d.classList.toggle('mud-drawer--open', open);
        d.classList.toggle('mud-drawer--closed', !open);
        b.setAttribute('aria-expanded', open ? 'true' : 'false');
        backdrop().hidden = !(open && phone.matches);
    }

    // The server renders the drawer docked (aria-expanded true); on a phone it is hidden until the button opens it.
    function sync() {
        const d = drawer(), b = button();
        if (d && b && !live()) b.setAttribute('aria-expanded', isOpen(d) ? 'true' : 'false');
        const o = document.querySelector('.lb-menu-backdrop');
        if (o) o.hidden = live() || !d || !isOpen(d) || !phone.matches;
    }

    // Delegated: enhanced navigation replaces the elements, not the document.
    document.addEventListener('click', e => {
        if (live() || !e.target.closest('[data-testid=menu-toggle]')) return;
        const d = drawer();
        if (d) show(!isOpen(d));
    });
    document.addEventListener('keydown', e => {
        const d = drawer();
        if (e.key !== 'Escape' || live() || !d || !isOpen(d) || !phone.matches) return;
        show(false);
        button()?.focus();
    });
    sync();
    phone.addEventListener('change', sync);
    document.addEventListener('DOMContentLoaded', sync);
    window.Blazor?.addEventListener?.('enhancedload', sync);
})();
