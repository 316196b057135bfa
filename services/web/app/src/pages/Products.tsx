import { useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listCategories, listProducts } from '../api/endpoints';
import { ProductCard } from '../components/ProductCard';
import { Pagination } from '../components/Pagination';
import { Empty, ErrorBanner, PageTitle, SelectField, Spinner, TextField, btn } from '../components/ui';
import { validatePriceRange, type Errors } from '../lib/validation';

export const PAGE_SIZE = 12;
export const DEFAULT_SORT = 'newest';
/** Sort values sent as ?sort= to GET /api/products. */
export const SORTS: { value: string; label: string }[] = [
  { value: 'newest', label: 'Newest' },
  { value: 'price_asc', label: 'Price: low to high' },
  { value: 'price_desc', label: 'Price: high to low' },
  { value: 'name_asc', label: 'Name: A–Z' },
];

/** Reads the list state from the URL (the single source of truth). */
export function readProductParams(sp: URLSearchParams) {
  const page = Math.max(1, Number.parseInt(sp.get('page') ?? '1', 10) || 1);
  return {
    q: sp.get('q') ?? '',
    category: sp.get('category') ?? '',
    minPrice: sp.get('minPrice') ?? '',
    maxPrice: sp.get('maxPrice') ?? '',
    sort: sp.get('sort') ?? DEFAULT_SORT,
    page,
  };
}

export function Products() {
  const [sp, setSp] = useSearchParams();
  const params = readProductParams(sp);
  const [q, setQ] = useState(params.q);
  const [minPrice, setMin] = useState(params.minPrice);
  const [maxPrice, setMax] = useState(params.maxPrice);
  const [errors, setErrors] = useState<Errors>({});
  const [filtersOpen, setFiltersOpen] = useState(false);

  // keep the inputs in step with the URL (back/forward, header search)
  useEffect(() => {
    setQ(params.q);
    setMin(params.minPrice);
    setMax(params.maxPrice);
  }, [params.q, params.minPrice, params.maxPrice]);

  const cats = useQuery({ queryKey: ['catalog', 'categories'], queryFn: listCategories });
  const products = useQuery({
    queryKey: ['catalog', 'products', params],
    queryFn: () =>
      listProducts({
        q: params.q || undefined,
        category: params.category || undefined,
        minPrice: params.minPrice || undefined,
        maxPrice: params.maxPrice || undefined,
        sort: params.sort,
        page: params.page,
        limit: PAGE_SIZE,
      }),
    placeholderData: keepPreviousData,
  });

  const update = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(sp);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '' || (k === 'sort' && v === DEFAULT_SORT) || (k === 'page' && v === 1)) next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in changes)) next.delete('page'); // any filter change goes back to page 1
    setSp(next);
  };

  const applyFilters = (e: FormEvent) => {
    e.preventDefault();
    const errs = validatePriceRange(minPrice, maxPrice);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    update({ q: q.trim(), minPrice: minPrice.trim(), maxPrice: maxPrice.trim() });
    setFiltersOpen(false);
  };

  const clear = () => {
    setErrors({});
    setSp(new URLSearchParams());
  };

  const currentCat = cats.data?.find((c) => c.slug === params.category);

  return (
    <div>
      <PageTitle
        actions={
          <button type="button" className={`${btn.secondary} md:hidden`} onClick={() => setFiltersOpen((o) => !o)} data-testid="filters-toggle">
            Filters
          </button>
        }
      >
        {currentCat ? currentCat.name : params.q ? `Results for “${params.q}”` : 'All products'}
      </PageTitle>
      <div className="grid grid-cols-1 gap-6 md:grid-cols-[240px_1fr]">
        <aside className={`${filtersOpen ? 'block' : 'hidden'} md:block`}>
          <form onSubmit={applyFilters} noValidate className="rounded-lg border border-slate-200 bg-white p-4" data-testid="filters">
            <TextField label="Search" name="q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
            <SelectField label="Category" name="category" value={params.category} onChange={(e) => update({ category: e.target.value })}>
              <option value="">All categories</option>
              {(cats.data ?? []).map((c) => (
                <option key={c.id} value={c.slug}>
                  {c.parentId ? `— ${c.name}` : c.name}
                </option>
              ))}
            </SelectField>
            <div className="grid grid-cols-2 gap-2">
              <TextField label="Min price" name="minPrice" inputMode="decimal" value={minPrice} onChange={(e) => setMin(e.target.value)} error={errors.minPrice} />
              <TextField label="Max price" name="maxPrice" inputMode="decimal" value={maxPrice} onChange={(e) => setMax(e.target.value)} error={errors.maxPrice} />
            </div>
            <div className="flex gap-2">
              <button type="submit" className={btn.primary} data-testid="apply-filters">
                Apply
              </button>
              <button type="button" className={btn.secondary} onClick={clear} data-testid="clear-filters">
                Clear
              </button>
            </div>
          </form>
        </aside>
        <section>
          <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-600" data-testid="result-count">
              {products.data ? `${products.data.pagination.total} product${products.data.pagination.total === 1 ? '' : 's'}` : ''}
            </p>
            <label className="flex items-center gap-2 text-sm">
              Sort
              <select
                value={params.sort}
                onChange={(e) => update({ sort: e.target.value })}
                className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
                data-testid="sort"
              >
                {SORTS.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {products.isPending ? (
            <Spinner />
          ) : products.isError ? (
            <ErrorBanner error={products.error} />
          ) : products.data.items.length === 0 ? (
            <Empty title="No products match these filters.">
              <button type="button" className={btn.link} onClick={clear}>
                Clear filters
              </button>
            </Empty>
          ) : (
            <>
              <div className={`grid grid-cols-2 gap-4 sm:grid-cols-3 ${products.isPlaceholderData ? 'opacity-60' : ''}`} data-testid="product-grid">
                {products.data.items.map((p) => (
                  <ProductCard key={p.id} product={p} />
                ))}
              </div>
              <Pagination pagination={{ ...products.data.pagination, page: params.page }} onPage={(p) => update({ page: p })} />
            </>
          )}
        </section>
      </div>
    </div>
  );
}
