import { Link, useSearchParams } from 'react-router-dom';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { changeOrderStatus, listAdminOrders, type OrderAction } from '../../api/endpoints';
import { ORDER_STATUSES, type Order, type OrderStatus } from '../../api/types';
import { StatusBadge } from '../../components/OrderStatus';
import { Pagination } from '../../components/Pagination';
import { Empty, ErrorBanner, PageTitle, Spinner, btn } from '../../components/ui';
import { dateTime, money, shortId, titleCase } from '../../lib/format';

/** Which admin actions make sense from a status (the server has the final word). */
export function actionsFor(status: OrderStatus): OrderAction[] {
  switch (status) {
    case 'CONFIRMED':
      return ['ship', 'cancel'];
    case 'PENDING':
      return ['cancel'];
    case 'SHIPPED':
      return ['deliver'];
    default:
      return [];
  }
}

export function AdminOrders() {
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const status = (sp.get('status') ?? '') as OrderStatus | '';
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const orders = useQuery({
    queryKey: ['admin', 'orders', status, page],
    queryFn: () => listAdminOrders({ status, page, limit: 20 }),
    placeholderData: keepPreviousData,
  });
  const act = useMutation({
    mutationFn: (v: { id: string; action: OrderAction }) => changeOrderStatus(v.id, v.action),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['admin', 'orders'] });
      qc.invalidateQueries({ queryKey: ['orders'] });
    },
  });

  const setParam = (k: string, v: string) => {
    const n = new URLSearchParams(sp);
    if (v) n.set(k, v);
    else n.delete(k);
    if (k !== 'page') n.delete('page');
    setSp(n);
  };

  return (
    <div>
      <PageTitle
        actions={
          <label className="flex items-center gap-2 text-sm">
            Status
            <select
              value={status}
              onChange={(e) => setParam('status', e.target.value)}
              className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
              data-testid="order-status-filter"
            >
              <option value="">All</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {titleCase(s)}
                </option>
              ))}
            </select>
          </label>
        }
      >
        Orders
      </PageTitle>
      {act.isError && <ErrorBanner error={act.error} />}
      {orders.isPending ? (
        <Spinner />
      ) : orders.isError ? (
        <ErrorBanner error={orders.error} />
      ) : orders.data.items.length === 0 ? (
        <Empty title="No orders." testId="admin-orders-empty" />
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm" data-testid="admin-orders">
              <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="px-3 py-2">Order</th>
                  <th className="hidden px-3 py-2 sm:table-cell">Placed</th>
                  <th className="px-3 py-2">Status</th>
                  <th className="px-3 py-2 text-right">Total</th>
                  <th className="px-3 py-2 text-right">Actions</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {orders.data.items.map((o: Order) => (
                  <tr key={o.id} data-testid="admin-order-row" data-order-id={o.id}>
                    <td className="px-3 py-2">
                      <Link to={`/orders/${o.id}`} className={btn.link}>
                        {shortId(o.id)}
                      </Link>
                      <p className="text-xs text-slate-500">{o.items.length} item(s)</p>
                    </td>
                    <td className="hidden px-3 py-2 sm:table-cell">{dateTime(o.createdAt)}</td>
                    <td className="px-3 py-2">
                      <StatusBadge status={o.status} />
                    </td>
                    <td className="px-3 py-2 text-right">{money(o.total, o.currency)}</td>
                    <td className="space-x-2 whitespace-nowrap px-3 py-2 text-right">
                      {actionsFor(o.status).map((a) => (
                        <button
                          key={a}
                          type="button"
                          className={a === 'cancel' ? btn.danger : btn.secondary}
                          disabled={act.isPending}
                          onClick={() => (a !== 'cancel' || window.confirm('Cancel this order?')) && act.mutate({ id: o.id, action: a })}
                          data-testid={`order-${a}`}
                        >
                          {titleCase(a)}
                        </button>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination pagination={{ ...orders.data.pagination, page }} onPage={(p) => setParam('page', String(p))} />
        </>
      )}
    </div>
  );
}
