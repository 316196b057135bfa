import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { SEARCH_MAX_WINDOW, inStockCount, listCategories, searchProducts } from '../api/endpoints';
import type { Category, CategoryFacet, PriceBandFacet, SearchMode } from '../api/types';
import { ProductCard } from '../components/ProductCard';
import { Pagination } from '../components/Pagination';
import { Empty, ErrorBanner, PageTitle, Spinner, TextField, btn } from '../components/ui';
import { trackSearch } from '../lib/pageViews';
import { validatePriceRange, type Errors } from '../lib/validation';

/*
 * The product listing of /products (all products, and a category's page: ?category=<slug>) and the
 * results page of /search?q=: both ask the search service (GET /api/search) and show its facets.
 */

export const PAGE_SIZE = 12;
/** The order of a listing without a search (what catalog's list and Home use too). */
export const DEFAULT_SORT = 'newest';
/** The order of a search: the search service's ranking. */
export const RELEVANCE = 'relevance';
/** Sort values sent as ?sort= to GET /api/search; relevance only with a search. */
export const SORTS: { value: string; label: string }[] = [
  { value: RELEVANCE, label: 'Best match' },
  { value: 'newest', label: 'Newest' },
  { value: 'price_asc', label: 'Price: low to high' },
  { value: 'price_desc', label: 'Price: high to low' },
  { value: 'name_asc', label: 'Name: A–Z' },
];
const MODES: SearchMode[] = ['keyword', 'semantic', 'hybrid'];
/** The last page the search service answers (it refuses page times limit above 1000). */
export const MAX_PAGE = Math.floor(SEARCH_MAX_WINDOW / PAGE_SIZE);

export const defaultSort = (q: string) => (q ? RELEVANCE : DEFAULT_SORT);

/** Reads the list state from the URL (the single source of truth). */
export function readProductParams(sp: URLSearchParams) {
  const q = (sp.get('q') ?? '').trim();
  const page = Math.min(MAX_PAGE, Math.max(1, Number.parseInt(sp.get('page') ?? '1', 10) || 1));
  const wanted = sp.get('sort');
  const sort = wanted && SORTS.some((s) => s.value === wanted) && (q || wanted !== RELEVANCE) ? wanted : defaultSort(q);
  const mode: SearchMode | '' = MODES.find((m) => m === sp.get('mode')) ?? '';
  return {
    q,
    category: sp.get('category') ?? '',
    minPrice: sp.get('minPrice') ?? '',
    maxPrice: sp.get('maxPrice') ?? '',
    inStock: sp.get('inStock') === 'true',
    sort,
    mode,
    page,
  };
}
export type ProductParams = ReturnType<typeof readProductParams>;

type Changes = Record<string, string | number | undefined>;

/** The URL's query after changes; any change but the page's goes back to page 1; defaults are left out. */
export function withChanges(sp: URLSearchParams, changes: Changes): URLSearchParams {
  const next = new URLSearchParams(sp);
  const q = ('q' in changes ? String(changes.q ?? '') : (sp.get('q') ?? '')).trim();
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '' || (k === 'page' && v === 1)) next.delete(k);
    else next.set(k, String(v));
  }
  if (next.get('sort') === defaultSort(q)) next.delete('sort');
  if (!('page' in changes)) next.delete('page');
  return next;
}

const cents = (v: string | number) => Math.round(Number(v) * 100);

/**
 * A price band as ?minPrice=&maxPrice=: the search service's maxPrice is inclusive and a band's upper
 * end exclusive, so the filter ends a cent below it (prices are in cents) and counts what the band counted.
 */
export function bandRange(b: PriceBandFacet): { minPrice: string; maxPrice: string } {
  return {
    minPrice: b.minPrice > 0 ? String(b.minPrice) : '',
    maxPrice: b.maxPrice == null ? '' : ((cents(b.maxPrice) - 1) / 100).toFixed(2),
  };
}

