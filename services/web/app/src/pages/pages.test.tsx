import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LoginPage, RegisterPage, safeNext } from './Auth';
import { Products } from './Products';
import { CartPage } from './Cart';
import { CheckoutPage } from './Checkout';
import { ProductDetail } from './ProductDetail';
import { AdminOrders } from './admin/AdminOrders';
import { Dashboard, rangeFrom } from './admin/Dashboard';
import { StatusTimeline } from '../components/OrderStatus';
import { fail, mockApi, ok } from '../test/mockApi';
import { admin, loginAs, renderAt, shopper } from '../test/render';
import { getSession } from '../api/session';
import { render } from '@testing-library/react';

const product = (i: number, extra = {}) => ({ id: `p${i}`, name: `Product ${i}`, price: 10 * i, currency: 'USD', images: [], ...extra });
const cartOf = (qty: number) => ({
  userId: 'u1',
  items: [{ productId: 'p1', name: 'Mug', unitPrice: 5, quantity: qty, lineTotal: 5 * qty, currency: 'USD' }],
  total: 5 * qty,
  currency: 'USD',
  itemCount: qty,
});

describe('login & register', () => {
  it('validates on the client before calling the API', async () => {
    const m = mockApi({});
    renderAt(<LoginPage />, { url: '/login' });
    await userEvent.type(screen.getByTestId('input-email'), 'not-an-email');
    await userEvent.click(screen.getByTestId('login-submit'));
    expect(screen.getByTestId('email-error')).toHaveTextContent('Enter a valid email address');
    expect(screen.getByTestId('password-error')).toHaveTextContent('Password is required');
    expect(m.calls).toHaveLength(0);
  });

  it("shows the server's message at the top and field details next to fields", async () => {
    mockApi({
      'POST /api/auth/register': fail(409, 'CONFLICT', 'That email is already registered', [{ field: 'email', message: 'already in use' }]),
    });
    renderAt(<RegisterPage />, { url: '/register' });
    await userEvent.type(screen.getByTestId('input-name'), 'Ann');
    await userEvent.type(screen.getByTestId('input-email'), 'ann@x.io');
    await userEvent.type(screen.getByTestId('input-password'), 'password1');
    await userEvent.type(screen.getByTestId('input-confirm'), 'password1');
    await userEvent.click(screen.getByTestId('register-submit'));
    expect(await screen.findByTestId('error-banner')).toHaveTextContent('That email is already registered');
    expect(screen.getByTestId('email-error')).toHaveTextContent('already in use');
  });

  it('logs in and goes to ?next', async () => {
    mockApi({ 'POST /api/auth/login': ok({ accessToken: 'a', refreshToken: 'r', expiresIn: 900, tokenType: 'Bearer', user: shopper }) });
    renderAt(<LoginPage />, { url: '/login?next=%2Fcheckout', path: '/login' });
    await userEvent.type(screen.getByTestId('input-email'), 'ann@x.io');
    await userEvent.type(screen.getByTestId('input-password'), 'password1');
    await userEvent.click(screen.getByTestId('login-submit'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/checkout'));
    expect(getSession()?.user.email).toBe('ann@x.io');
  });

  it('never redirects off-site', () => {
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('/orders')).toBe('/orders');
  });
});

describe('product list', () => {
  it('reads search, filters, sort and page from the URL and sends them to the API', async () => {
    const m = mockApi({
      'GET /api/categories': ok([{ id: 'c1', name: 'Kitchen', slug: 'kitchen', parentId: null }]),
      'GET /api/search': ok({ mode: 'hybrid', items: [product(1), product(2)], facets: { categories: [], priceBands: [] } }, { pagination: { page: 2, limit: 12, total: 26 } }),
    });
    renderAt(<Products />, { url: '/products?q=mug&category=kitchen&minPrice=5&sort=price_asc&page=2' });
    expect(await screen.findAllByTestId('product-card')).toHaveLength(2);
    const call = m.calls.find((c) => c.url.startsWith('/api/search'))!;
    const qs = new URL(call.url, 'http://x').searchParams;
    expect(Object.fromEntries(qs)).toEqual({ q: 'mug', category: 'kitchen', minPrice: '5', sort: 'price_asc', page: '2', limit: '12' });
    expect(screen.getByTestId('page-info')).toHaveTextContent('Page 2 of 3');
  });

  it('puts filter changes into the URL and back to page 1; rejects a bad price', async () => {
    mockApi({
      'GET /api/categories': ok([]),
      'GET /api/search': ok({ mode: 'browse', items: [], facets: { categories: [], priceBands: [] } }, { pagination: { page: 1, limit: 12, total: 0 } }),
    });
    renderAt(<Products />, { url: '/products?page=3' });
    expect(await screen.findByTestId('empty')).toBeInTheDocument();
    await userEvent.type(screen.getByTestId('input-maxPrice'), '1.999');
    await userEvent.click(screen.getByTestId('apply-filters'));
    expect(screen.getByTestId('maxPrice-error')).toBeInTheDocument();
    await userEvent.clear(screen.getByTestId('input-maxPrice'));
    await userEvent.type(screen.getByTestId('input-maxPrice'), '50');
    await userEvent.click(screen.getByTestId('apply-filters'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/products?maxPrice=50'));
    await userEvent.selectOptions(screen.getByTestId('sort'), 'price_desc');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/products?maxPrice=50&sort=price_desc'));
  });
});

describe('product page', () => {
  it('shows price and stock, and adds to the cart', async () => {
    loginAs(shopper);
    const m = mockApi({
      'GET /api/products/p1': ok(product(1, { images: ['https://img.example/1.jpg'] })),
      'GET /api/inventory/p1': ok({ productId: 'p1', quantity: 3, isLowStock: true, inStock: true }),
      'POST /api/cart/add': ok(cartOf(2)),
    });
    renderAt(<ProductDetail />, { url: '/products/p1', path: '/products/:id' });
    expect(await screen.findByTestId('product-price')).toHaveTextContent('$10.00');
    expect(await screen.findByTestId('stock-state')).toHaveTextContent('Only 3 left');
    expect(screen.getByRole('img', { name: 'Product 1' })).toHaveAttribute('loading', 'lazy');
    await userEvent.clear(screen.getByTestId('add-quantity'));
    await userEvent.type(screen.getByTestId('add-quantity'), '2');
    await userEvent.click(screen.getByTestId('add-to-cart'));
    expect(await screen.findByTestId('added-to-cart')).toBeInTheDocument();
    expect(m.calls.find((c) => c.url === '/api/cart/add')?.body).toEqual({ productId: 'p1', quantity: 2 });
  });

  it('disables add-to-cart when out of stock', async () => {
    mockApi({
      'GET /api/products/p1': ok(product(1)),
      'GET /api/inventory/p1': ok({ productId: 'p1', quantity: 0, isLowStock: true, inStock: false }),
    });
    renderAt(<ProductDetail />, { url: '/products/p1', path: '/products/:id' });
    expect(await screen.findByTestId('stock-state')).toHaveTextContent('Out of stock');
    expect(screen.getByTestId('add-to-cart')).toBeDisabled();
  });
});

describe('cart', () => {
  it('changes a quantity through PUT /api/cart/items/{id}', async () => {
    loginAs(shopper);
    const m = mockApi({ 'GET /api/cart': ok(cartOf(1)), 'PUT /api/cart/items/p1': (c) => ok(cartOf((c.body as { quantity: number }).quantity)) });
    renderAt(<CartPage />, { url: '/cart' });
    expect(await screen.findByTestId('cart-total')).toHaveTextContent('$5.00');
    await userEvent.click(screen.getByTestId('qty-increase'));
    await waitFor(() => expect(screen.getByTestId('cart-total')).toHaveTextContent('$10.00'));
    expect(m.calls.find((c) => c.method === 'PUT')?.body).toEqual({ quantity: 2 });
  });

  it('shows the empty state', async () => {
    loginAs(shopper);
    mockApi({ 'GET /api/cart': ok({ userId: 'u1', items: [], total: 0, currency: 'USD', itemCount: 0 }) });
    renderAt(<CartPage />, { url: '/cart' });
    expect(await screen.findByTestId('cart-empty')).toBeInTheDocument();
  });
});

describe('checkout', () => {
  const address = { id: 'a1', fullName: 'Ann', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'US', isDefault: true };

  it('shows a declined card with its reason, keeps the cart, and uses a new key for the next attempt', async () => {
    loginAs(shopper);
    let attempts = 0;
    const m = mockApi({
      'GET /api/cart': ok(cartOf(2)),
      'GET /api/users/addresses': ok([address]),
      'POST /api/checkout': () =>
        attempts++ === 0
          ? fail(402, 'PAYMENT_FAILED', 'Payment failed: your card was declined', [], { id: 'c1', status: 'PAYMENT_FAILED', failureReason: 'card_declined' })
          : ok({ id: 'c2', status: 'COMPLETED', orderId: 'o9' }),
    });
    renderAt(<CheckoutPage />, { url: '/checkout' });
    await userEvent.click(await screen.findByTestId('payment-pm_card_chargeDeclined'));
    await userEvent.click(screen.getByTestId('place-order'));
    expect(await screen.findByTestId('checkout-error-message')).toHaveTextContent('your card was declined');
    expect(screen.getByTestId('checkout-error-reason')).toHaveTextContent('card_declined');
    expect(screen.getByTestId('checkout-items')).toHaveTextContent('Mug × 2');

    const first = m.calls.find((c) => c.url === '/api/checkout')!;
    expect(first.body).toEqual({ addressId: 'a1', paymentMethod: 'pm_card_chargeDeclined' });
    expect(first.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);

    await userEvent.click(screen.getByTestId('payment-pm_card_visa'));
    await userEvent.click(screen.getByTestId('place-order'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/orders/o9/confirmation'));
    const second = m.calls.filter((c) => c.url === '/api/checkout')[1];
    expect(second.headers['Idempotency-Key']).not.toBe(first.headers['Idempotency-Key']);
  });

  it('validates a new address before calling checkout', async () => {
    loginAs(shopper);
    const m = mockApi({ 'GET /api/cart': ok(cartOf(1)), 'GET /api/users/addresses': ok([]) });
    renderAt(<CheckoutPage />, { url: '/checkout' });
    await userEvent.click(await screen.findByTestId('place-order'));
    expect(screen.getByTestId('fullName-error')).toBeInTheDocument();
    expect(screen.getByTestId('postalCode-error')).toBeInTheDocument();
    expect(m.calls.some((c) => c.url === '/api/checkout')).toBe(false);
  });
});

describe('admin orders', () => {
  it('filters by status through the URL and ships an order', async () => {
    loginAs(admin);
    const order = { id: 'o1', userId: 'u1', status: 'CONFIRMED', items: [], subtotal: 10, total: 10, currency: 'USD', createdAt: new Date().toISOString() };
    const m = mockApi({
      'GET /api/orders/admin': ok([order], { pagination: { page: 1, limit: 20, total: 1 } }),
      'PUT /api/orders/o1/status': ok({ ...order, status: 'SHIPPED' }),
    });
    renderAt(<AdminOrders />, { url: '/admin/orders' });
    const row = await screen.findByTestId('admin-order-row');
    await userEvent.selectOptions(screen.getByTestId('order-status-filter'), 'CONFIRMED');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/admin/orders?status=CONFIRMED'));
    await waitFor(() => expect(m.calls.some((c) => c.url.includes('status=CONFIRMED'))).toBe(true));
    await userEvent.click(within(row).getByTestId('order-ship'));
    await waitFor(() => expect(m.calls.find((c) => c.method === 'PUT')?.body).toEqual({ action: 'ship' }));
  });

  it('shows the analytics numbers the API answers for the range in the URL, and the zero-result searches', async () => {
    loginAs(admin);
    const dash = {
      from: '2026-03-01', to: '2026-03-02', timeZone: 'Europe/Berlin', scope: 'shop', orders: 3, revenue: 45.5, averageOrderValue: 15.17,
      sessions: 12, conversionRate: 0.25, addToCartRate: 0.5, views: 40, adds: 6, searches: 9,
      days: [{ day: '2026-03-01', orders: 1, revenue: 10, views: 10, adds: 1 }, { day: '2026-03-02', orders: 2, revenue: 35.5, views: 30, adds: 5 }],
      topProducts: [{ productId: 'p1', name: 'Mug', views: 30, adds: 5, purchases: 4, revenue: 40 }],
    };
    const m = mockApi({
      'GET /api/analytics/dashboard': ok(dash),
      'GET /api/analytics/search/trending': ok({ window: '7d', since: '2026-02-24', timeZone: 'Europe/Berlin',
        queries: [{ query: 'mug', searches: 7, zeroResults: 0 }], zeroResults: [{ query: 'teapot', searches: 2, zeroResults: 2 }] }),
      'GET /api/inventory/status/low-stock': ok([]),
    });
    renderAt(<Dashboard />, { url: '/admin?from=2026-03-01&to=2026-03-02', path: '/admin' });
    expect(await screen.findByTestId('stat-orders')).toHaveTextContent('3');
    expect(screen.getByTestId('stat-revenue')).toHaveTextContent('$45.50');
    expect(screen.getByTestId('stat-conversion')).toHaveTextContent('25.0%');
    expect(screen.getByTestId('stat-add-to-cart')).toHaveTextContent('50.0%');
    expect(screen.getByTestId('sales-chart').dataset.days).toBe('2');
    expect(screen.getAllByTestId('top-product-row')).toHaveLength(1);
    expect(await screen.findByTestId('zero-results-row')).toHaveTextContent('teapot');
    expect(m.calls.find((c) => c.url.includes('/analytics/dashboard'))?.url).toContain('from=2026-03-01&to=2026-03-02');
  });

  it('defaults the range to the last 30 days and ignores a malformed date', () => {
    const r = rangeFrom(new URLSearchParams('from=yesterday'), new Date('2026-03-31T12:00:00'));
    expect(r).toEqual({ from: '2026-03-02', to: '2026-03-31' });
  });
});

describe('status timeline', () => {
  it('lists the history and the steps ahead', () => {
    render(
      <StatusTimeline
        status="SHIPPED"
        history={[
          { status: 'CONFIRMED', at: '2026-01-01T10:01:00Z' },
          { status: 'PENDING', at: '2026-01-01T10:00:00Z' },
          { status: 'SHIPPED', at: '2026-01-02T10:00:00Z', note: 'tracking 123' },
        ]}
      />,
    );
    expect(screen.getAllByTestId('timeline-entry').map((e) => e.dataset.status)).toEqual(['PENDING', 'CONFIRMED', 'SHIPPED']);
    expect(screen.getAllByTestId('timeline-pending').map((e) => e.dataset.status)).toEqual(['DELIVERED']);
    expect(screen.getByText('tracking 123')).toBeInTheDocument();
  });
});
