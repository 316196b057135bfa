import { Link } from 'react-router-dom';
import type { Product, ProductMedia, VariantName } from '../api/types';
import { galleryOf, srcSetOf, variantOf } from '../api/images';
import { money } from '../lib/format';

/** How wide a card is drawn: 2 columns on phones, 3 from 640 px, at most ~290 px in the 72rem page (sizes of the srcset). */
export const CARD_SIZES = '(min-width: 1152px) 290px, (min-width: 640px) 33vw, 50vw';

interface ProductImageProps {
  /** A plain URL (typed-in images, demo tiles): shown as it is. */
  src?: string;
  /** An uploaded image: its variants become the srcset, and its size the width/height (no layout shift). */
  image?: ProductMedia;
  /** The variant named in src and whose size is given; the srcset offers the smaller ones and this one. */
  variant?: VariantName;
  /** The srcset's sizes: how wide the image is drawn. */
  sizes?: string;
  alt: string;
  className?: string;
  /** lazy (default) for images that may be below the fold; eager for the one a page is about. */
  loading?: 'lazy' | 'eager';
  testId?: string;
}

export function ProductImage({ src, image, variant = 'card', sizes, alt, className = '', loading = 'lazy', testId }: ProductImageProps) {
  const main = image ? variantOf(image, variant) : undefined;
  if (image && main) {
    return (
      <img
        src={main.url}
        srcSet={srcSetOf(image, variant) || undefined}
        sizes={sizes}
        width={main.width}
        height={main.height}
        alt={alt}
        loading={loading}
        decoding="async"
        fetchPriority={loading === 'eager' ? 'high' : undefined}
        data-testid={testId}
        className={`bg-slate-100 object-cover ${className}`}
      />
    );
  }
  if (!src) {
    return (
      <div className={`flex items-center justify-center bg-slate-100 text-xs text-slate-400 ${className}`} aria-label={`${alt} (no image)`}>
        No image
      </div>
    );
  }
  return <img src={src} alt={alt} loading={loading} decoding="async" data-testid={testId} className={`bg-slate-100 object-cover ${className}`} />;
}

export function ProductCard({ product }: { product: Product }) {
  const primary = galleryOf(product)[0];
  return (
    <Link
      to={`/products/${product.id}`}
      data-testid="product-card"
      data-product-id={product.id}
      className="group flex flex-col overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm hover:shadow-md"
    >
      <ProductImage
        image={primary}
        src={product.images?.[0]}
        variant="card"
        sizes={CARD_SIZES}
        alt={product.name}
        className="aspect-square w-full"
        testId="product-card-image"
      />
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
