import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createAddress, getCart, getCheckout, listAddresses, startCheckout, type ShippingAddress } from '../api/endpoints';
import { ApiError, isApiError } from '../api/client';
import type { Checkout } from '../api/types';
import { AddressFields, emptyAddress, formatAddress, formToAddress } from '../components/AddressFields';
import { Card, Empty, ErrorBanner, PageTitle, Spinner, btn } from '../components/ui';
import { money } from '../lib/format';
import { validateAddress, type AddressForm, type Errors } from '../lib/validation';
import { serverFieldErrors } from '../lib/errors';
import { CheckoutAttempt } from '../lib/attempt';

/** The simulated provider's test payment methods (Stripe test ids). */
export const PAYMENT_METHODS = [
  { id: 'pm_card_visa', label: 'Visa •••• 4242', hint: 'Succeeds' },
  { id: 'pm_card_chargeDeclined', label: 'Visa •••• 0002', hint: 'Declined' },
  { id: 'pm_card_chargeDeclinedInsufficientFunds', label: 'Visa •••• 9995', hint: 'Insufficient funds' },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function CheckoutPage() {
  const navigate = useNavigate();
  const qc = useQueryClient();
  const cart = useQuery({ queryKey: ['cart'], queryFn: getCart });
  const addresses = useQuery({ queryKey: ['addresses'], queryFn: listAddresses });
  const [choice, setChoice] = useState<string>(''); // address id or 'new'
  const [addr, setAddr] = useState<AddressForm>(emptyAddress);
  const [saveAddr, setSaveAddr] = useState(true);
  const [payment, setPayment] = useState(PAYMENT_METHODS[0].id);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const attempt = useRef(new CheckoutAttempt());

  // pick the default saved address once they are loaded
  useEffect(() => {
    if (choice || !addresses.data) return;
    const def = addresses.data.find((a) => a.isDefault) ?? addresses.data[0];
    setChoice(def ? def.id : 'new');
  }, [addresses.data, choice]);

  const changed = () => attempt.current.reset();

  const finish = (c: Checkout) => {
    qc.invalidateQueries({ queryKey: ['cart'] });
    qc.invalidateQueries({ queryKey: ['orders'] });
    navigate(`/orders/${c.orderId}/confirmation`, { replace: true });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let shippingAddress;
    let addressId: string | undefined;
    if (choice === 'new' || !choice) {
      const errs = validateAddress(addr);
      setErrors(errs);
      if (Object.keys(errs).length) return;
      shippingAddress = formToAddress(addr);
    } else {
      const saved = addresses.data?.find((a) => a.id === choice);
      if (!saved) {
        setError(new ApiError(400, 'BAD_REQUEST', 'Choose a shipping address'));
        return;
      }
      shippingAddress = saved;
      addressId = saved.id;
    }
    setErrors({});
    setBusy(true);
    try {
      if (!addressId && saveAddr) {
        const created = await createAddress(shippingAddress);
        addressId = created.id;
        setChoice(created.id);
        qc.invalidateQueries({ queryKey: ['addresses'] });
      }
      const key = attempt.current.current();
      let c = await startCheckout(
        addressId ? { addressId, paymentMethod: payment } : { shippingAddress: toShippingAddress(shippingAddress), paymentMethod: payment },
        key,
      );
      // the saga may answer before it is done: follow it
      for (let i = 0; c.status === 'IN_PROGRESS' && i < 30; i++) {
        await sleep(1000);
        c = await getCheckout(c.id);
      }
      if (c.status === 'COMPLETED' && c.orderId) {
        attempt.current.settle();
        finish(c);
        return;
      }
      if (c.status === 'IN_PROGRESS') {
        setError(new ApiError(0, 'IN_PROGRESS', 'Your order is still being processed. Check your orders in a moment.'));
        return;
      }
      attempt.current.settle(new ApiError(402, c.status, ''));
      setError(new ApiError(402, c.status, c.failureReason || 'Checkout failed.'));
      qc.invalidateQueries({ queryKey: ['cart'] });
    } catch (err) {
      attempt.current.settle(err);
      setError(err);
      setErrors(serverFieldErrors(err, 'shippingAddress'));
      qc.invalidateQueries({ queryKey: ['cart'] });
    } finally {
      setBusy(false);
    }
  };

  if (cart.isPending || addresses.isPending) return <Spinner />;
  if (cart.isError) return <ErrorBanner error={cart.error} />;
  if (cart.data.items.length === 0)
    return (
      <div>
        <PageTitle>Checkout</PageTitle>
        <Empty title="Your cart is empty." testId="cart-empty">
          <Link to="/products" className={btn.link}>
            Browse products
          </Link>
        </Empty>
      </div>
    );

  const reason = isApiError(error) ? checkoutReason(error) : null;

  return (
    <div>
      <PageTitle>Checkout</PageTitle>
      {error != null && (
        <div role="alert" data-testid="checkout-error" className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <p data-testid="checkout-error-message">{isApiError(error) || error instanceof Error ? (error as Error).message : String(error)}</p>
          {reason && <p data-testid="checkout-error-reason">{reason}</p>}
        </div>
      )}
      <form onSubmit={submit} noValidate className="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_320px]" data-testid="checkout-form">
        <div className="space-y-6">
          <Card>
            <h2 className="mb-3 font-semibold">Shipping address</h2>
            {addresses.isError && <ErrorBanner error={addresses.error} />}
            <div className="space-y-2" role="radiogroup" aria-label="Shipping address">
              {(addresses.data ?? []).map((a) => (
                <label key={a.id} className="flex items-start gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-indigo-500">
                  <input
                    type="radio"
                    name="address"
                    value={a.id}
                    checked={choice === a.id}
                    onChange={() => {
                      setChoice(a.id);
                      changed();
                    }}
                    data-testid="saved-address"
                  />
                  <span>{formatAddress(a)}</span>
                </label>
              ))}
              <label className="flex items-center gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-indigo-500">
                <input
                  type="radio"
                  name="address"
                  value="new"
                  checked={choice === 'new'}
                  onChange={() => {
                    setChoice('new');
                    changed();
                  }}
                  data-testid="new-address"
                />
                New address
              </label>
            </div>
            {choice === 'new' && (
              <div className="mt-4">
                <AddressFields
                  value={addr}
                  onChange={(a) => {
                    setAddr(a);
                    changed();
                  }}
                  errors={errors}
                  showDefault={false}
                />
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={saveAddr} onChange={(e) => setSaveAddr(e.target.checked)} data-testid="save-address" />
                  Save this address to my account
                </label>
              </div>
            )}
          </Card>
          <Card>
            <h2 className="mb-3 font-semibold">Payment</h2>
            <p className="mb-3 text-xs text-slate-500">Test mode: choose one of the simulated provider's test cards.</p>
            <div className="space-y-2" role="radiogroup" aria-label="Payment method">
              {PAYMENT_METHODS.map((m) => (
                <label key={m.id} className="flex items-center gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-indigo-500">
                  <input
                    type="radio"
                    name="payment"
                    value={m.id}
                    checked={payment === m.id}
                    onChange={() => {
                      setPayment(m.id);
                      changed();
                    }}
                    data-testid={`payment-${m.id}`}
                  />
                  <span className="font-medium">{m.label}</span>
                  <span className="text-xs text-slate-500">
                    {m.hint} ({m.id})
                  </span>
                </label>
              ))}
            </div>
          </Card>
        </div>
        <Card className="h-fit">
          <h2 className="mb-3 font-semibold">Order summary</h2>
          <ul className="space-y-1 text-sm" data-testid="checkout-items">
            {cart.data.items.map((i) => (
              <li key={i.productId} className="flex justify-between gap-2">
                <span>
                  {i.name} × {i.quantity}
                </span>
                <span>{money(i.lineTotal, i.currency)}</span>
              </li>
            ))}
          </ul>
          <div className="mt-3 flex justify-between border-t border-slate-200 pt-3 font-semibold">
            <span>Total</span>
            <span data-testid="checkout-total">{money(cart.data.total, cart.data.currency)}</span>
          </div>
          <button type="submit" className={btn.primary + ' mt-4 w-full'} disabled={busy} data-testid="place-order">
            {busy ? 'Placing order…' : 'Place order'}
          </button>
        </Card>
      </form>
    </div>
  );
}

function checkoutReason(e: ApiError): string | null {
  const d = e.data as Partial<Checkout> | undefined;
  const r = d && typeof d === 'object' ? d.failureReason : undefined;
  return r && !e.message.includes(r) ? r : null;
}

/** Drops what an order's address does not have (the saved address' id and default flag). */
function toShippingAddress(a: ShippingAddress & { id?: string; isDefault?: boolean }): ShippingAddress {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { id, isDefault, ...address } = a;
  return address;
}
