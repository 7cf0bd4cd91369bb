// The observer's offline-capable scoring page (/score). No Blazor circuit: plain fetch against /api/v1 with a bearer token.
// Every sheet entered gets one Idempotency-Key when it is entered; it waits in localStorage (the "outbox") until the server
// answers. Resends happen on the browser's "online" event, on a timer and on page load; the key makes any resend after a lost
// answer return the first result without writing again, so each entry is recorded exactly once.
(() => {
  'use strict';
  const root = document.getElementById('lb-score');
  if (!root) return;
  const T = JSON.parse(root.dataset.strings);
  const retryMs = Number(root.dataset.retryMs) || 10000;
  const STORE = { token: 'liveboard.score.token', outbox: 'liveboard.score.outbox', sent: 'liveboard.score.sent', sites: 'liveboard.score.sites', signOut: 'liveboard.score.signout' };
  const $ = (id) => root.querySelector(`[data-testid=${id}]`);
  const load = (k, fallback) => { try { return JSON.parse(localStorage.getItem(k)) ?? fallback; } catch { return fallback; } };
  const save = (k, v) => localStorage.setItem(k, JSON.stringify(v));
  const format = (s, ...args) => s.replace(/\{(\d)\}/g, (_, i) => args[i] ?? '');

  // crypto.randomUUID needs a secure context (HTTPS); getRandomValues works on plain HTTP in a district office too.
  const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

  let flushing = false;
  let sessionExpired = false;

  const token = () => load(STORE.token, null);
  const outbox = () => load(STORE.outbox, []);
  const sent = () => load(STORE.sent, {});

  function showConnection() {
    const c = $('connection');
    c.textContent = navigator.onLine ? T.Score_Online : T.Score_Offline;
    c.dataset.online = navigator.onLine ? 'true' : 'false';
  }

  function message(text) {
    const m = $('score-message');
    m.textContent = text || '';
    m.hidden = !text;
  }

  async function api(path, options = {}) {
    const t = token();
    const headers = { ...(options.headers || {}) };
    if (t) headers.Authorization = `Bearer ${t.accessToken}`;
    if (options.body) headers['Content-Type'] = 'application/json';
    return fetch(path, { ...options, headers, cache: 'no-store' });
  }

  function forgetToken() {
    localStorage.removeItem(STORE.token);
    localStorage.removeItem(STORE.sites);
    // Unsent sheets stay: they belong to the observer who entered them and go out after the next sign-in.
  }

  // The page's sign-out is the site's (a form post that ends the cookie); the page's own token goes with it. Offline
  // the post cannot go out: the page forgets its token now and posts the sign-out at its next start online.
  function signOut(event) {
    forgetToken();
    if (navigator.onLine) return;
    event.preventDefault();
    save(STORE.signOut, true);
    render();
  }

  async function loadSites() {
    try {
      const me = await api('/api/v1/inspection/me');
      if (me.status === 401) { sessionExpired = true; return; }
      const who = await me.json();
      const r = await api(`/api/v1/sites?day=${encodeURIComponent(who.today)}&group=${encodeURIComponent(who.group || '')}`);
      if (!r.ok) return;
      save(STORE.sites, { user: who.user, maxPoints: who.maxPoints || {}, sites: await r.json() });
    } catch {
      // Offline: the sites cached at the last successful load are shown.
    }
  }

  function stateOf(siteId) {
    const waiting = outbox().find((e) => e.site === siteId);
    if (waiting) return { state: 'waiting', text: T.Score_Waiting };
    const s = sent()[siteId];
    if (!s) return { state: 'none', text: '' };
    if (s.refused) return { state: 'refused', text: format(T.Score_Refused, s.refused) };
    return { state: 'sent', text: `${T.Score_Sent} · ${T.Score_Total} ${s.total}` };
  }

  function render() {
    showConnection();
    const t = token();
    $('score-login').hidden = !!t && !sessionExpired;
    $('score-signout').hidden = !t;
    $('score-user').textContent = t ? format(T.Score_SignedInAs, t.user) : '';
    if (sessionExpired) message(T.Score_SessionExpired);
    const list = $('score-sites');
    const cached = load(STORE.sites, null);
    if (!t || !cached) { list.replaceChildren(); return; }
    if (cached.sites.length === 0) { list.textContent = T.Score_NoSites; return; }
    const template = document.getElementById('lb-score-site');
    const cards = cached.sites.map((site) => {
      const existing = list.querySelector(`[data-site="${site.id}"]`);
      const card = existing || template.content.firstElementChild.cloneNode(true);
      if (!existing) {
        card.dataset.site = site.id;
        card.querySelector('.lb-score-site-name').textContent = `${site.order}. ${site.name}`;
        card.querySelector('.lb-score-site-meta').textContent = T[`Status_${site.status}`] || site.status;
        const max = (f) => String(cached.maxPoints[f] ?? 25);
        card.querySelectorAll('[data-max]').forEach((m) => { m.textContent = max(m.dataset.max); });
        card.querySelectorAll('input[type=number]').forEach((i) => { i.max = max(i.name); });
        card.addEventListener('submit', (e) => { e.preventDefault(); enqueue(site.id, card); });
        const waiting = outbox().find((e) => e.site === site.id);
        if (waiting) ['structure', 'efficiency', 'service', 'results', 'gaps', 'highlights'].forEach((f) => { card.elements[f].value = waiting[f] ?? ''; });
      }
      const s = stateOf(site.id);
      const badge = card.querySelector('[data-testid=score-state]');
      badge.dataset.state = s.state;
      badge.textContent = s.text;
      return card;
    });
    // Re-attaching unchanged cards would take the focus (and a phone's keyboard) from the field being typed into.
    if (cards.length !== list.children.length || cards.some((card, i) => list.children[i] !== card)) list.replaceChildren(...cards);
  }

  function enqueue(siteId, form) {
    const num = (f) => Number(form.elements[f].value);
    const entry = {
      key: newKey(), site: siteId,
      structure: num('structure'), efficiency: num('efficiency'), service: num('service'), results: num('results'),
      gaps: form.elements.gaps.value || null, highlights: form.elements.highlights.value || null,
      enteredAt: new Date().toISOString(),
    };
    // A newer entry for the same site replaces one not yet sent: the observer changed their mind before it left the phone.
    save(STORE.outbox, [...outbox().filter((e) => e.site !== siteId), entry]);
    render();
    flush();
  }

  async function flush() {
    if (flushing || !navigator.onLine || !token() || sessionExpired) return;
    flushing = true;
    try {
      for (const entry of outbox()) {
        const { key, enteredAt, ...body } = entry;
        let r;
        try {
          r = await api('/api/v1/scores', { method: 'POST', headers: { 'Idempotency-Key': key }, body: JSON.stringify(body) });
        } catch {
          break; // No connection after all: keep everything, try again later.
        }
        if (r.status === 401) { sessionExpired = true; break; }
        if (r.status === 429 || r.status >= 500) break;
        const answer = await r.json().catch(() => ({}));
        const done = sent();
        if (r.status === 201) done[entry.site] = { total: answer.total, version: answer.version, at: answer.at };
        else done[entry.site] = { refused: answer.title || (answer.errors ? Object.values(answer.errors).flat().join('; ') : String(r.status)) };
        save(STORE.sent, done);
        // Only this entry leaves the outbox: one entered meanwhile for the same site has another key and stays.
        save(STORE.outbox, outbox().filter((e) => e.key !== key));
      }
    } finally {
      flushing = false;
      render();
    }
  }

  // Signed in on the site (the page names the observer): an API token from the sign-in cookie, no second sign-in.
  async function tokenFromSite() {
    const session = document.querySelector('[data-testid=score-site-session]');
    if (!session || !root.dataset.siteUser) return;
    try {
      const r = await fetch(session.action, { method: 'POST', body: new FormData(session), cache: 'no-store' });
      if (!r.ok) return;
      const t = await r.json();
      save(STORE.token, { accessToken: t.accessToken, user: root.dataset.siteUser });
      sessionExpired = false;
    } catch {
      // Offline: the sign-in form stays, as before.
    }
  }

  async function start() {
    // One sign-in with the site: signed out there (the app bar's sign-out, an idle sign-out), signed out here; another
    // account signed in there, that account here. Offline the page (from the worker's cache) cannot know: it keeps its token.
    const siteUser = root.dataset.siteUser || null;
    if (navigator.onLine && load(STORE.signOut, false)) {
      localStorage.removeItem(STORE.signOut);
      if (siteUser) { $('score-signout-form').submit(); return; }
    }
    if (navigator.onLine && token() && token().user !== siteUser) forgetToken();
    if (!token() || sessionExpired) await tokenFromSite();
    render();
    if (token()) await loadSites();
    render();
    await flush();
  }

  // The service worker keeps this page openable offline. It needs a secure context (HTTPS, or 127.0.0.1/localhost);
  // without one the page still works while open, and unsent scores still wait in localStorage.
  async function registerWorker() {
    if (!('serviceWorker' in navigator)) return;
    try {
      await navigator.serviceWorker.register('/score-sw.js', { scope: '/score' });
      const ready = await navigator.serviceWorker.ready;
      // Only the page's own parts (scripts, styles, fonts, images), and only what loaded: cache.addAll fetches each again
      // as a GET and fails whole on one failure. The page's data calls are no parts: the sign-in's token trade
      // (POST /account/token) is listed when it finished before the worker was ready, and cannot be fetched again;
      // the browser's own /favicon.ico is a 404 here.
      const calls = new Set(['fetch', 'xmlhttprequest', 'beacon']);
      const loaded = performance.getEntriesByType('resource').filter((e) => !calls.has(e.initiatorType) && !(e.responseStatus >= 400));
      const urls = [location.pathname, ...loaded.map((e) => e.name)]
        .filter((u) => { const url = new URL(u, location.href); return url.origin === location.origin && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/_blazor'); });
      // One failed request (a phone's connection dropping for a moment, a busy server) fails the whole cache: try again
      // a few times before telling the observer the page will not open offline.
      let outcome = 'failed';
      for (let attempt = 0; attempt < 3 && outcome !== 'cached'; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 2000 * attempt));
        outcome = await cacheIn(ready.active, [...new Set(urls)]);
      }
      if (outcome !== 'cached') root.dataset.offlineError = outcome;
      root.dataset.offlineReady = outcome === 'cached' ? 'true' : 'false';
    } catch (e) {
      root.dataset.offlineError = String(e);
      root.dataset.offlineReady = 'false';
    }
  }

  function cacheIn(worker, urls) {
    const channel = new MessageChannel();
    const done = new Promise((resolve) => { channel.port1.onmessage = (e) => resolve(e.data); });
    worker.postMessage({ type: 'cache', urls }, [channel.port2]);
    return done;
  }

  $('score-signout-form').addEventListener('submit', signOut);
  window.addEventListener('online', () => { showConnection(); flush(); });
  window.addEventListener('offline', showConnection);
  setInterval(flush, retryMs);
  start();
  registerWorker();
})();
