// Wall-display runtime: starts Blazor with a reconnect policy that never gives up, reloads (guarded) when the
// server no longer knows the circuit, scales the 1920×1080 canvas to the window, shows a stale-data banner,
// slides ranking rows to their new place (FLIP) and scrolls boards longer than the screen.
(() => {
    "use strict";
    const strip = document.getElementById("components-reconnect-modal");
    const RELOADS = "lb-display-reloads";

    // The display key leaves the address bar (and so screenshots, bookmarks of passers-by, proxy logs of reloads): the
    // server answered this page with the key in HttpOnly cookies for this screen's path and its circuit, and the page
    // carries it into its circuit, so a reload and a reconnect open the screen without it. (Only wall screens: the
    // meeting room's ?key= is a room key, kept in its address.)
    if (location.pathname.startsWith("/display/")) {
        const url = new URL(location.href);
        if (url.searchParams.has("key")) {
            url.searchParams.delete("key");
            history.replaceState(history.state, "", url.pathname + url.search + url.hash);
        }
    }

    // 1 s, 1.5 s, 2.25 s … capped at 5 s: a restarted server is found within seconds, a long outage costs little.
    const retryInterval = previousAttempts => Math.min(5000, 1000 * Math.pow(1.5, previousAttempts));

    Blazor.start({
        circuit: {
            reconnectionOptions: { maxRetries: 1000000000, retryIntervalMilliseconds: retryInterval },
        },
    });

    function lastUpdated() {
        const el = document.querySelector("[data-updated-time]");
        return el ? el.getAttribute("data-updated-time") : "";
    }

    // Called by the display page: its heartbeat reports the window size ("1920x1080": a string, which every circuit
    // already reads, not an array of numbers, whose JSON metadata each wall's circuit would build for itself); an
    // organiser can reload it remotely.
    window.lbDisplay = {
        size: () => window.innerWidth + "x" + window.innerHeight,
        reload: () => guardedReload("remote"),
    };

    const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

    // Reload only when the server answers (a reload against a dead server would leave an error page on the wall),
    // and back off when reloads repeat: three in two minutes means something is wrong; wait longer each time.
    let reloading = false;
    async function guardedReload(reason) {
        if (reloading) return;
        reloading = true;
        // Why the page reloaded, for whoever looks at the wall's browser afterwards (and the browser tests).
        try { sessionStorage.setItem("lb-display-reload-reason", reason || "unknown"); } catch { }
        for (let attempt = 0; ; attempt++) {
            try {
                const r = await fetch("healthz", { cache: "no-store" });
                if (r.ok) break;
            } catch { /* server still down */ }
            await sleep(retryInterval(attempt));
        }
        const now = Date.now();
        let recent = [];
        try { recent = JSON.parse(sessionStorage.getItem(RELOADS) || "[]").filter(t => now - t < 120000); } catch { }
        if (recent.length >= 3) await sleep(Math.min(300000, 15000 * Math.pow(2, recent.length - 3)));
        recent.push(Date.now());
        try { sessionStorage.setItem(RELOADS, JSON.stringify(recent)); } catch { }
        location.reload();
    }

    // "failed" should not happen with the retry count above; if it does, keep trying on our own.
    async function retryForever() {
        for (let attempt = 0; ; attempt++) {
            await sleep(retryInterval(attempt));
            try {
                if (await Blazor.reconnect()) return;
                return guardedReload("rejected");
            } catch { /* not reachable yet */ }
        }
    }

    if (strip) {
        strip.addEventListener("components-reconnect-state-changed", e => {
            const state = e.detail.state;
            const updated = strip.querySelector(".lb-reconnect-updated");
            if (updated) updated.textContent = lastUpdated() ? "· " + lastUpdated() : "";
            document.body.classList.toggle("lb-reconnecting", state === "show" || state === "retrying" || state === "failed");
            if (state === "show" || state === "retrying") watchServer();
            if (state === "rejected" || state === "resume-failed") guardedReload("rejected");
            else if (state === "failed") retryForever();
            else if (state === "paused") Blazor.resumeCircuit().then(ok => { if (!ok) guardedReload("rejected"); }, () => guardedReload("rejected"));
        });
    }

    // While the connection is down, ask which run of the server answers. Another run than the one that rendered this
    // page (a restart, or the other instance behind the proxy after this one died) has no circuit for us: reload as
    // soon as it answers, rather than when Blazor's next reconnect attempt (up to 5 s later, then queued behind every
    // other screen reconnecting) is refused. The same run: a network blip, Blazor's reconnect brings the circuit back.
    // Each wall asks about once a second, jittered, so a room full of screens does not ask in step.
    let watching = false;
    async function watchServer() {
        const mine = document.body.getAttribute("data-server-instance");
        if (watching || !mine) return;
        watching = true;
        try {
            while (!reloading && strip && document.body.classList.contains("lb-reconnecting")) {
                await sleep(500 + Math.random() * 1000);
                try {
                    const r = await fetch("healthz/live", { cache: "no-store" });
                    const instance = r.ok ? (await r.json()).instance : null;
                    if (instance && instance !== mine) return guardedReload("new-server");
                } catch { /* not answering yet */ }
            }
        } finally {
            watching = false;
        }
    }

    // Fit the fixed design canvas into the window, letterboxed. Text is laid out at 1920×1080 and rasterised at
    // the final scale, so it stays crisp on a 4K panel.
    function fit() {
        const scale = Math.min(window.innerWidth / 1920, window.innerHeight / 1080);
        document.documentElement.style.setProperty("--lb-scale", String(scale));
    }
    window.addEventListener("resize", fit);
    fit();

    // Campaign-zone time from the server's last heartbeat (epoch seconds) moved on by the time since: the wall keeps the
    // city's time even when the PC's own clock or zone is wrong.
    const pad = n => String(n).padStart(2, "0");
    function zoned(ms, offsetMinutes) {
        const d = new Date(ms + offsetMinutes * 60000);
        return { hh: pad(d.getUTCHours()), mm: pad(d.getUTCMinutes()), ss: pad(d.getUTCSeconds()) };
    }
    // Text is changed in place (the node Blazor rendered), so the next render from the server still lands.
    function setText(el, text) {
        if (el && el.firstChild && el.firstChild.nodeType === Node.TEXT_NODE && el.firstChild.nodeValue !== text) el.firstChild.nodeValue = text;
    }

    // Stale data: the clock's heartbeat changes every second while the server is talking to us.
    let beat = null, beatAt = Date.now();
    setInterval(() => {
        const stage = document.querySelector("[data-stale-after]");
        const el = document.querySelector("[data-heartbeat]");
        const value = el ? el.getAttribute("data-heartbeat") : null;
        if (value !== beat) { beat = value; beatAt = Date.now(); }
        const limit = 1000 * Number(stage ? stage.getAttribute("data-stale-after") : 60);
        const silent = Date.now() - beatAt;
        const offset = Number(el ? el.getAttribute("data-utc-offset") : 0) || 0;
        const serverNow = 1000 * Number(beat) + silent;
        // The server ticks the clock every second; when it falls silent the clock goes on here.
        if (el && beat !== null && silent > 1500) {
            const t = zoned(serverNow, offset);
            setText(el, `${t.hh}:${t.mm}:${t.ss}`);
        }
        const stale = silent > limit;
        const banner = document.querySelector("[data-testid=stale-banner][data-template]");
        const updated = document.querySelector("[data-updated-at]");
        if (stale && banner && updated && beat !== null) {
            const at = Number(updated.getAttribute("data-updated-at"));
            const t = zoned(at, offset);
            const minutes = Math.max(0, Math.floor((serverNow - at) / 60000));
            setText(banner, banner.getAttribute("data-template").replace("{0}", `${t.hh}:${t.mm}`).replace("{1}", String(minutes)));
        }
        document.body.classList.toggle("lb-stale", stale);
        // Silent for twice the limit although the server may be up (a circuit that died of an error shows no
        // reconnect state): start over, once the server answers. While the connection is being re-established the
        // server watch above decides instead.
        if (silent > 2 * limit && !watching) guardedReload("silent");
    }, 1000);

    // FLIP: remember each keyed row's layout position; after Blazor moves rows, play the move from old to new.
    const positions = new WeakMap();
    function record(list) {
        const map = new Map();
        for (const row of list.querySelectorAll(":scope > [data-flip-key]")) map.set(row.getAttribute("data-flip-key"), row.offsetTop);
        positions.set(list, map);
        return map;
    }
    const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
    function flip() {
        if (reducedMotion.matches) return;
        for (const list of document.querySelectorAll("[data-flip]")) {
            const before = positions.get(list);
            const after = record(list);
            if (!before) continue;
            for (const row of list.querySelectorAll(":scope > [data-flip-key]")) {
                const old = before.get(row.getAttribute("data-flip-key"));
                const dy = old === undefined ? 0 : old - after.get(row.getAttribute("data-flip-key"));
                if (dy !== 0 && row.animate) {
                    row.animate([{ transform: `translateY(${dy}px)` }, { transform: "translateY(0)" }],
                        { duration: 800, easing: "cubic-bezier(.2,.8,.2,1)" });
                }
            }
        }
    }
    // Mutation callbacks run before the browser paints Blazor's batch, so rows never flash in their new place.
    new MutationObserver(flip).observe(document.body, { childList: true, subtree: true });

    // Boards longer than their box scroll slowly, pause at the end and start again from the top.
    const pauseUntil = new WeakMap();
    setInterval(() => {
        for (const box of document.querySelectorAll("[data-autoscroll]")) {
            if (box.scrollHeight <= box.clientHeight + 2) continue;
            const until = pauseUntil.get(box) || 0;
            if (Date.now() < until) continue;
            if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) {
                pauseUntil.set(box, Date.now() + 3000);
                setTimeout(() => { box.scrollTop = 0; pauseUntil.set(box, Date.now() + 3000); }, 3000);
            } else {
                box.scrollTop += 1;
            }
        }
    }, 50);
})();
