import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { getSession, subscribeSession, type Session } from '../api/session';
import { refreshSession } from '../api/client';
import * as ep from '../api/endpoints';
import type { Role, User } from '../api/types';

interface AuthValue {
  user: User | null;
  login: (email: string, password: string) => Promise<User>;
  register: (name: string, email: string, password: string) => Promise<User>;
  logout: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const session = useSyncExternalStore<Session | null>(subscribeSession, getSession, getSession);
  const qc = useQueryClient();
  const user = session?.user ?? null;

  // Silent refresh: renew the access token shortly before it expires while the tab is open.
  useEffect(() => {
    if (!session) return;
    const wait = Math.max(5_000, session.expiresAt - Date.now() - 60_000);
    const t = setTimeout(() => {
      refreshSession().catch(() => {
        /* offline: the next request retries */
      });
    }, wait);
    return () => clearTimeout(t);
  }, [session]);

  // Someone else's data must never show after a change of user.
  const userId = user?.id ?? null;
  const lastUser = useRef(userId);
  useEffect(() => {
    if (lastUser.current === userId) return;
    lastUser.current = userId;
    qc.resetQueries({ predicate: (q) => q.queryKey[0] !== 'catalog' });
  }, [userId, qc]);

  const login = useCallback((e: string, p: string) => ep.login(e, p), []);
  const register = useCallback((n: string, e: string, p: string) => ep.register(n, e, p), []);
  const logout = useCallback(() => ep.logout(), []);
  const hasRole = useCallback((...roles: Role[]) => !!user && roles.includes(user.role), [user]);

  const value = useMemo(() => ({ user, login, register, logout, hasRole }), [user, login, register, logout, hasRole]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const v = useContext(AuthContext);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}
