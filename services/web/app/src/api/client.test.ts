import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, buildUrl, refreshSession, setOnSessionExpired } from './client';
import { getSession, setSession } from './session';
import * as ep from './endpoints';
import { fail, mockApi, ok } from '../test/mockApi';

const user = { id: 'u1', name: 'Ann', email: 'ann@x.io', role: 'customer' as const };
async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected a failure');
}

const tokens = (n: number) => ({ accessToken: `at${n}`, refreshToken: `rt${n}`, expiresIn: 900, tokenType: 'Bearer', user });

beforeEach(() => setSession(null));
afterEach(() => setOnSessionExpired(null));

describe('envelope', () => {
  it('unwraps data and pagination', async () => {
    mockApi({ 'GET /api/products': ok([{ id: 'p1' }], { pagination: { page: 2, limit: 1, total: 7 } }) });
    const page = await api.page('/products', { page: 2, q: '', category: undefined });
    expect(page.items).toEqual([{ id: 'p1' }]);
    expect(page.pagination).toEqual({ page: 2, limit: 1, total: 7 });
  });

  it('builds query strings without empty values', () => {
    expect(buildUrl('/products', { q: 'red mug', page: 1, category: '', minPrice: undefined, x: null })).toBe('/api/products?q=red+mug&page=1');
  });

  it('turns an error envelope into an ApiError with the server message and field details', async () => {
    mockApi({
      'POST /api/auth/register': fail(400, 'VALIDATION_FAILED', 'Some fields are invalid', [{ field: 'email', message: 'already registered' }]),
    });
    const err = await failure(api.post('/auth/register', {}));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('Some fields are invalid');
    expect(err.fieldErrors()).toEqual({ email: 'already registered' });
    expect(err.requestId).toBe('req-1');
  });

  it('copes with a non-JSON error (a proxy page)', async () => {
    const fn = vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502 }));
    const { setFetch } = await import('./client');
    setFetch(fn as unknown as typeof fetch);
    const err = await failure(api.get('/cart'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/temporarily unavailable/);
  });

  it('reports a network failure as status 0', async () => {
    mockApi({ 'GET /api/cart': new TypeError('Failed to fetch') });
    const err = await failure(api.get('/cart'));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe('NETWORK');
  });

  it('accepts 204 without a body', async () => {
    mockApi({ 'DELETE /api/cart': { status: 204 } });
    await expect(api.del('/cart')).resolves.toBeUndefined();
  });
});

describe('tokens', () => {
  it('login stores the session and sends the bearer token', async () => {
    const m = mockApi({ 'POST /api/auth/login': ok(tokens(1)), 'GET /api/cart': ok({ items: [] }) });
    await ep.login('ann@x.io', 'password1');
    expect(getSession()?.accessToken).toBe('at1');
    await api.get('/cart');
    expect(m.calls[1].headers.Authorization).toBe('Bearer at1');
    expect(m.calls[0].headers.Authorization).toBeUndefined();
  });

  it('register logs in when it answers the user only', async () => {
    mockApi({ 'POST /api/auth/register': { status: 201, body: { success: true, data: user } }, 'POST /api/auth/login': ok(tokens(1)) });
    await ep.register('Ann', 'ann@x.io', 'password1');
    expect(getSession()?.refreshToken).toBe('rt1');
  });

  it('refreshes silently before an expired access token is used', async () => {
    setSession({ accessToken: 'old', refreshToken: 'rt0', expiresAt: Date.now() - 1000, user });
    const m = mockApi({ 'POST /api/auth/refresh': ok(tokens(2)), 'GET /api/orders': ok([]) });
    await api.get('/orders');
    expect(m.calls.map((c) => `${c.method} ${c.url}`)).toEqual(['POST /api/auth/refresh', 'GET /api/orders']);
    expect(m.calls[0].body).toEqual({ refreshToken: 'rt0' });
    expect(m.calls[1].headers.Authorization).toBe('Bearer at2');
    expect(getSession()?.refreshToken).toBe('rt2');
  });

  it('refreshes once and retries on a 401', async () => {
    setSession({ accessToken: 'revoked', refreshToken: 'rt0', expiresAt: Date.now() + 600_000, user });
    let n = 0;
    const m = mockApi({
      'POST /api/auth/refresh': ok(tokens(3)),
      'GET /api/cart': () => (n++ === 0 ? fail(401, 'UNAUTHENTICATED', 'token expired') : ok({ items: [], total: 0 })),
    });
    await expect(api.get('/cart')).resolves.toEqual({ items: [], total: 0 });
    expect(m.calls.map((c) => c.headers.Authorization ?? c.url)).toEqual(['Bearer revoked', '/api/auth/refresh', 'Bearer at3']);
  });

  it('runs one refresh for concurrent requests (refresh tokens rotate)', async () => {
    setSession({ accessToken: 'old', refreshToken: 'rt0', expiresAt: 0, user });
    const m = mockApi({ 'POST /api/auth/refresh': ok(tokens(4)), 'GET /api/cart': ok({}), 'GET /api/orders': ok([]) });
    await Promise.all([api.get('/cart'), api.get('/orders'), refreshSession()]);
    expect(m.calls.filter((c) => c.url === '/api/auth/refresh')).toHaveLength(1);
  });

  it('drops the session when the refresh token is refused', async () => {
    setSession({ accessToken: 'old', refreshToken: 'spent', expiresAt: 0, user });
    const expired = vi.fn();
    setOnSessionExpired(expired);
    mockApi({ 'POST /api/auth/refresh': fail(401, 'UNAUTHENTICATED', 'refresh token revoked'), 'GET /api/orders': fail(401, 'UNAUTHENTICATED', 'no token') });
    const err = await failure(api.get('/orders'));
    expect(getSession()).toBeNull();
    expect(expired).toHaveBeenCalledOnce();
    expect(err.status).toBe(401);
  });

  it('keeps the session when the refresh fails for a network reason', async () => {
    setSession({ accessToken: 'old', refreshToken: 'rt0', expiresAt: 0, user });
    mockApi({ 'POST /api/auth/refresh': new TypeError('offline') });
    await expect(api.get('/orders')).rejects.toMatchObject({ status: 0 });
    expect(getSession()?.refreshToken).toBe('rt0');
  });

  it('logout revokes the refresh token and forgets the session', async () => {
    setSession({ accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 600_000, user });
    const m = mockApi({ 'POST /api/auth/logout': { status: 204 } });
    await ep.logout();
    expect(getSession()).toBeNull();
    expect(m.calls[0].body).toEqual({ refreshToken: 'rt' });
    expect(m.calls[0].headers.Authorization).toBe('Bearer at');
  });
});

describe('checkout request', () => {
  it('sends the Idempotency-Key header and the admin status action body', async () => {
    setSession({ accessToken: 'at', refreshToken: 'rt', expiresAt: Date.now() + 600_000, user });
    const m = mockApi({
      'POST /api/checkout': ok({ id: 'c1', status: 'COMPLETED', orderId: 'o1' }),
      'PUT /api/orders/o1/status': ok({ id: 'o1', status: 'SHIPPED' }),
    });
    await ep.startCheckout({ shippingAddress: {} as never, paymentMethod: 'pm_card_visa' }, 'key-1');
    await ep.changeOrderStatus('o1', 'ship');
    expect(m.calls[0].headers['Idempotency-Key']).toBe('key-1');
    expect(m.calls[1].body).toEqual({ action: 'ship' });
  });
});
