import { useQuery } from '@tanstack/react-query';
import { age, productPrices } from '../api/priceFeeds';
import { Card, ErrorBanner, Spinner } from './ui';
import { money } from '../lib/format';

/** Our price beside each competitor feed's latest price for one product (admin and vendor product pages). */
export function PriceComparison({ productId }: { productId: string }) {
  const q = useQuery({ queryKey: ['catalog', 'prices', productId], queryFn: () => productPrices(productId) });
  return (
    <Card className="mt-6">
      <h2 className="mb-3 font-semibold">Competitors' prices</h2>
      {q.isPending ? (
        <Spinner />
      ) : q.isError ? (
        <ErrorBanner error={q.error} />
      ) : (
        <div data-testid="price-comparison">
          <p className="mb-2 text-sm">
            Ours: <strong data-testid="our-price">{money(q.data.ours.price, q.data.ours.currency)}</strong>
          </p>
          {q.data.sources.length === 0 ? (
            <p className="text-sm text-slate-500" data-testid="price-comparison-empty">
              No feed lists this product{q.data.sku || q.data.gtin ? '' : ' (give it a SKU attribute or a GTIN to be matched)'}.
            </p>
          ) : (
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1">Source</th>
                  <th className="py-1 text-right">Price</th>
                  <th className="py-1 text-right">Difference</th>
                  <th className="py-1 text-right">Age</th>
                </tr>
              </thead>
              <tbody>
                {q.data.sources.map((s) => (
                  <tr key={s.feedId} data-testid="price-source">
                    <td className="py-1">
                      {s.source}
                      {s.lastFetchFailed && <span className="ml-1 text-xs text-amber-700">(last fetch failed)</span>}
                    </td>
                    <td className="py-1 text-right">{money(s.price, s.currency)}</td>
                    <td className={`py-1 text-right ${s.difference != null && s.difference < 0 ? 'text-red-700' : ''}`}>
                      {s.difference == null ? '—' : `${s.difference > 0 ? '+' : ''}${money(s.difference, s.currency)} (${s.differencePercent}%)`}
                    </td>
                    <td className="py-1 text-right">{age(s.ageSeconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </Card>
  );
}
