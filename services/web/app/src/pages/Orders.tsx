import { Link, useParams, useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { getOrder, listOrders } from '../api/endpoints';
import { isApiError } from '../api/client';
import type { Order } from '../api/types';
import { formatAddress } from '../components/AddressFields';
import { StatusBadge, StatusTimeline } from '../components/OrderStatus';
import { Pagination } from '../components/Pagination';
import { Card, Empty, ErrorBanner, Notice, PageTitle, Spinner, btn } from '../components/ui';
import { dateTime, money, shortId } from '../lib/format';

export function OrderItems({ order }: { order: Order }) {
  return (
    <>
      <ul className="divide-y divide-slate-100 text-sm" data-testid="order-items">
        {order.items.map((i) => (
          <li key={i.productId} className="flex justify-between gap-2 py-2" data-testid="order-item">
            <span>
              <Link to={`/products/${i.productId}`} className="hover:text-indigo-700">
                {i.name}
              </Link>{' '}
              × {i.quantity}
            </span>
            <span>{money(i.lineTotal, order.currency)}</span>
          </li>
        ))}
      </ul>
      <div className="mt-2 space-y-1 border-t border-slate-200 pt-2 text-sm">
        <div className="flex justify-between">
          <span>Subtotal</span>
          <span>{money(order.subtotal, order.currency)}</span>
        </div>
        <div className="flex justify-between font-semibold">
          <span>Total</span>
          <span data-testid="order-total">{money(order.total, order.currency)}</span>
        </div>
      </div>
    </>
  );
}

export function OrderConfirmation() {
  const { id = '' } = useParams();
  const order = useQuery({ queryKey: ['orders', id], queryFn: () => getOrder(id) });
  if (order.isPending) return <Spinner />;
  if (order.isError) return <ErrorBanner error={order.error} />;
  const o = order.data;
  return (
    <div className="mx-auto max-w-2xl" data-testid="order-confirmation" data-order-id={o.id}>
      <Notice testId="order-placed">
        <p className="text-base font-semibold">Thank you! Your order is placed.</p>
        <p>
          Order <span data-testid="order-id">{shortId(o.id)}</span> — <StatusBadge status={o.status} />
        </p>
      </Notice>
      <Card>
        <OrderItems order={o} />
        {o.shippingAddress && <p className="mt-3 text-sm text-slate-600">Ships to: {formatAddress(o.shippingAddress)}</p>}
      </Card>
      <div className="mt-4 flex gap-3">
        <Link to={`/orders/${o.id}`} className={btn.primary} data-testid="view-order">
          View order
        </Link>
        <Link to="/products" className={btn.secondary}>
          Continue shopping
        </Link>
      </div>
    </div>
  );
}

export function OrdersPage() {
  const [sp, setSp] = useSearchParams();
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const orders = useQuery({ queryKey: ['orders', 'list', page], queryFn: () => listOrders(page, 10), placeholderData: keepPreviousData });
  return (
    <div>
      <PageTitle>Your orders</PageTitle>
      {orders.isPending ? (
        <Spinner />
      ) : orders.isError ? (
        <ErrorBanner error={orders.error} />
      ) : orders.data.items.length === 0 ? (
        <Empty title="You have no orders yet." testId="orders-empty">
          <Link to="/products" className={btn.link}>
            Start shopping
          </Link>
        </Empty>
      ) : (
        <>
          <ul className="space-y-3" data-testid="order-list">
            {orders.data.items.map((o) => (
              <li key={o.id}>
                <Link
                  to={`/orders/${o.id}`}
                  className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white p-4 hover:shadow"
                  data-testid="order-row"
                  data-order-id={o.id}
                >
                  <div>
                    <p className="font-medium">Order {shortId(o.id)}</p>
                    <p className="text-xs text-slate-500">{dateTime(o.createdAt)}</p>
                  </div>
                  <StatusBadge status={o.status} />
                  <p className="font-semibold">{money(o.total, o.currency)}</p>
                </Link>
              </li>
            ))}
          </ul>
          <Pagination pagination={{ ...orders.data.pagination, page }} onPage={(p) => setSp(p > 1 ? { page: String(p) } : {})} />
        </>
      )}
    </div>
  );
}

export function OrderDetail() {
  const { id = '' } = useParams();
  const order = useQuery({ queryKey: ['orders', id], queryFn: () => getOrder(id) });
  if (order.isPending) return <Spinner />;
  if (order.isError)
    return isApiError(order.error) && order.error.status === 404 ? <Empty title="Order not found." /> : <ErrorBanner error={order.error} />;
  const o = order.data;
  return (
    <div data-testid="order-detail" data-order-id={o.id}>
      <PageTitle actions={<StatusBadge status={o.status} />}>Order {shortId(o.id)}</PageTitle>
      <div className="grid grid-cols-1 gap-6 md:grid-cols-[1fr_280px]">
        <Card>
          <p className="mb-2 text-xs text-slate-500">Placed {dateTime(o.createdAt)}</p>
          <OrderItems order={o} />
          {o.shippingAddress && (
            <div className="mt-4 text-sm">
              <h2 className="font-semibold">Shipping address</h2>
              <p className="text-slate-600">{formatAddress(o.shippingAddress)}</p>
            </div>
          )}
        </Card>
        <Card className="h-fit">
          <h2 className="mb-3 font-semibold">Status</h2>
          <StatusTimeline status={o.status} history={o.statusHistory ?? []} />
        </Card>
      </div>
      <Link to="/orders" className={btn.link + ' mt-4 inline-block text-sm'}>
        ← All orders
      </Link>
    </div>
  );
}
