import { vi } from 'vitest';
import { setFetch } from '../api/client';

export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Reply = { status?: number; body?: unknown; headers?: Record<string, string> } | Error;
type Handler = (call: Call) => Reply | Promise<Reply>;

export function ok(data: unknown, extra: Record<string, unknown> = {}) {
  return { status: 200, body: { success: true, data, ...extra } };
}

export function fail(status: number, code: string, message: string, details: { field: string; message: string }[] = [], data?: unknown) {
  return { status, body: { success: false, error: { code, message, details }, requestId: 'req-1', ...(data ? { data } : {}) } };
}

/** Installs a fake fetch: routes "METHOD /path" (without query) to handlers; records every call. */
export function mockApi(routes: Record<string, Handler | Reply>) {
  const calls: Call[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const call: Call = { method, url, headers, body: init?.body ? JSON.parse(String(init.body)) : undefined };
    calls.push(call);
    const path = url.split('?')[0];
    const route = routes[`${method} ${path}`];
    if (!route) return new Response(JSON.stringify({ success: false, error: { code: 'NOT_FOUND', message: `no mock for ${method} ${path}` } }), { status: 404 });
    const reply = typeof route === 'function' ? await route(call) : route;
    if (reply instanceof Error) throw reply;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'Content-Type': 'application/json', ...(reply.headers ?? {}) },
    });
  });
  setFetch(fn as unknown as typeof fetch);
  return { calls, fn };
}
