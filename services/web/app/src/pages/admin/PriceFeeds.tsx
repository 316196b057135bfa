import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchPriceFeedNow, listPriceFeeds, type PriceFeed } from '../../api/priceFeeds';
import { Empty, ErrorBanner, PageTitle, Spinner, btn } from '../../components/ui';
import { dateTime } from '../../lib/format';

/** The admin's competitor price feeds with how their last fetches went. */
export function PriceFeedsPage() {
  const qc = useQueryClient();
  const feeds = useQuery({ queryKey: ['admin', 'price-feeds'], queryFn: listPriceFeeds, refetchInterval: 15_000 });
  const fetchNow = useMutation({
    mutationFn: (id: string) => fetchPriceFeedNow(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'price-feeds'] }),
  });

  return (
    <div>
      <PageTitle>Price feeds</PageTitle>
      {fetchNow.isError && <ErrorBanner error={fetchNow.error} />}
      {feeds.isPending ? (
        <Spinner />
      ) : feeds.isError ? (
        <ErrorBanner error={feeds.error} />
      ) : feeds.data.length === 0 ? (
        <Empty title="No price feeds yet." testId="price-feeds-empty">
          Register one with POST /api/products/price-feeds.
        </Empty>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm" data-testid="price-feeds-table">
            <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
              <tr>
                <th className="px-3 py-2">Feed</th>
                <th className="px-3 py-2">Matched by</th>
                <th className="px-3 py-2">Every</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2">Last success</th>
                <th className="px-3 py-2 text-right">Matched</th>
                <th className="px-3 py-2 text-right">Unmatched</th>
                <th className="px-3 py-2 text-right">Rejected</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {feeds.data.map((f) => (
                <FeedRow key={f.id} feed={f} onFetch={() => fetchNow.mutate(f.id)} busy={fetchNow.isPending && fetchNow.variables === f.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function FeedRow({ feed, onFetch, busy }: { feed: PriceFeed; onFetch: () => void; busy: boolean }) {
  const s = feed.status;
  return (
    <tr data-testid="price-feed-row" data-feed-id={feed.id}>
      <td className="px-3 py-2">
        <div className="font-medium">{feed.name}</div>
        <div className="text-xs text-slate-500">
          {feed.format} · {feed.url}
        </div>
      </td>
      <td className="px-3 py-2">{feed.mapping.matchBy}</td>
      <td className="px-3 py-2">{feed.intervalMinutes} min</td>
      <td className="px-3 py-2" data-testid="price-feed-status">
        {!feed.enabled ? (
          <span className="text-slate-500">disabled</span>
        ) : s.outcome === null ? (
          <span className="text-slate-500">not fetched yet</span>
        ) : s.outcome === 'OK' ? (
          <span className="text-emerald-700">OK</span>
        ) : (
          <span className="text-red-700" title={s.lastErrorAt ? dateTime(s.lastErrorAt) : undefined}>
            Failed: {s.lastError}
          </span>
        )}
      </td>
      <td className="px-3 py-2">{s.lastSuccessAt ? dateTime(s.lastSuccessAt) : '—'}</td>
      <td className="px-3 py-2 text-right">{s.rowsMatched ?? '—'}</td>
      <td className="px-3 py-2 text-right">{s.rowsUnmatched ?? '—'}</td>
      <td className="px-3 py-2 text-right">{s.rowsRejected ?? '—'}</td>
      <td className="px-3 py-2 text-right">
        {feed.enabled && (
          <button type="button" className={btn.link} onClick={onFetch} disabled={busy} data-testid="price-feed-fetch">
            {busy ? 'Queuing…' : 'Fetch now'}
          </button>
        )}
      </td>
    </tr>
  );
}
