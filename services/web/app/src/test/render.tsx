import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider } from '../auth/AuthContext';
import { setSession } from '../api/session';
import type { User } from '../api/types';

export const shopper: User = { id: 'u1', name: 'Ann', email: 'ann@x.io', role: 'customer' };
export const admin: User = { id: 'a1', name: 'Admin', email: 'admin@storefront.local', role: 'admin' };

export function loginAs(user: User) {
  setSession({ accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 15 * 60_000, user });
}

function LocationProbe() {
  const loc = useLocation();
  return <div data-testid="location">{loc.pathname + loc.search}</div>;
}

/** Renders a page at a URL inside the app's providers; `path` is the route pattern, `routes` more pages to navigate to. */
export function renderAt(ui: ReactElement, { url, path = '*', routes = [] }: { url: string; path?: string; routes?: { path: string; element: ReactElement }[] }) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[url]}>
        <AuthProvider>
          <Routes>
            <Route path={path} element={ui} />
            {routes.map((r) => (
              <Route key={r.path} path={r.path} element={r.element} />
            ))}
            <Route path="*" element={<div data-testid="elsewhere" />} />
          </Routes>
          <LocationProbe />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}
