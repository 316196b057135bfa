import { beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Products, bandLabel, bandRange, categoryRows } from './Products';
import { fail, mockApi, ok, type Call } from '../test/mockApi';
import { renderAt } from '../test/render';
import { trackSearch } from '../lib/pageViews';

vi.mock('../lib/pageViews', () => ({ trackSearch: vi.fn(), trackPageView: vi.fn() }));

const categories = [
  { id: 'c1', name: 'Home & Kitchen', slug: 'home-kitchen', parentId: null },
  { id: 'c2', name: 'Kitchen', slug: 'kitchen', parentId: 'c1' },
  { id: 'c3', name: 'Furniture', slug: 'furniture', parentId: 'c1' },
  { id: 'c4', name: 'Books', slug: 'books', parentId: null },
];
const product = (i: number, extra = {}) => ({ id: `p${i}`, name: `Mug ${i}`, price: 10 * i, currency: 'USD', images: [], ...extra });
const bands = (counts: number[]) =>
  [
    [0, 25],
    [25, 50],
    [50, 100],
    [100, 200],
    [200, null],
  ].map(([min, max], i) => ({ band: `${min}-${max ?? ''}`, minPrice: min, maxPrice: max, count: counts[i] }));
const facets = {
  // as the search service answers them: by count, a product counted under its category and each ancestor
  categories: [
    { slug: 'home-kitchen', count: 4 },
    { slug: 'kitchen', count: 3 },
    { slug: 'books', count: 2 },
    { slug: 'furniture', count: 1 },
  ],
  priceBands: bands([3, 2, 1, 0, 0]),
};
const answer = (items: unknown[], total: number, f: object = facets) => ok({ mode: 'hybrid', items, facets: f }, { pagination: { page: 1, limit: 12, total } });
const searchParams = (calls: Call[]) =>
  calls.filter((c) => c.url.startsWith('/api/search')).map((c) => Object.fromEntries(new URL(c.url, 'http://x').searchParams));

/** A facet link by its data attribute (role queries are slow in jsdom on a page this size). */
const facet = (testId: string, attr: string, value: string) =>
  screen.getAllByTestId(testId).find((el) => el.getAttribute(attr) === value) ?? null;
const currentFacet = () => document.querySelector('[aria-current="true"]');

const facetRows = (testId: string) =>
  screen.getAllByTestId(testId).map((el) => `${el.firstElementChild?.textContent} ${within(el).getByTestId('facet-count').textContent}`);

beforeEach(() => vi.mocked(trackSearch).mockClear());

