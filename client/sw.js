// The tablet page's service worker (secure contexts only: HTTPS, or localhost). It keeps the
// page and its files, so a tablet whose Wi-Fi is down, or whose server is unreachable, still
// opens the page on a reload and takes points; the outbox sends them when the server is back.
// The server fills in FILES and VERSION (server/pages/service_worker.py): a new version of any file
// is a new worker, which keeps the new files and drops the old ones.

const FILES = /* FILES */ [];
const VERSION = /* VERSION */ "";
const CACHE = `roundtable-tablet-${VERSION}`;
/** How long the page itself is waited for before the kept copy is shown. */
const NETWORK_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(["/table", ...FILES]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  const old = (key) => key.startsWith("roundtable-tablet-") && key !== CACHE;
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter(old).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === "/table") event.respondWith(page(request));
  else if (FILES.includes(url.pathname)) event.respondWith(kept(url.pathname, request));
});

/** The page from the server when it answers in time (kept for next time), else the kept one. */
async function page(request) {
  const cache = await caches.open(CACHE);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), NETWORK_MS);
  try {
    const response = await fetch(request, { signal: abort.signal });
    if (response.ok) await cache.put("/table", response.clone());
    return response;
  } catch {
    return (await cache.match("/table")) || Response.error();
  } finally {
    clearTimeout(timer);
  }
}

/** A script or stylesheet of this version: the kept copy, else the server's. */
async function kept(path, request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(path)) || fetch(request);
}
