import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { analyticsDashboard, lowStock, trendingSearches } from '../../api/endpoints';
import type { QueryStat } from '../../api/types';
import { SalesChart } from '../../components/SalesChart';
import { Card, ErrorBanner, PageTitle, Spinner, btn } from '../../components/ui';
import { money } from '../../lib/format';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A local calendar date as YYYY-MM-DD. */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The range in the URL, or the last 30 days; a malformed date falls back to the default. */
export function rangeFrom(params: URLSearchParams, now = new Date()) {
  const to = DAY.test(params.get('to') ?? '') ? params.get('to')! : isoDay(now);
  const start = new Date(to + 'T00:00:00');
  start.setDate(start.getDate() - 29);
  const from = DAY.test(params.get('from') ?? '') ? params.get('from')! : isoDay(start);
  return { from, to };
}

export const percent = (r: number | undefined) => `${((r ?? 0) * 100).toFixed(1)}%`;

function Stat({ label, value, raw, testId, to }: { label: string; value: string | number; raw: string | number; testId: string; to?: string }) {
  return (
    <Card>
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-bold" data-testid={testId} data-value={raw}>
        {value}
      </p>
      {to && (
        <Link to={to} className={btn.link + ' mt-2 inline-block text-sm'}>
          Details
        </Link>
      )}
    </Card>
  );
}

function Searches({ title, rows, testId, zero }: { title: string; rows: QueryStat[]; testId: string; zero?: boolean }) {
  return (
    <Card>
      <h2 className="mb-2 font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid={testId + '-empty'}>
          None in this window.
        </p>
      ) : (
        <ol className="space-y-1 text-sm" data-testid={testId}>
          {rows.map((q) => (
            <li key={q.query} className="flex justify-between gap-2" data-testid={testId + '-row'} data-query={q.query}>
              <span className="truncate">{q.query}</span>
              <span className="text-slate-500">{zero ? q.zeroResults : q.searches}</span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}

export function Dashboard() {
  const [params, setParams] = useSearchParams();
  const { from, to } = rangeFrom(params);
  const window = ['24h', '7d', '30d'].includes(params.get('window') ?? '') ? params.get('window')! : '7d';
  const dash = useQuery({ queryKey: ['admin', 'analytics', from, to], queryFn: () => analyticsDashboard({ from, to }) });
  const trending = useQuery({ queryKey: ['admin', 'trending', window], queryFn: () => trendingSearches(window) });
  const low = useQuery({ queryKey: ['admin', 'low-stock'], queryFn: lowStock });
  const set = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => next.set(k, v));
    setParams(next, { replace: true });
  };
  const preset = (days: number) => {
    const end = new Date();
    const start = new Date();
    start.setDate(start.getDate() - (days - 1));
    set({ from: isoDay(start), to: isoDay(end) });
  };
  const d = dash.data;
  return (
    <div>
      <PageTitle>Dashboard</PageTitle>
      <div className="mb-4 flex flex-wrap items-end gap-3" data-testid="date-range">
        <label className="text-sm">
          From
          <input type="date" className="ml-2 rounded border px-2 py-1" data-testid="range-from" value={from} max={to}
            onChange={(e) => DAY.test(e.target.value) && set({ from: e.target.value })} />
        </label>
        <label className="text-sm">
          To
          <input type="date" className="ml-2 rounded border px-2 py-1" data-testid="range-to" value={to} min={from}
            onChange={(e) => DAY.test(e.target.value) && set({ to: e.target.value })} />
        </label>
        {[7, 30, 90].map((n) => (
          <button key={n} type="button" className={btn.link + ' text-sm'} data-testid={`range-${n}d`} onClick={() => preset(n)}>
            Last {n} days
          </button>
        ))}
        {d && <span className="text-xs text-slate-500" data-testid="range-zone">Days in {d.timeZone}</span>}
      </div>
      {dash.isError && <ErrorBanner error={dash.error} />}
      {low.isError && <ErrorBanner error={low.error} />}
      {dash.isPending ? (
        <Spinner />
      ) : d ? (
        <>
          <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
            <Stat label="Orders" value={d.orders ?? 0} raw={d.orders ?? 0} testId="stat-orders" to="/admin/orders" />
            <Stat label="Revenue" value={money(d.revenue)} raw={d.revenue} testId="stat-revenue" />
            <Stat label="Average order value" value={money(d.averageOrderValue ?? 0)} raw={d.averageOrderValue ?? 0} testId="stat-aov" />
            <Stat label="Sessions" value={d.sessions ?? 0} raw={d.sessions ?? 0} testId="stat-sessions" />
            <Stat label="Conversion (orders / sessions)" value={percent(d.conversionRate)} raw={d.conversionRate ?? 0} testId="stat-conversion" />
            <Stat label="Add-to-cart rate" value={percent(d.addToCartRate)} raw={d.addToCartRate} testId="stat-add-to-cart" />
            <Stat label="Product views" value={d.views} raw={d.views} testId="stat-views" />
            <Stat label="Low-stock products" value={low.data?.length ?? '–'} raw={low.data?.length ?? ''} testId="stat-low-stock" to="/admin/stock" />
          </div>
          <Card className="mt-4">
            <h2 className="mb-2 font-semibold">Revenue and orders per day</h2>
            <SalesChart days={d.days} />
          </Card>
          <Card className="mt-4">
            <h2 className="mb-2 font-semibold">Top products</h2>
            {d.topProducts.length === 0 ? (
              <p className="text-sm text-slate-500" data-testid="top-products-empty">No product activity in this range.</p>
            ) : (
              <table className="w-full text-sm" data-testid="top-products">
                <thead>
                  <tr className="text-left text-slate-500">
                    <th>Product</th><th className="text-right">Views</th><th className="text-right">Adds</th>
                    <th className="text-right">Sold</th><th className="text-right">Revenue</th>
                  </tr>
                </thead>
                <tbody>
                  {d.topProducts.map((p) => (
                    <tr key={p.productId} data-testid="top-product-row" data-product-id={p.productId}>
                      <td className="truncate">{p.name || p.productId.slice(0, 8)}</td>
                      <td className="text-right">{p.views}</td>
                      <td className="text-right">{p.adds}</td>
                      <td className="text-right">{p.purchases}</td>
                      <td className="text-right">{money(p.revenue)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </>
      ) : null}
      <div className="mt-4 flex items-center gap-2 text-sm">
        <span className="font-semibold">Searches over</span>
        <select className="rounded border px-2 py-1" data-testid="trending-window" value={window} onChange={(e) => set({ window: e.target.value })}>
          <option value="24h">the last 24 hours</option>
          <option value="7d">the last 7 days</option>
          <option value="30d">the last 30 days</option>
        </select>
      </div>
      {trending.isError && <ErrorBanner error={trending.error} />}
      {trending.data && (
        <div className="mt-2 grid grid-cols-1 gap-4 md:grid-cols-2">
          <Searches title="Trending searches" rows={trending.data.queries} testId="trending" />
          <Searches title="Searches that found nothing" rows={trending.data.zeroResults} testId="zero-results" zero />
        </div>
      )}
    </div>
  );
}