// clicks and re-renders add up on a busy 2-core machine: more than vitest's 5 s default
describe('search results page', { timeout: 20_000 }, () => {
  it('asks the search service for the query and shows results with category and price facets and their counts', async () => {
    const m = mockApi({ 'GET /api/categories': ok(categories), 'GET /api/search': answer([product(1), product(2), product(3)], 6) });
    renderAt(<Products />, { url: '/search?q=mug', path: '/search' });
    expect(await screen.findAllByTestId('product-card')).toHaveLength(3);
    expect(searchParams(m.calls)[0]).toEqual({ q: 'mug', sort: 'relevance', page: '1', limit: '12' });
    expect(screen.getByTestId('results-title')).toHaveTextContent('Results for “mug”');
    expect(screen.getByTestId('result-count')).toHaveTextContent('6 products');
    // the tree in catalog's order, subcategories after their parent, once the names are known
    await waitFor(() => expect(facetRows('facet-category')).toEqual(['Home & Kitchen 4', 'Kitchen 3', 'Furniture 1', 'Books 2']));
    // bands with nothing in them are left out
    expect(facetRows('facet-price')).toEqual(['Under $25 3', '$25 – $50 2', '$50 – $100 1']);
    expect(screen.getByTestId('sort')).toHaveValue('relevance');
    // no in-stock count in the answer: no in-stock choice
    expect(screen.queryByTestId('facet-in-stock')).toBeNull();
  });

  it('narrows by a category facet through the URL, and a second click widens again', async () => {
    const m = mockApi({
      'GET /api/categories': ok(categories),
      'GET /api/search': (c) =>
        new URL(c.url, 'http://x').searchParams.get('category') === 'kitchen'
          ? answer([product(1)], 3, { categories: [{ slug: 'home-kitchen', count: 3 }, { slug: 'kitchen', count: 3 }], priceBands: bands([3, 0, 0, 0, 0]) })
          : answer([product(1), product(2)], 6),
    });
    renderAt(<Products />, { url: '/search?q=mug&sort=price_asc', path: '/search' });
    await screen.findAllByTestId('product-card');
    await waitFor(() => expect(facet('facet-category', 'data-slug', 'kitchen')).toHaveTextContent(/^Kitchen\s*3$/));
    const kitchen = facet('facet-category', 'data-slug', 'kitchen')!;
    expect(kitchen.tagName).toBe('A'); // a real link: opens in a new tab, can be shared
    await userEvent.click(kitchen);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/search?q=mug&sort=price_asc&category=kitchen'));
    await waitFor(() => expect(screen.getByTestId('result-count')).toHaveTextContent('3 products'));
    expect(searchParams(m.calls).at(-1)).toEqual({ q: 'mug', category: 'kitchen', sort: 'price_asc', page: '1', limit: '12' });
    expect(screen.getByTestId('results-title')).toHaveTextContent('Results for “mug” in Kitchen');
    const selected = currentFacet()!;
    expect(selected).toHaveAttribute('data-slug', 'kitchen');
    await userEvent.click(selected);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/search\?q=mug&sort=price_asc$/));
  });

  it('narrows by a price band (its upper end exclusive, as the facet counted it) and clears it again', async () => {
    const m = mockApi({ 'GET /api/categories': ok(categories), 'GET /api/search': answer([product(1)], 6) });
    renderAt(<Products />, { url: '/search?q=mug&page=2', path: '/search' });
    await screen.findAllByTestId('product-card');
    await userEvent.click(facet('facet-price', 'data-band', '25-50')!);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/search?q=mug&minPrice=25&maxPrice=49.99'));
    await waitFor(() => expect(searchParams(m.calls).at(-1)).toMatchObject({ minPrice: '25', maxPrice: '49.99', page: '1' }));
    await waitFor(() => expect(currentFacet()).toHaveAttribute('data-band', '25-50'));
    expect(screen.getByTestId('input-minPrice')).toHaveValue('25');
    await userEvent.click(screen.getByTestId('facet-price-any'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/search\?q=mug$/));
  });

  it('offers in stock only when the answer counts it, and sends inStock=true', async () => {
    const m = mockApi({ 'GET /api/categories': ok([]), 'GET /api/search': answer([product(1)], 6, { ...facets, inStock: 5 }) });
    renderAt(<Products />, { url: '/products?category=kitchen', path: '/products' });
    const box = await screen.findByTestId('facet-in-stock');
    expect(within(screen.getByTestId('facet-availability')).getByTestId('facet-count')).toHaveTextContent('5');
    await userEvent.click(box);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/products?category=kitchen&inStock=true'));
    await waitFor(() => expect(searchParams(m.calls).at(-1)).toMatchObject({ category: 'kitchen', inStock: 'true' }));
    expect(screen.getByTestId('facet-in-stock')).toBeChecked();
  });

  it('says nothing was found for the query', async () => {
    mockApi({ 'GET /api/categories': ok(categories), 'GET /api/search': answer([], 0, { categories: [], priceBands: bands([0, 0, 0, 0, 0]) }) });
    renderAt(<Products />, { url: '/search?q=zebra%20saddle', path: '/search' });
    expect(await screen.findByTestId('empty')).toHaveTextContent('Nothing found for “zebra saddle”.');
    expect(within(screen.getByTestId('empty')).getByText('Browse all products')).toHaveAttribute('href', '/products');
  });

  it("shows the service's error and tries again on request", async () => {
    let calls = 0;
    mockApi({
      'GET /api/categories': ok(categories),
      'GET /api/search': () => (++calls === 1 ? fail(400, 'VALIDATION_FAILED', 'category: must be a category slug') : answer([product(1)], 1)),
    });
    renderAt(<Products />, { url: '/search?q=mug&category=Bad', path: '/search' });
    expect(await screen.findByTestId('error-banner')).toHaveTextContent('category: must be a category slug');
    await userEvent.click(screen.getByTestId('retry'));
    expect(await screen.findAllByTestId('product-card')).toHaveLength(1);
  });

  it('shows a loading state until the answer comes', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    mockApi({ 'GET /api/categories': ok(categories), 'GET /api/search': async () => (await gate, answer([product(1)], 1)) });
    renderAt(<Products />, { url: '/search?q=mug', path: '/search' });
    expect(screen.getByTestId('loading')).toHaveTextContent('Searching…');
    release();
    expect(await screen.findAllByTestId('product-card')).toHaveLength(1);
    expect(screen.queryByTestId('loading')).toBeNull();
  });

  it('reports each search once to analytics, with its result count (not again for another sort)', async () => {
    mockApi({ 'GET /api/categories': ok(categories), 'GET /api/search': answer([product(1)], 6) });
    renderAt(<Products />, { url: '/search?q=mug', path: '/search' });
    await waitFor(() => expect(trackSearch).toHaveBeenCalledWith('mug', 6));
    await userEvent.selectOptions(screen.getByTestId('sort'), 'price_desc');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/search?q=mug&sort=price_desc'));
    await waitFor(() => expect(screen.getByTestId('product-grid')).not.toHaveClass('opacity-60'));
    expect(trackSearch).toHaveBeenCalledTimes(1);
  });

  it('lists a category page from the search service, newest first, with no relevance sort', async () => {
    const m = mockApi({ 'GET /api/categories': ok(categories), 'GET /api/search': answer([product(1)], 1) });
    renderAt(<Products />, { url: '/products?category=kitchen', path: '/products' });
    await screen.findAllByTestId('product-card');
    expect(searchParams(m.calls)[0]).toEqual({ category: 'kitchen', sort: 'newest', page: '1', limit: '12' });
    await waitFor(() => expect(screen.getByTestId('results-title')).toHaveTextContent('Kitchen'));
    expect(within(screen.getByTestId('sort')).queryByRole('option', { name: 'Best match' })).toBeNull();
    expect(trackSearch).not.toHaveBeenCalled();
  });
});

describe('facet helpers', () => {
  it('turns a band into an inclusive price range a cent below its exclusive end', () => {
    expect(bandRange({ band: '0-25', minPrice: 0, maxPrice: 25, count: 1 })).toEqual({ minPrice: '', maxPrice: '24.99' });
    expect(bandRange({ band: '200-', minPrice: 200, maxPrice: null, count: 1 })).toEqual({ minPrice: '200', maxPrice: '' });
    expect(bandLabel({ band: '200-', minPrice: 200, maxPrice: null, count: 1 })).toBe('$200 and up');
  });

  it('keeps a category catalog does not list yet, by its slug', () => {
    expect(categoryRows([{ slug: 'new-one', count: 2 }, { slug: 'books', count: 1 }], categories)).toEqual([
      { slug: 'books', name: 'Books', count: 1, depth: 0 },
      { slug: 'new-one', name: 'new-one', count: 2, depth: 0 },
    ]);
  });
});
