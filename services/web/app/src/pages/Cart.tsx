import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getCart, removeFromCart, setCartQuantity } from '../api/endpoints';
import type { Cart as CartT, CartItem } from '../api/types';
import { useAuth } from '../auth/AuthContext';
import { Card, Empty, ErrorBanner, PageTitle, Spinner, btn } from '../components/ui';
import { money } from '../lib/format';
import { MAX_QTY, MIN_QTY, validateQuantity } from '../lib/validation';

function Line({ item, onQty, onRemove, busy }: { item: CartItem; onQty: (n: number) => void; onRemove: () => void; busy: boolean }) {
  const [value, setValue] = useState(String(item.quantity));
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => setValue(String(item.quantity)), [item.quantity]);

  const commit = (v: string) => {
    const e = validateQuantity(v);
    setErr(e);
    if (!e && Number(v) !== item.quantity) onQty(Number(v));
  };

  return (
    <li className="flex flex-wrap items-center gap-3 border-b border-slate-100 py-4 last:border-0" data-testid="cart-item" data-product-id={item.productId}>
      <div className="min-w-0 flex-1">
        <Link to={`/products/${item.productId}`} className="font-medium hover:text-indigo-700" data-testid="cart-item-name">
          {item.name}
        </Link>
        <p className="text-sm text-slate-500">
          {money(item.unitPrice, item.currency)} each
          {item.priceChanged && item.previousUnitPrice != null && (
            <span className="ml-2 text-amber-700" data-testid="price-changed">
              (was {money(item.previousUnitPrice, item.currency)})
            </span>
          )}
        </p>
        {err && (
          <p className="text-xs text-red-600" data-testid="quantity-error">
            {err}
          </p>
        )}
      </div>
      <div className="flex items-center gap-1">
        <button
          type="button"
          className={btn.secondary + ' px-3'}
          aria-label="Decrease quantity"
          disabled={busy || item.quantity <= MIN_QTY}
          onClick={() => onQty(item.quantity - 1)}
          data-testid="qty-decrease"
        >
          −
        </button>
        <input
          type="number"
          min={MIN_QTY}
          max={MAX_QTY}
          value={value}
          aria-label="Quantity"
          onChange={(e) => setValue(e.target.value)}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && commit((e.target as HTMLInputElement).value)}
          className="w-16 rounded-md border border-slate-300 px-2 py-2 text-center text-sm"
          data-testid="cart-item-quantity"
          disabled={busy}
        />
        <button
          type="button"
          className={btn.secondary + ' px-3'}
          aria-label="Increase quantity"
          disabled={busy || item.quantity >= MAX_QTY}
          onClick={() => onQty(item.quantity + 1)}
          data-testid="qty-increase"
        >
          +
        </button>
      </div>
      <p className="w-24 text-right font-semibold" data-testid="cart-item-total">
        {money(item.lineTotal, item.currency)}
      </p>
      <button type="button" className="text-sm text-red-600 hover:underline" onClick={onRemove} disabled={busy} data-testid="cart-item-remove">
        Remove
      </button>
    </li>
  );
}

export function CartPage() {
  const { user } = useAuth();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const cart = useQuery({ queryKey: ['cart'], queryFn: getCart, enabled: !!user });
  const apply = (c: CartT | unknown) => {
    if (c && typeof c === 'object' && 'items' in c) qc.setQueryData(['cart'], c);
    else qc.invalidateQueries({ queryKey: ['cart'] });
  };
  const qty = useMutation({ mutationFn: (v: { id: string; n: number }) => setCartQuantity(v.id, v.n), onSuccess: apply });
  const remove = useMutation({ mutationFn: (id: string) => removeFromCart(id), onSuccess: apply });

  if (!user)
    return (
      <div>
        <PageTitle>Your cart</PageTitle>
        <Empty title="Log in to see your cart.">
          <Link to="/login?next=%2Fcart" className={btn.link}>
            Log in
          </Link>
        </Empty>
      </div>
    );

  return (
    <div>
      <PageTitle>Your cart</PageTitle>
      <ErrorBanner error={qty.error || remove.error} />
      {cart.isPending ? (
        <Spinner />
      ) : cart.isError ? (
        <ErrorBanner error={cart.error} />
      ) : cart.data.items.length === 0 ? (
        <Empty title="Your cart is empty." testId="cart-empty">
          <Link to="/products" className={btn.link}>
            Browse products
          </Link>
        </Empty>
      ) : (
        <div className="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_300px]">
          <Card>
            <ul data-testid="cart-items">
              {cart.data.items.map((it) => (
                <Line
                  key={it.productId}
                  item={it}
                  busy={qty.isPending || remove.isPending}
                  onQty={(n) => qty.mutate({ id: it.productId, n })}
                  onRemove={() => remove.mutate(it.productId)}
                />
              ))}
            </ul>
          </Card>
          <Card className="h-fit">
            <div className="flex justify-between text-sm">
              <span>Items</span>
              <span data-testid="cart-item-count">{cart.data.itemCount}</span>
            </div>
            <div className="mt-2 flex justify-between text-lg font-semibold">
              <span>Total</span>
              <span data-testid="cart-total">{money(cart.data.total, cart.data.currency)}</span>
            </div>
            <button type="button" className={btn.primary + ' mt-4 w-full'} onClick={() => navigate('/checkout')} data-testid="go-to-checkout">
              Checkout
            </button>
          </Card>
        </div>
      )}
    </div>
  );
}
