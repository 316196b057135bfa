import { Link } from 'react-router-dom';
import type { Product } from '../api/types';
import { money } from '../lib/format';

export function ProductImage({ src, alt, className = '' }: { src?: string; alt: string; className?: string }) {
  if (!src) {
    return (
      <div className={`flex items-center justify-center bg-slate-100 text-xs text-slate-400 ${className}`} aria-label={`${alt} (no image)`}>
        No image
      </div>
    );
  }
  return <img src={src} alt={alt} loading="lazy" decoding="async" className={`bg-slate-100 object-cover ${className}`} />;
}

export function ProductCard({ product }: { product: Product }) {
  return (
    <Link
      to={`/products/${product.id}`}
      data-testid="product-card"
      data-product-id={product.id}
      className="group flex flex-col overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm hover:shadow-md"
    >
      <ProductImage src={product.images?.[0]} alt={product.name} className="aspect-square w-full" />
      <div className="flex flex-1 flex-col p-3">
        <h3 data-testid="product-card-name" className="line-clamp-2 text-sm font-medium text-slate-900 group-hover:text-indigo-700">
          {product.name}
        </h3>
        <p data-testid="product-card-price" className="mt-auto pt-2 text-base font-semibold">
          {money(product.price, product.currency)}
        </p>
      </div>
    </Link>
  );
}
