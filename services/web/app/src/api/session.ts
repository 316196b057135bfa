import type { TokenResponse, User } from './types';

/** What the browser keeps between page loads. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  /** epoch millis when the access token expires */
  expiresAt: number;
  user: User;
}

const KEY = 'storefront.session';
type Listener = (s: Session | null) => void;

let current: Session | null = load();
const listeners = new Set<Listener>();

function load(): Session | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return s && s.refreshToken && s.user ? s : null;
  } catch {
    return null;
  }
}

export function getSession(): Session | null {
  return current;
}

export function setSession(s: Session | null): void {
  current = s;
  try {
    if (s) globalThis.localStorage?.setItem(KEY, JSON.stringify(s));
    else globalThis.localStorage?.removeItem(KEY);
  } catch {
    /* storage unavailable: keep in memory */
  }
  listeners.forEach((l) => l(s));
}

export function sessionFromTokens(t: TokenResponse, now = Date.now()): Session {
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    expiresAt: now + Math.max(0, Number(t.expiresIn) || 0) * 1000,
    user: t.user,
  };
}

export function subscribeSession(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Re-read storage (another tab logged in or out). */
export function reloadSession(): void {
  const s = load();
  current = s;
  listeners.forEach((l) => l(s));
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === KEY) reloadSession();
  });
}
