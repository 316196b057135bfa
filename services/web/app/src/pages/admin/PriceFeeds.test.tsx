import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PriceFeedsPage } from './PriceFeeds';
import { PriceComparison } from '../../components/PriceComparison';
import { age } from '../../api/priceFeeds';
import { fail, mockApi, ok } from '../../test/mockApi';
import { admin, loginAs, renderAt } from '../../test/render';

const feed = (id: string, outcome: 'OK' | 'FAILED' | null, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Rival ${id}`,
  url: `https://rival.example/${id}.json`,
  format: 'JSON',
  mapping: { matchBy: 'SKU', key: 'sku', price: 'price' },
  currency: 'USD',
  intervalMinutes: 60,
  enabled: true,
  nextFetchAt: '2026-12-02T12:00:00Z',
  status: {
    outcome,
    lastAttemptAt: null,
    lastSuccessAt: outcome === 'OK' ? '2026-12-02T11:00:00Z' : null,
    lastError: outcome === 'FAILED' ? 'Timed out after 10000 ms' : null,
    lastErrorAt: null,
    rowsMatched: outcome === 'OK' ? 12 : null,
    rowsUnmatched: outcome === 'OK' ? 3 : null,
    rowsRejected: outcome === 'OK' ? 1 : null,
  },
  ...extra,
});

describe('price feeds (admin)', () => {
  it('lists each feed with its status and counts, and asks for a fetch', async () => {
    loginAs(admin);
    const { calls } = mockApi({
      'GET /api/products/price-feeds': ok([feed('a', 'OK'), feed('b', 'FAILED'), feed('c', null, { enabled: false })]),
      'POST /api/products/price-feeds/a/fetch': { status: 202, body: { success: true, data: { id: 'a', queued: true } } },
    });
    renderAt(<PriceFeedsPage />, { url: '/admin/price-feeds' });
    const rows = await screen.findAllByTestId('price-feed-row');
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByTestId('price-feed-status').textContent).toBe('OK');
    expect(rows[0].textContent).toContain('12');
    expect(within(rows[1]).getByTestId('price-feed-status').textContent).toContain('Timed out after 10000 ms');
    expect(within(rows[2]).getByTestId('price-feed-status').textContent).toBe('disabled');
    expect(within(rows[2]).queryByTestId('price-feed-fetch')).toBeNull();
    await userEvent.click(within(rows[0]).getByTestId('price-feed-fetch'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url.endsWith('/price-feeds/a/fetch'))).toBe(true));
  });

  it('shows our price beside each source with its difference and age', async () => {
    loginAs(admin);
    mockApi({
      'GET /api/products/p1/prices': ok({
        productId: 'p1',
        name: 'Kettle',
        sku: 'KET-1',
        gtin: null,
        ours: { price: 20, currency: 'USD' },
        sources: [
          { feedId: 'a', source: 'Rival a', price: 18.5, currency: 'USD', fetchedAt: '', ageSeconds: 7200, difference: -1.5, differencePercent: -7.5, lastFetchFailed: false },
          { feedId: 'b', source: 'Rival b', price: 21, currency: 'EUR', fetchedAt: '', ageSeconds: 90, difference: null, differencePercent: null, lastFetchFailed: true },
        ],
      }),
    });
    renderAt(<PriceComparison productId="p1" />, { url: '/admin/products/p1/edit' });
    const sources = await screen.findAllByTestId('price-source');
    expect(screen.getByTestId('our-price').textContent).toContain('20.00');
    expect(sources[0].textContent).toContain('-7.5%');
    expect(sources[0].textContent).toContain('2 h');
    expect(sources[1].textContent).toContain('last fetch failed');
    expect(sources[1].textContent).toContain('—');
  });

  it('writes ages briefly', () => {
    expect(age(5)).toBe('5 s');
    expect(age(600)).toBe('10 min');
    expect(age(3 * 86_400 + 5)).toBe('3 d');
  });
});

