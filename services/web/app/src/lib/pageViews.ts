import { api } from '../api/client';
import { newId } from './format';

/**
 * Page views for analytics (sessions, and so conversion): an anonymous session id kept in this
 * browser's localStorage, views batched and sent every few seconds. Best effort: a failed send is
 * dropped, never retried into a growing queue, and never shown to the shopper.
 */
const KEY = 'storefront.analyticsSession';
const MAX_QUEUE = 50;
let queue: { id: string; type: 'page_view'; path: string; sessionId: string; occurredAt: string }[] = [];
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

export function trackPageView(path: string) {
  if (import.meta.env.MODE === 'test') return;
  if (queue.length >= MAX_QUEUE) return;
  queue.push({ id: newId(), type: 'page_view', path: path.slice(0, 500) || '/', sessionId: sessionId(), occurredAt: new Date().toISOString() });
  if (!timer) timer = setTimeout(flush, 3_000);
}
