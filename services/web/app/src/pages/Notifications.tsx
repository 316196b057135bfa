import { useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listNotifications } from '../api/endpoints';
import { Pagination } from '../components/Pagination';
import { Empty, ErrorBanner, PageTitle, Spinner } from '../components/ui';
import { dateTime } from '../lib/format';

export function NotificationsPage() {
  const [sp, setSp] = useSearchParams();
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const q = useQuery({ queryKey: ['notifications', page], queryFn: () => listNotifications(page, 20), placeholderData: keepPreviousData });
  return (
    <div>
      <PageTitle>Notifications</PageTitle>
      {q.isPending ? (
        <Spinner />
      ) : q.isError ? (
        <ErrorBanner error={q.error} />
      ) : q.data.items.length === 0 ? (
        <Empty title="No notifications yet." testId="notifications-empty" />
      ) : (
        <>
          <ul className="space-y-3" data-testid="notification-list">
            {q.data.items.map((n) => (
              <li key={n.id} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="notification">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="font-medium">{n.subject || n.template}</p>
                  <time className="text-xs text-slate-500">{dateTime(n.sentAt || n.createdAt)}</time>
                </div>
                {n.body && <p className="mt-1 whitespace-pre-line text-sm text-slate-700">{n.body}</p>}
                <p className="mt-1 text-xs text-slate-400">
                  {n.channel} · {n.status.toLowerCase()}
                </p>
              </li>
            ))}
          </ul>
          <Pagination pagination={{ ...q.data.pagination, page }} onPage={(p) => setSp(p > 1 ? { page: String(p) } : {})} />
        </>
      )}
    </div>
  );
}