describe('registering a price feed', () => {
  afterEach(() => vi.restoreAllMocks());
  // typing a URL key by key takes seconds on a loaded machine: the value is what these tests are about
  const fill = (input: HTMLElement, value: string) => fireEvent.change(input, { target: { value } });

  it('sends the body the catalog takes, optional fields left out', async () => {
    loginAs(admin);
    const { calls } = mockApi({
      'GET /api/products/price-feeds': ok([]),
      'POST /api/products/price-feeds': { status: 201, body: { success: true, data: feed('n', null) } },
    });
    renderAt(<PriceFeedsPage />, { url: '/admin/price-feeds' });
    await screen.findByTestId('price-feed-form'); // open at once: there is no feed yet
    fill(screen.getByTestId('input-name'), 'Rival CSV');
    fill(screen.getByTestId('input-url'), 'https://rival.example/prices.csv');
    await userEvent.selectOptions(screen.getByTestId('input-format'), 'CSV');
    await userEvent.selectOptions(screen.getByTestId('input-mapping.matchBy'), 'GTIN');
    fill(screen.getByTestId('input-mapping.key'), 'ean');
    fill(screen.getByTestId('input-intervalMinutes'), '30');
    expect(screen.queryByTestId('input-mapping.items')).toBeNull(); // JSON only
    await userEvent.click(screen.getByTestId('price-feed-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      name: 'Rival CSV',
      url: 'https://rival.example/prices.csv',
      format: 'CSV',
      mapping: { matchBy: 'GTIN', key: 'ean', price: 'price' },
      currency: 'USD',
      intervalMinutes: 30,
    });
  }, 15_000);

  it("shows each of the server's field errors next to its field", async () => {
    loginAs(admin);
    mockApi({
      'GET /api/products/price-feeds': ok([]),
      'POST /api/products/price-feeds': fail(400, 'VALIDATION_FAILED', 'Invalid request', [
        { field: 'url', message: 'must not carry a user name or password' },
        { field: 'mapping.items', message: 'must be a JSON Pointer such as /products' },
        { field: 'mapping.key', message: 'is not a valid JSON Pointer' },
      ]),
    });
    renderAt(<PriceFeedsPage />, { url: '/admin/price-feeds' });
    fill(await screen.findByTestId('input-name'), 'Rival');
    fill(screen.getByTestId('input-url'), 'https://user:pw@rival.example/p.json');
    fill(screen.getByTestId('input-mapping.items'), 'products');
    fill(screen.getByTestId('input-mapping.key'), '/ids/~2');
    await userEvent.click(screen.getByTestId('price-feed-save'));
    expect((await screen.findByTestId('url-error')).textContent).toBe('must not carry a user name or password');
    expect(screen.getByTestId('mapping.items-error').textContent).toBe('must be a JSON Pointer such as /products');
    expect(screen.getByTestId('mapping.key-error').textContent).toBe('is not a valid JSON Pointer');
    expect(screen.queryByTestId('key-error')).toBeNull(); // filed under its full name only
    expect(screen.getByTestId('input-url').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByTestId('error-banner')).toBeNull(); // every reason sits by its field
  }, 15_000);

  it('checks the obvious before asking', async () => {
    loginAs(admin);
    const { calls } = mockApi({ 'GET /api/products/price-feeds': ok([]) });
    renderAt(<PriceFeedsPage />, { url: '/admin/price-feeds' });
    fill(await screen.findByTestId('input-intervalMinutes'), '2');
    fill(screen.getByTestId('input-currency'), '');
    await userEvent.click(screen.getByTestId('price-feed-save'));
    expect((await screen.findByTestId('name-error')).textContent).toBe('is required');
    expect(screen.getByTestId('url-error').textContent).toBe('is required');
    expect(screen.getByTestId('intervalMinutes-error').textContent).toContain('5 to 10080');
    expect(screen.getByTestId('currency-error').textContent).toContain('no currency field');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  }, 15_000);

  it('disables, enables and deletes a feed', async () => {
    loginAs(admin);
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { calls } = mockApi({
      'GET /api/products/price-feeds': ok([feed('a', 'OK'), feed('c', null, { enabled: false })]),
      'PUT /api/products/price-feeds/a': ok(feed('a', 'OK', { enabled: false })),
      'PUT /api/products/price-feeds/c': ok(feed('c', null)),
      'DELETE /api/products/price-feeds/a': ok({ id: 'a', deleted: true }),
    });
    renderAt(<PriceFeedsPage />, { url: '/admin/price-feeds' });
    const rows = await screen.findAllByTestId('price-feed-row');
    expect(screen.queryByTestId('price-feed-form')).toBeNull(); // behind "Register a feed" once there are feeds
    expect(within(rows[0]).getByTestId('price-feed-toggle').textContent).toBe('Disable');
    await userEvent.click(within(rows[0]).getByTestId('price-feed-toggle'));
    await userEvent.click(within(rows[1]).getByTestId('price-feed-toggle'));
    await userEvent.click(within(rows[0]).getByTestId('price-feed-delete'));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && c.url.endsWith('/price-feeds/a'))).toBe(true));
    expect(calls.find((c) => c.method === 'PUT' && c.url.endsWith('/price-feeds/a'))!.body).toEqual({ enabled: false });
    expect(calls.find((c) => c.method === 'PUT' && c.url.endsWith('/price-feeds/c'))!.body).toEqual({ enabled: true });
    await userEvent.click(screen.getByTestId('price-feed-new'));
    expect(screen.getByTestId('price-feed-form')).toBeTruthy();
  });
});

describe('product GTIN', () => {
  it('is checked like the catalog checks it', async () => {
    const { gtinProblem } = await import('../../lib/validation');
    expect(gtinProblem('4006381333931')).toBeNull(); // EAN-13
    expect(gtinProblem('036000291452')).toBeNull(); // UPC-A
    expect(gtinProblem('96385074')).toBeNull(); // GTIN-8
    expect(gtinProblem('4006381333932')).toMatch(/check digit/);
    expect(gtinProblem('12345')).toMatch(/8, 12, 13 or 14/);
  });
});
