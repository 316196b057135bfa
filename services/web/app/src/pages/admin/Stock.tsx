import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addStock, listProducts, lowStock } from '../../api/endpoints';
import { Card, Empty, ErrorBanner, Notice, PageTitle, SelectField, Spinner, TextField, btn } from '../../components/ui';
import { validateStockAdd, type Errors } from '../../lib/validation';
import { serverFieldErrors } from '../../lib/errors';

export function StockPage() {
  const qc = useQueryClient();
  const low = useQuery({ queryKey: ['admin', 'low-stock'], queryFn: lowStock });
  const products = useQuery({ queryKey: ['catalog', 'products', 'all-for-stock'], queryFn: () => listProducts({ limit: 100, sort: 'name_asc' }) });
  const names = new Map((products.data?.items ?? []).map((p) => [p.id, p.name]));
  const [v, setV] = useState({ productId: '', quantity: '', lowStockThreshold: '' });
  const [errors, setErrors] = useState<Errors>({});
  const add = useMutation({
    mutationFn: () =>
      addStock({
        productId: v.productId,
        quantity: Number(v.quantity),
        ...(v.lowStockThreshold.trim() ? { lowStockThreshold: Number(v.lowStockThreshold) } : {}),
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['admin', 'low-stock'] });
      qc.invalidateQueries({ queryKey: ['stock'] });
      setV({ ...v, quantity: '', lowStockThreshold: '' });
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateStockAdd(v);
    setErrors(errs);
    if (!Object.keys(errs).length) add.mutate();
  };

  return (
    <div>
      <PageTitle>Stock</PageTitle>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_360px]">
        <section>
          <h2 className="mb-3 font-semibold">Low stock</h2>
          {low.isPending ? (
            <Spinner />
          ) : low.isError ? (
            <ErrorBanner error={low.error} />
          ) : low.data.length === 0 ? (
            <Empty title="Nothing is running low." testId="low-stock-empty" />
          ) : (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="min-w-full text-sm" data-testid="low-stock-table">
                <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
                  <tr>
                    <th className="px-3 py-2">Product</th>
                    <th className="px-3 py-2 text-right">Available</th>
                    <th className="px-3 py-2 text-right">Reserved</th>
                    <th className="px-3 py-2 text-right">Threshold</th>
                    <th className="px-3 py-2" />
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {low.data.map((s) => (
                    <tr key={s.productId} data-testid="low-stock-row" data-product-id={s.productId}>
                      <td className="px-3 py-2">
                        <Link to={`/products/${s.productId}`} className={btn.link}>
                          {names.get(s.productId) ?? s.productId}
                        </Link>
                      </td>
                      <td className="px-3 py-2 text-right font-semibold text-amber-700">{s.available}</td>
                      <td className="px-3 py-2 text-right">{s.reserved}</td>
                      <td className="px-3 py-2 text-right">{s.lowStockThreshold}</td>
                      <td className="px-3 py-2 text-right">
                        <button type="button" className={btn.link} onClick={() => setV({ ...v, productId: s.productId })} data-testid="restock">
                          Restock
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <Card className="h-fit">
          <h2 className="mb-3 font-semibold">Add stock</h2>
          {add.isError && <ErrorBanner error={add.error} />}
          {add.isSuccess && <Notice testId="stock-added">Stock updated.</Notice>}
          <form onSubmit={submit} noValidate data-testid="stock-form">
            <SelectField label="Product" name="productId" value={v.productId} onChange={(e) => setV({ ...v, productId: e.target.value })} error={errors.productId}>
              <option value="">— choose —</option>
              {(products.data?.items ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
              {v.productId && !names.has(v.productId) && <option value={v.productId}>{v.productId}</option>}
            </SelectField>
            <TextField label="Quantity to add" name="quantity" inputMode="numeric" value={v.quantity} onChange={(e) => setV({ ...v, quantity: e.target.value })} error={errors.quantity} />
            <TextField
              label="Low-stock threshold (optional)"
              name="lowStockThreshold"
              inputMode="numeric"
              value={v.lowStockThreshold}
              onChange={(e) => setV({ ...v, lowStockThreshold: e.target.value })}
              error={errors.lowStockThreshold}
            />
            <button className={btn.primary} disabled={add.isPending} data-testid="stock-save">
              {add.isPending ? 'Saving…' : 'Add stock'}
            </button>
          </form>
        </Card>
      </div>
    </div>
  );
}