function bandSelected(b: PriceBandFacet, p: ProductParams): boolean {
  const r = bandRange(b);
  if (cents(r.minPrice || 0) !== cents(p.minPrice || 0)) return false;
  return r.maxPrice === '' ? p.maxPrice === '' : p.maxPrice !== '' && cents(r.maxPrice) === cents(p.maxPrice);
}

function wholeMoney(n: number, currency: string): string {
  try {
    const digits = Number.isInteger(n) ? 0 : 2;
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
  } catch {
    return `${n} ${currency}`;
  }
}

export function bandLabel(b: PriceBandFacet, currency = 'USD'): string {
  if (b.maxPrice == null) return `${wholeMoney(b.minPrice, currency)} and up`;
  if (b.minPrice <= 0) return `Under ${wholeMoney(b.maxPrice, currency)}`;
  return `${wholeMoney(b.minPrice, currency)} – ${wholeMoney(b.maxPrice, currency)}`;
}

export interface CategoryRow {
  slug: string;
  name: string;
  count: number;
  depth: number;
}

/**
 * The category facet as a tree in catalog's order: a parent, then its subcategories indented. The
 * search service counts a product under its category and each ancestor, so a counted child always has
 * a counted parent. Slugs catalog's list does not name (yet) come last, as they are.
 */
