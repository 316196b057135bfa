import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { listCategories, listProducts } from '../api/endpoints';
import { ProductCard } from '../components/ProductCard';
import { Empty, ErrorBanner, Spinner } from '../components/ui';
import { DEFAULT_SORT } from './Products';

export function Home() {
  const cats = useQuery({ queryKey: ['catalog', 'categories'], queryFn: listCategories });
  const featured = useQuery({ queryKey: ['catalog', 'featured'], queryFn: () => listProducts({ limit: 8, sort: DEFAULT_SORT }) });
  const topLevel = (cats.data ?? []).filter((c) => !c.parentId);

  return (
    <div>
      <section className="mb-8 rounded-xl bg-gradient-to-r from-indigo-600 to-violet-600 px-6 py-10 text-white">
        <h1 className="text-3xl font-bold">Welcome to Storefront</h1>
        <p className="mt-2 max-w-xl text-indigo-100">Everything you need, shipped fast.</p>
        <Link to="/products" className="mt-4 inline-block rounded-md bg-white px-4 py-2 text-sm font-semibold text-indigo-700" data-testid="shop-now">
          Shop all products
        </Link>
      </section>

      <section className="mb-8" aria-labelledby="cat-h">
        <h2 id="cat-h" className="mb-3 text-lg font-semibold">
          Categories
        </h2>
        {cats.isPending ? (
          <Spinner />
        ) : cats.isError ? (
          <ErrorBanner error={cats.error} />
        ) : topLevel.length === 0 ? (
          <Empty title="No categories yet." />
        ) : (
          <ul className="flex flex-wrap gap-2" data-testid="home-categories">
            {topLevel.map((c) => (
              <li key={c.id}>
                <Link
                  to={`/products?category=${encodeURIComponent(c.slug)}`}
                  data-testid="category-link"
                  data-slug={c.slug}
                  className="inline-block rounded-full border border-slate-300 bg-white px-4 py-1.5 text-sm hover:border-indigo-400 hover:text-indigo-700"
                >
                  {c.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="feat-h">
        <h2 id="feat-h" className="mb-3 text-lg font-semibold">
          Featured products
        </h2>
        {featured.isPending ? (
          <Spinner />
        ) : featured.isError ? (
          <ErrorBanner error={featured.error} />
        ) : featured.data.items.length === 0 ? (
          <Empty title="No products yet." />
        ) : (
          <div className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" data-testid="featured-products">
            {featured.data.items.map((p) => (
              <ProductCard key={p.id} product={p} />
            ))}
          </div>
        )}
      </section>
    </div>
  );
}
