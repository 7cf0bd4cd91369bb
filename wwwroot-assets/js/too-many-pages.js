// When the server refuses this page's live session because its address has too many open (429 from the circuit cap,
// at negotiation or on the transport), say so in words (the hidden #lb-too-many-pages) instead of leaving a page that
// silently stays still. Loaded before blazor.web.js, so SignalR's fetch is this one.
(() => {
    "use strict";
    const original = window.fetch;
    if (!original) return;
    const isCircuit = input => {
        try {
            const url = new URL(typeof input === "string" ? input : input.url, location.href);
            return url.origin === location.origin && (url.pathname === "/_blazor" || url.pathname.startsWith("/_blazor/"));
        } catch {
            return false;
        }
    };
    window.fetch = async function (input, init) {
        const response = await original.call(this, input, init);
        if (response.status === 429 && isCircuit(input)) {
            const banner = document.getElementById("lb-too-many-pages");
            if (banner) banner.hidden = false;
        }
        return response;
    };
})();