export function categoryRows(facets: CategoryFacet[], cats: Category[] = []): CategoryRow[] {
  const counts = new Map(facets.map((f) => [f.slug, f.count]));
  const ids = new Set(cats.map((c) => c.id));
  const rows: CategoryRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number) => {
    for (const c of cats) {
      const top = !c.parentId || !ids.has(c.parentId);
      if ((parent === null ? !top : c.parentId !== parent) || seen.has(c.slug) || !counts.has(c.slug)) continue;
      seen.add(c.slug);
      rows.push({ slug: c.slug, name: c.name, count: counts.get(c.slug) ?? 0, depth });
      if (depth < 8) walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  for (const f of facets) if (!seen.has(f.slug)) rows.push({ slug: f.slug, name: f.slug, count: f.count, depth: 0 });
  return rows;
}

function FacetGroup({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="mb-4" aria-label={title} data-testid={testId}>
      <h2 className="mb-2 text-sm font-semibold text-slate-900">{title}</h2>
      {children}
    </section>
  );
}

/** A subcategory's indent (classes, not a style attribute: the page's CSP allows no inline styles). */
const INDENT = ['', 'pl-3', 'pl-6', 'pl-9'];

const facetCls = (selected: boolean) =>
  `flex items-center justify-between gap-2 rounded px-2 py-1 text-sm ${selected ? 'bg-indigo-50 font-semibold text-indigo-700' : 'text-slate-700 hover:bg-slate-100'}`;

export function Products() {
  const [sp, setSp] = useSearchParams();
  const { pathname } = useLocation();
  const params = readProductParams(sp);
  const [minPrice, setMin] = useState(params.minPrice);
  const [maxPrice, setMax] = useState(params.maxPrice);
  const [errors, setErrors] = useState<Errors>({});
  const [filtersOpen, setFiltersOpen] = useState(false);

  // keep the inputs in step with the URL (back/forward, a price band chosen, header search)
  useEffect(() => {
    setMin(params.minPrice);
    setMax(params.maxPrice);
  }, [params.minPrice, params.maxPrice]);

  const cats = useQuery({ queryKey: ['catalog', 'categories'], queryFn: listCategories });
  const results = useQuery({
    queryKey: ['search', 'results', params],
    queryFn: ({ signal }) =>
      searchProducts(
        {
          q: params.q || undefined,
          mode: params.mode || undefined,
          category: params.category || undefined,
          minPrice: params.minPrice || undefined,
          maxPrice: params.maxPrice || undefined,
          inStock: params.inStock,
          sort: params.sort,
          page: params.page,
          limit: PAGE_SIZE,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
  });

  // one search event per search the shopper made (its first page; not again for a sort or a refetch)
  const tracked = useRef('');
  useEffect(() => {
    if (!params.q || params.page !== 1 || !results.data || results.isPlaceholderData) return;
    const key = JSON.stringify([params.q, params.category, params.minPrice, params.maxPrice, params.inStock]);
    if (tracked.current === key) return;
    tracked.current = key;
    trackSearch(params.q, results.data.pagination.total);
  }, [params.q, params.page, params.category, params.minPrice, params.maxPrice, params.inStock, results.data, results.isPlaceholderData]);

  const href = (changes: Changes) => {
    const qs = withChanges(sp, changes).toString();
    return { pathname, search: qs ? `?${qs}` : '' };
  };
  const update = (changes: Changes) => setSp(withChanges(sp, changes));

  const applyPrice = (e: FormEvent) => {
    e.preventDefault();
    const errs = validatePriceRange(minPrice, maxPrice);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    update({ minPrice: minPrice.trim(), maxPrice: maxPrice.trim() });
    setFiltersOpen(false);
  };

  const filtered = !!(params.category || params.minPrice || params.maxPrice || params.inStock);
  /** Clears the filters; a search stays a search. */
  const clear = () => {
    setErrors({});
    const next = new URLSearchParams();
    if (params.q) next.set('q', params.q);
    if (params.mode) next.set('mode', params.mode);
    setSp(next);
  };

  const currentCat = cats.data?.find((c) => c.slug === params.category);
  const catName = currentCat?.name ?? params.category;
  const title = params.q ? `Results for “${params.q}”${params.category ? ` in ${catName}` : ''}` : params.category ? catName : 'All products';

  const data = results.data;
  const total = data?.pagination.total ?? 0;
  const currency = data?.items[0]?.currency || 'USD';
  const rows = data ? categoryRows(data.facets.categories, cats.data) : [];
  const stockCount = data ? inStockCount(data.facets) : null;
  const priceSet = !!(params.minPrice || params.maxPrice);

  return (
    <div>
      <PageTitle
        actions={
          <button type="button" className={`${btn.secondary} md:hidden`} onClick={() => setFiltersOpen((o) => !o)} data-testid="filters-toggle">
            Filters
          </button>
        }
      >
        <span data-testid="results-title">{title}</span>
      </PageTitle>
      <div className="grid grid-cols-1 gap-6 md:grid-cols-[240px_1fr]">
        <aside className={`${filtersOpen ? 'block' : 'hidden'} md:block`} aria-label="Filters">
          <div className="rounded-lg border border-slate-200 bg-white p-4" data-testid="filters">
            {data && (
              <>
                <FacetGroup title="Category" testId="facet-categories">
                  <ul className="space-y-0.5">
                    {params.category && (
                      <li>
                        <Link to={href({ category: undefined })} className={facetCls(false)} data-testid="facet-category-all">
                          <span>All categories</span>
                        </Link>
                      </li>
                    )}
                    {rows.map((r) => {
                      const selected = r.slug === params.category;
                      return (
                        <li key={r.slug} className={INDENT[Math.min(r.depth, INDENT.length - 1)]}>
                          <Link
                            to={href({ category: selected ? undefined : r.slug })}
                            className={facetCls(selected)}
                            aria-current={selected ? 'true' : undefined}
                            data-testid="facet-category"
                            data-slug={r.slug}
                            data-count={r.count}
                          >
                            <span>{r.name}</span>
                            <span className="text-xs text-slate-500" data-testid="facet-count">
                              {r.count}
                            </span>
                          </Link>
                        </li>
                      );
                    })}
                    {rows.length === 0 && <li className="px-2 text-sm text-slate-500">None</li>}
                  </ul>
                </FacetGroup>
                <FacetGroup title="Price" testId="facet-prices">
                  <ul className="space-y-0.5">
                    {priceSet && (
                      <li>
                        <Link to={href({ minPrice: undefined, maxPrice: undefined })} className={facetCls(false)} data-testid="facet-price-any">
                          <span>Any price</span>
                        </Link>
                      </li>
                    )}
                    {data.facets.priceBands
                      .filter((b) => b.count > 0 || bandSelected(b, params))
                      .map((b) => {
                        const selected = bandSelected(b, params);
                        return (
                          <li key={b.band}>
                            <Link
                              to={href(selected ? { minPrice: undefined, maxPrice: undefined } : bandRange(b))}
                              className={facetCls(selected)}
                              aria-current={selected ? 'true' : undefined}
                              data-testid="facet-price"
                              data-band={b.band}
                              data-count={b.count}
                            >
                              <span>{bandLabel(b, currency)}</span>
                              <span className="text-xs text-slate-500" data-testid="facet-count">
                                {b.count}
                              </span>
                            </Link>
                          </li>
                        );
                      })}
                  </ul>
                </FacetGroup>
                {/* In stock: shown once the search service answers an in-stock count (its ?inStock=true filter
                    is being added); a URL that already asks for it keeps the box so it can be unticked. */}
                {(stockCount !== null || params.inStock) && (
                  <FacetGroup title="Availability" testId="facet-availability">
                    <label className="flex items-center gap-2 px-2 text-sm text-slate-700">
                      <input
                        type="checkbox"
                        checked={params.inStock}
                        onChange={(e) => update({ inStock: e.target.checked ? 'true' : undefined })}
                        data-testid="facet-in-stock"
                      />
                      <span>In stock only</span>
                      {stockCount !== null && (
                        <span className="ml-auto text-xs text-slate-500" data-testid="facet-count">
                          {stockCount}
                        </span>
                      )}
                    </label>
                  </FacetGroup>
                )}
              </>
            )}
            <form onSubmit={applyPrice} noValidate data-testid="price-form" aria-label="Price range">
              <div className="grid grid-cols-2 gap-2">
                <TextField label="Min price" name="minPrice" inputMode="decimal" value={minPrice} onChange={(e) => setMin(e.target.value)} error={errors.minPrice} />
                <TextField label="Max price" name="maxPrice" inputMode="decimal" value={maxPrice} onChange={(e) => setMax(e.target.value)} error={errors.maxPrice} />
              </div>
              <div className="flex gap-2">
                <button type="submit" className={btn.primary} data-testid="apply-filters">
                  Apply
                </button>
                <button type="button" className={btn.secondary} onClick={clear} data-testid="clear-filters" disabled={!filtered}>
                  Clear
                </button>
              </div>
            </form>
          </div>
        </aside>
        <section aria-label="Results">
          <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm text-slate-600" data-testid="result-count" aria-live="polite">
              {data ? `${total} product${total === 1 ? '' : 's'}` : ''}
            </p>
            <label className="flex items-center gap-2 text-sm">
              Sort
              <select
                value={params.sort}
                onChange={(e) => update({ sort: e.target.value })}
                className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
                data-testid="sort"
              >
                {SORTS.filter((s) => params.q || s.value !== RELEVANCE).map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {results.isPending ? (
            <Spinner label={params.q ? 'Searching…' : 'Loading…'} />
          ) : results.isError ? (
            <>
              <ErrorBanner error={results.error} />
              <button type="button" className={btn.secondary} onClick={() => results.refetch()} data-testid="retry">
                Try again
              </button>
            </>
          ) : results.data.items.length === 0 ? (
            <Empty title={params.q ? `Nothing found for “${params.q}”${filtered ? ' with these filters' : ''}.` : 'No products match these filters.'}>
              {filtered ? (
                <button type="button" className={btn.link} onClick={clear}>
                  Clear filters
                </button>
              ) : (
                <Link to="/products" className={btn.link}>
                  Browse all products
                </Link>
              )}
            </Empty>
          ) : (
            <>
              <div className={`grid grid-cols-2 gap-4 sm:grid-cols-3 ${results.isPlaceholderData ? 'opacity-60' : ''}`} data-testid="product-grid">
                {results.data.items.map((p) => (
                  <ProductCard key={p.id} product={p} />
                ))}
              </div>
              <Pagination
                pagination={{ page: params.page, limit: PAGE_SIZE, total: Math.min(total, MAX_PAGE * PAGE_SIZE) }}
                onPage={(p) => update({ page: p })}
              />
            </>
          )}
        </section>
      </div>
    </div>
  );
}
