import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addToCart, getProduct, getStock } from '../api/endpoints';
import { isApiError } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { ProductImage } from '../components/ProductCard';
import { galleryOf } from '../api/images';
import { Empty, ErrorBanner, Notice, Spinner, btn } from '../components/ui';
import { money } from '../lib/format';
import { MAX_QTY, validateQuantity } from '../lib/validation';
import { serverFieldErrors } from '../lib/errors';

export function StockBadge({ inStock, quantity, isLowStock }: { inStock: boolean; quantity: number; isLowStock: boolean }) {
  if (!inStock || quantity <= 0)
    return (
      <span data-testid="stock-state" data-state="out" className="text-sm font-semibold text-red-600">
        Out of stock
      </span>
    );
  if (isLowStock)
    return (
      <span data-testid="stock-state" data-state="low" className="text-sm font-semibold text-amber-600">
        Only {quantity} left
      </span>
    );
  return (
    <span data-testid="stock-state" data-state="in" className="text-sm font-semibold text-emerald-600">
      In stock
    </span>
  );
}

export function ProductDetail() {
  const { id = '' } = useParams();
  const { user } = useAuth();
  const navigate = useNavigate();
  const loc = useLocation();
  const qc = useQueryClient();
  const [qty, setQty] = useState('1');
  const [qtyError, setQtyError] = useState<string | null>(null);
  const [imageIdx, setImageIdx] = useState(0);
  const product = useQuery({ queryKey: ['catalog', 'product', id], queryFn: () => getProduct(id) });
  const stock = useQuery({ queryKey: ['stock', id], queryFn: () => getStock(id), retry: false });

  const add = useMutation({
    mutationFn: (n: number) => addToCart(id, n),
    onSuccess: (cart) => {
      if (cart && typeof cart === 'object' && 'items' in cart) qc.setQueryData(['cart'], cart);
      else qc.invalidateQueries({ queryKey: ['cart'] });
    },
  });

  if (product.isPending) return <Spinner />;
  if (product.isError)
    return isApiError(product.error) && product.error.status === 404 ? (
      <Empty title="This product doesn't exist (any more).">
        <Link to="/products" className={btn.link}>
          Back to products
        </Link>
      </Empty>
    ) : (
      <ErrorBanner error={product.error} />
    );

  const p = product.data;
  // uploaded images (with variants for srcset) when there are any, else the typed-in URLs
  const media = galleryOf(p);
  const images = media.length > 0 ? media.map((m) => m.variants.full?.url ?? '') : p.images ?? [];
  const s = stock.data;
  const outOfStock = !!s && (!s.inStock || s.quantity <= 0);
  const maxQty = s ? Math.min(MAX_QTY, Math.max(1, s.quantity)) : MAX_QTY;

  const submit = () => {
    const err = validateQuantity(qty);
    setQtyError(err);
    if (err) return;
    if (!user) {
      navigate(`/login?next=${encodeURIComponent(loc.pathname)}`);
      return;
    }
    add.mutate(Number(qty));
  };

  const qtyServerError = serverFieldErrors(add.error).quantity;

  return (
    <div className="grid grid-cols-1 gap-8 md:grid-cols-2">
      <div>
        <ProductImage
          image={media[imageIdx]}
          src={images[imageIdx]}
          variant="full"
          // the page is one column below 768 px, two (the image in one) up to the 72rem page width
          sizes="(min-width: 1152px) 560px, (min-width: 768px) 50vw, 100vw"
          alt={p.name}
          className="aspect-square w-full rounded-lg"
          testId="product-image"
        />
        {images.length > 1 && (
          <div className="mt-3 flex gap-2 overflow-x-auto" data-testid="thumbnails">
            {images.map((src, i) => (
              <button
                key={src + i}
                type="button"
                onClick={() => setImageIdx(i)}
                className={`h-16 w-16 shrink-0 overflow-hidden rounded border-2 ${i === imageIdx ? 'border-indigo-600' : 'border-transparent'}`}
                aria-label={`Image ${i + 1}`}
              >
                <ProductImage image={media[i]} src={src} variant="thumb" sizes="64px" alt="" className="h-full w-full" />
              </button>
            ))}
          </div>
        )}
      </div>
      <div>
        <nav className="mb-2 text-sm text-slate-500">
          <Link to="/products" className={btn.link}>
            Products
          </Link>
          {p.categorySlug && (
            <>
              {' / '}
              <Link to={`/products?category=${encodeURIComponent(p.categorySlug)}`} className={btn.link}>
                {p.categorySlug}
              </Link>
            </>
          )}
        </nav>
        <h1 className="text-2xl font-bold" data-testid="product-name">
          {p.name}
        </h1>
        <p className="mt-2 text-2xl font-semibold text-slate-900" data-testid="product-price">
          {money(p.price, p.currency)}
        </p>
        <div className="mt-2">
          {stock.isPending ? (
            <span className="text-sm text-slate-500">Checking stock…</span>
          ) : s ? (
            <StockBadge {...s} />
          ) : (
            <span data-testid="stock-state" data-state="unknown" className="text-sm text-slate-500">
              Stock unavailable
            </span>
          )}
        </div>
        {p.description && <p className="mt-4 whitespace-pre-line text-slate-700">{p.description}</p>}
        {p.attributes && Object.keys(p.attributes).length > 0 && (
          <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            {Object.entries(p.attributes).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{k}</dt>
                <dd>{String(v)}</dd>
              </div>
            ))}
          </dl>
        )}

        <div className="mt-6 flex items-end gap-3">
          <label className="text-sm">
            <span className="block font-medium text-slate-700">Quantity</span>
            <input
              type="number"
              min={1}
              max={maxQty}
              value={qty}
              onChange={(e) => setQty(e.target.value)}
              data-testid="add-quantity"
              aria-invalid={!!(qtyError || qtyServerError)}
              className="mt-1 w-20 rounded-md border border-slate-300 px-2 py-2 text-sm"
            />
          </label>
          <button type="button" className={btn.primary} disabled={outOfStock || add.isPending} onClick={submit} data-testid="add-to-cart">
            {add.isPending ? 'Adding…' : 'Add to cart'}
          </button>
        </div>
        {(qtyError || qtyServerError) && (
          <p className="mt-1 text-xs text-red-600" data-testid="quantity-error">
            {qtyError || qtyServerError}
          </p>
        )}
        <div className="mt-4">
          {add.isError && <ErrorBanner error={add.error} />}
          {add.isSuccess && (
            <Notice testId="added-to-cart">
              Added to your cart.{' '}
              <Link to="/cart" className={btn.link} data-testid="go-to-cart">
                View cart
              </Link>
            </Notice>
          )}
        </div>
      </div>
    </div>
  );
}
