import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PriceFeedsPage } from './PriceFeeds';
import { PriceComparison } from '../../components/PriceComparison';
import { age } from '../../api/priceFeeds';
import { mockApi, ok } from '../../test/mockApi';
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
