import { api } from './client';

/** Competitor price feeds (catalog, admin only) and a product's price comparison (admin or its vendor). */
export interface PriceFeed {
  id: string;
  name: string;
  url: string;
  format: 'JSON' | 'CSV';
  mapping: { matchBy: 'SKU' | 'GTIN'; key: string; price: string; currency?: string | null; items?: string | null };
  currency: string | null;
  intervalMinutes: number;
  enabled: boolean;
  nextFetchAt: string;
  status: {
    outcome: 'OK' | 'FAILED' | null;
    lastAttemptAt: string | null;
    lastSuccessAt: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
    rowsMatched: number | null;
    rowsUnmatched: number | null;
    rowsRejected: number | null;
  };
}

export interface PriceComparison {
  productId: string;
  name: string;
  sku: string | null;
  gtin: string | null;
  ours: { price: number; currency: string };
  sources: {
    feedId: string;
    source: string;
    price: number;
    currency: string;
    fetchedAt: string;
    ageSeconds: number;
    difference: number | null;
    differencePercent: number | null;
    lastFetchFailed: boolean;
  }[];
}

/** The body of POST /api/products/price-feeds (catalog's PriceFeedBody); PUT takes any part of it. */
export interface PriceFeedInput {
  name: string;
  url: string;
  format: 'JSON' | 'CSV';
  mapping: { matchBy: 'SKU' | 'GTIN'; key: string; price: string; currency?: string; items?: string };
  currency?: string;
  intervalMinutes: number;
  enabled?: boolean;
}

export const createPriceFeed = (feed: PriceFeedInput) => api.post<PriceFeed>('/products/price-feeds', feed);
export const updatePriceFeed = (id: string, change: Partial<PriceFeedInput>) =>
  api.put<PriceFeed>(`/products/price-feeds/${encodeURIComponent(id)}`, change);
export const deletePriceFeed = (id: string) => api.del(`/products/price-feeds/${encodeURIComponent(id)}`);
export const listPriceFeeds = () => api.get<PriceFeed[]>('/products/price-feeds').then((f) => (Array.isArray(f) ? f : []));
export const fetchPriceFeedNow = (id: string) => api.post(`/products/price-feeds/${encodeURIComponent(id)}/fetch`);
export const productPrices = (productId: string) => api.get<PriceComparison>(`/products/${encodeURIComponent(productId)}/prices`);

/** "3 min", "2 h", "4 d": how old a competitor's price is. */
export function age(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}
