import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createPriceFeed,
  deletePriceFeed,
  fetchPriceFeedNow,
  listPriceFeeds,
  updatePriceFeed,
  type PriceFeed,
  type PriceFeedInput,
} from '../../api/priceFeeds';
import { isApiError } from '../../api/client';
import { Card, Empty, ErrorBanner, PageTitle, SelectField, Spinner, TextField, btn } from '../../components/ui';
import { dateTime } from '../../lib/format';
import type { Errors } from '../../lib/validation';

/** The admin's competitor price feeds with how their last fetches went, and the form to register one. */
export function PriceFeedsPage() {
  const qc = useQueryClient();
  const feeds = useQuery({ queryKey: ['admin', 'price-feeds'], queryFn: listPriceFeeds, refetchInterval: 15_000 });
  const [formOpen, setFormOpen] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: ['admin', 'price-feeds'] });
  const fetchNow = useMutation({ mutationFn: (id: string) => fetchPriceFeedNow(id), onSuccess: refresh });
  const toggle = useMutation({ mutationFn: (f: PriceFeed) => updatePriceFeed(f.id, { enabled: !f.enabled }), onSuccess: refresh });
  const remove = useMutation({ mutationFn: (id: string) => deletePriceFeed(id), onSuccess: refresh });
  const actionError = fetchNow.error || toggle.error || remove.error;
  const showForm = formOpen || (feeds.isSuccess && feeds.data.length === 0);

  return (
    <div>
      <PageTitle
        actions={
          !showForm && (
            <button type="button" className={btn.primary} onClick={() => setFormOpen(true)} data-testid="price-feed-new">
              Register a feed
            </button>
          )
        }
      >
        Price feeds
      </PageTitle>
      {showForm && (
        <PriceFeedForm
          onDone={() => {
            setFormOpen(false);
            refresh();
          }}
          onCancel={feeds.data?.length ? () => setFormOpen(false) : undefined}
        />
      )}
      {actionError && <ErrorBanner error={actionError} />}
      {feeds.isPending ? (
        <Spinner />
      ) : feeds.isError ? (
        <ErrorBanner error={feeds.error} />
      ) : feeds.data.length === 0 ? (
        <Empty title="No price feeds yet." testId="price-feeds-empty">
          Register a competitor's feed with the form above.
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
                <FeedRow
                  key={f.id}
                  feed={f}
                  onFetch={() => fetchNow.mutate(f.id)}
                  busy={fetchNow.isPending && fetchNow.variables === f.id}
                  onToggle={() => toggle.mutate(f)}
                  toggling={toggle.isPending && toggle.variables?.id === f.id}
                  onDelete={() => window.confirm(`Delete the feed “${f.name}” and the prices it gave?`) && remove.mutate(f.id)}
                  deleting={remove.isPending && remove.variables === f.id}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

interface FeedForm {
  name: string;
  url: string;
  format: 'JSON' | 'CSV';
  matchBy: 'SKU' | 'GTIN';
  key: string;
  price: string;
  currencyField: string;
  items: string;
  currency: string;
  intervalMinutes: string;
}

const emptyFeed: FeedForm = {
  name: '',
  url: '',
  format: 'JSON',
  matchBy: 'SKU',
  key: 'sku',
  price: 'price',
  currencyField: '',
  items: '',
  currency: 'USD',
  intervalMinutes: '60',
};

/** Form fields by the names the catalog's 400 details use (mapping.key, intervalMinutes, …). */
type FieldName = 'name' | 'url' | 'format' | 'mapping.matchBy' | 'mapping.key' | 'mapping.price' | 'mapping.currency' | 'mapping.items' | 'currency' | 'intervalMinutes';

/** The request body: optional fields left empty are left out (the catalog refuses blank ones). */
export function feedToInput(f: FeedForm): PriceFeedInput {
  const mapping: PriceFeedInput['mapping'] = { matchBy: f.matchBy, key: f.key.trim(), price: f.price.trim() };
  if (f.currencyField.trim()) mapping.currency = f.currencyField.trim();
  if (f.format === 'JSON' && f.items.trim()) mapping.items = f.items.trim();
  const input: PriceFeedInput = { name: f.name.trim(), url: f.url.trim(), format: f.format, mapping, intervalMinutes: Number(f.intervalMinutes.trim()) };
  if (f.currency.trim()) input.currency = f.currency.trim().toUpperCase();
  return input;
}

/** The checks worth making before asking (the catalog makes them all again, and more). */
export function validateFeed(f: FeedForm): Errors {
  const e: Errors = {};
  if (!f.name.trim()) e.name = 'is required';
  if (!f.url.trim()) e.url = 'is required';
  else if (!/^https?:\/\/\S+$/i.test(f.url.trim())) e.url = 'must be an http(s) URL';
  if (!f.key.trim()) e['mapping.key'] = 'is required';
  if (!f.price.trim()) e['mapping.price'] = 'is required';
  const minutes = Number(f.intervalMinutes.trim());
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 10_080) e.intervalMinutes = 'must be a whole number of minutes from 5 to 10080 (a week)';
  if (!f.currencyField.trim() && !f.currency.trim()) e.currency = 'is required when the feed has no currency field';
  return e;
}

function PriceFeedForm({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const [form, setForm] = useState<FeedForm>(emptyFeed);
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation({
    mutationFn: () => createPriceFeed(feedToInput(form)),
    onSuccess: () => {
      setForm(emptyFeed);
      setErrors({});
      onDone();
    },
    // the catalog names each field it refuses with its full name: shown next to that field
    onError: (e) => setErrors(isApiError(e) ? e.fieldErrors() : {}),
  });
  const set = (k: keyof FeedForm) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const value = e.target.value;
    setForm((f) => ({ ...f, [k]: value }));
  };
  const err = (f: FieldName) => errors[f];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateFeed(form);
    setErrors(errs);
    if (!Object.keys(errs).length) create.mutate();
  };
  // a 400 whose details all sit next to their fields needs no banner; anything else (403, 5xx, network) does
  const bannerError =
    create.isError && !(isApiError(create.error) && create.error.status === 400 && Object.keys(create.error.fieldErrors()).length > 0)
      ? create.error
      : null;

  return (
    <Card className="mb-6">
      <h2 className="mb-3 text-lg font-semibold">Register a competitor's price feed</h2>
      {bannerError && <ErrorBanner error={bannerError} />}
      <form onSubmit={submit} noValidate data-testid="price-feed-form">
        <div className="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
          <TextField label="Name" name="name" value={form.name} onChange={set('name')} error={err('name')} maxLength={100} />
          <TextField label="Feed URL" name="url" type="url" value={form.url} onChange={set('url')} error={err('url')} placeholder="https://rival.example/prices.json" />
          <SelectField label="Format" name="format" value={form.format} onChange={set('format')} error={err('format')}>
            <option value="JSON">JSON</option>
            <option value="CSV">CSV</option>
          </SelectField>
          <SelectField label="Match products by" name="mapping.matchBy" value={form.matchBy} onChange={set('matchBy')} error={err('mapping.matchBy')}
            hint="SKU: our attribute sku; GTIN: the product's barcode number">
            <option value="SKU">SKU</option>
            <option value="GTIN">GTIN</option>
          </SelectField>
          <TextField label={`${form.format === 'CSV' ? 'Column' : 'Field'} holding the ${form.matchBy}`} name="mapping.key" value={form.key} onChange={set('key')}
            error={err('mapping.key')} hint={form.format === 'CSV' ? 'The column header' : 'A field name, or a JSON Pointer such as /ids/ean'} />
          <TextField label={`${form.format === 'CSV' ? 'Column' : 'Field'} holding the price`} name="mapping.price" value={form.price} onChange={set('price')}
            error={err('mapping.price')} />
          <TextField label={`${form.format === 'CSV' ? 'Column' : 'Field'} holding the currency (optional)`} name="mapping.currency" value={form.currencyField}
            onChange={set('currencyField')} error={err('mapping.currency')} hint="Leave empty when every row is in the currency below" />
          <TextField label="Currency of every row" name="currency" value={form.currency} onChange={set('currency')} error={err('currency')} maxLength={3}
            hint="ISO code such as USD; needed when the feed has no currency field" />
          {form.format === 'JSON' && (
            <TextField label="Where the rows are (optional)" name="mapping.items" value={form.items} onChange={set('items')} error={err('mapping.items')}
              placeholder="/products" hint="A JSON Pointer to the array of rows; empty when the document is the array" />
          )}
          <TextField label="Fetch every (minutes)" name="intervalMinutes" inputMode="numeric" value={form.intervalMinutes} onChange={set('intervalMinutes')}
            error={err('intervalMinutes')} hint="5 minutes to a week (10080)" />
        </div>
        <div className="flex gap-2">
          <button className={btn.primary} disabled={create.isPending} data-testid="price-feed-save">
            {create.isPending ? 'Registering…' : 'Register feed'}
          </button>
          {onCancel && (
            <button type="button" className={btn.secondary} onClick={onCancel}>
              Cancel
            </button>
          )}
        </div>
      </form>
    </Card>
  );
}

interface FeedRowProps {
  feed: PriceFeed;
  onFetch: () => void;
  busy: boolean;
  onToggle: () => void;
  toggling: boolean;
  onDelete: () => void;
  deleting: boolean;
}

function FeedRow({ feed, onFetch, busy, onToggle, toggling, onDelete, deleting }: FeedRowProps) {
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
      <td className="space-x-3 whitespace-nowrap px-3 py-2 text-right">
        {feed.enabled && (
          <button type="button" className={btn.link} onClick={onFetch} disabled={busy} data-testid="price-feed-fetch">
            {busy ? 'Queuing…' : 'Fetch now'}
          </button>
        )}
        <button type="button" className={btn.link} onClick={onToggle} disabled={toggling} data-testid="price-feed-toggle">
          {feed.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" className="text-red-600 hover:underline" onClick={onDelete} disabled={deleting} data-testid="price-feed-delete">
          Delete
        </button>
      </td>
    </tr>
  );
}
