// Service worker of the offline scoring page (scope /score). It lets the page open again while the phone is offline:
// network first (so a new version and fresh strings arrive whenever there is a connection), the cached copy otherwise.
// The API is never cached: unsent scores live in the page's localStorage outbox, not here.
const CACHE = 'liveboard-score-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// The page lists what its first load fetched (before this worker controlled it) so that all of it is cached.
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'cache') return;
  event.waitUntil(caches.open(CACHE)
    .then((cache) => cache.addAll(event.data.urls))
    .then(() => event.ports[0]?.postMessage('cached'), (e) => event.ports[0]?.postMessage(`failed: ${e}`)));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy));
      }
      return response;
    })
    .catch(() => caches.match(event.request, { ignoreSearch: url.pathname === '/score' })
      .then((cached) => cached || Response.error())));
});
