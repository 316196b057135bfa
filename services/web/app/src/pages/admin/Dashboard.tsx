import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { listAdminOrders, lowStock } from '../../api/endpoints';
import type { Order } from '../../api/types';
import { Card, ErrorBanner, PageTitle, Spinner, btn } from '../../components/ui';
import { money } from '../../lib/format';

export function isToday(iso: string, now = new Date()): boolean {
  const d = new Date(iso);
  return d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
}

/** Orders placed today (local time) and their revenue; cancelled and pending orders bring no revenue. */
export function summarize(orders: Order[], now = new Date()) {
  const today = orders.filter((o) => isToday(o.createdAt, now));
  const paid = today.filter((o) => o.status !== 'CANCELLED' && o.status !== 'PENDING');
  const revenue = Math.round(paid.reduce((s, o) => s + Number(o.total || 0) * 100, 0)) / 100;
  return { ordersToday: today.length, revenueToday: revenue, currency: today[0]?.currency ?? 'USD' };
}

function Stat({ label, value, testId, to }: { label: string; value: string | number; testId: string; to: string }) {
  return (
    <Card>
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-3xl font-bold" data-testid={testId}>
        {value}
      </p>
      <Link to={to} className={btn.link + ' mt-2 inline-block text-sm'}>
        Details
      </Link>
    </Card>
  );
}

export function Dashboard() {
  // newest first; 100 covers a day in a small shop
  const orders = useQuery({ queryKey: ['admin', 'orders', 'dashboard'], queryFn: () => listAdminOrders({ page: 1, limit: 100 }) });
  const low = useQuery({ queryKey: ['admin', 'low-stock'], queryFn: lowStock });
  const s = orders.data ? summarize(orders.data.items) : null;
  return (
    <div>
      <PageTitle>Dashboard</PageTitle>
      {orders.isError && <ErrorBanner error={orders.error} />}
      {low.isError && <ErrorBanner error={low.error} />}
      {orders.isPending || low.isPending ? (
        <Spinner />
      ) : (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
          <Stat label="Orders today" value={s?.ordersToday ?? '–'} testId="stat-orders-today" to="/admin/orders" />
          <Stat label="Revenue today" value={s ? money(s.revenueToday, s.currency) : '–'} testId="stat-revenue" to="/admin/orders" />
          <Stat label="Low-stock products" value={low.data?.length ?? '–'} testId="stat-low-stock" to="/admin/stock" />
        </div>
      )}
    </div>
  );
}
