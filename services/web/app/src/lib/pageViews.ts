import { api } from '../api/client';
import { newId } from './format';

/**
 * Page views for analytics (sessions, and so conversion) and searches (the dashboard's top and
 * zero-result queries): an anonymous session id kept in this browser's localStorage, events batched
 * and sent every few seconds. Best effort: a failed send is dropped, never retried into a growing
 * queue, and never shown to the shopper.
 *
 * Searches are reported from here because the shop searches through /api/search now; catalog reports
 * only the searches made on its own GET /api/products?q=.
 */
const KEY = 'storefront.analyticsSession';
const MAX_QUEUE = 50;
type QueuedEvent =
  | { id: string; type: 'page_view'; path: string; sessionId: string; occurredAt: string }
  | { id: string; type: 'product_search'; query: string; resultCount: number; sessionId: string; occurredAt: string };
let queue: QueuedEvent[] = [];
let timer: ReturnType<typeof setTimeout> | null = null;

function sessionId(): string {
  try {
    let id = localStorage.getItem(KEY);
    if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
      id = newId();
      localStorage.setItem(KEY, id);
    }
    return id;
  } catch {
    return 'no-storage-session';
  }
}

function flush() {
  timer = null;
  const events = queue;
  queue = [];
  if (events.length > 0) api.post('/analytics/events', { events }).catch(() => undefined);
}

function enqueue(event: QueuedEvent) {
  if (queue.length >= MAX_QUEUE) return;
  queue.push(event);
  if (!timer) timer = setTimeout(flush, 3_000);
}

export function trackPageView(path: string) {
  if (import.meta.env.MODE === 'test') return;
  enqueue({ id: newId(), type: 'page_view', path: path.slice(0, 500) || '/', sessionId: sessionId(), occurredAt: new Date().toISOString() });
}

/** One search the shopper made (its first page), with how many products it found. */
export function trackSearch(query: string, resultCount: number) {
  if (import.meta.env.MODE === 'test') return;
  const q = query.trim().slice(0, 200); // analytics takes at most 200 characters, as search does
  if (!q) return;
  enqueue({ id: newId(), type: 'product_search', query: q, resultCount: Math.max(0, Math.min(1_000_000, Math.round(resultCount))), sessionId: sessionId(), occurredAt: new Date().toISOString() });
}
