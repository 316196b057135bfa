import { api, uploadFile, type UploadProgress } from './client';
import type { Product, ProductMedia, VariantName } from './types';

/** Product images (catalog): the gallery is public, changes are the product's vendor's or an admin's. */
const base = (productId: string) => `/products/${encodeURIComponent(productId)}/images`;

export const listProductImages = (productId: string) =>
  api.get<ProductMedia[]>(base(productId)).then((l) => (Array.isArray(l) ? l : []));

export const uploadProductImage = (productId: string, file: File, onProgress?: (p: UploadProgress) => void, signal?: AbortSignal) =>
  uploadFile<ProductMedia>(base(productId), file, { field: 'file', onProgress, signal });

export const deleteProductImage = (productId: string, imageId: string) =>
  api.del<{ id: string; deleted: boolean; images: ProductMedia[] }>(`${base(productId)}/${encodeURIComponent(imageId)}`);

export const reorderProductImages = (productId: string, imageIds: string[]) =>
  api.put<ProductMedia[]>(`${base(productId)}/order`, { imageIds });

export const makePrimaryImage = (productId: string, imageId: string) =>
  api.put<ProductMedia[]>(`${base(productId)}/${encodeURIComponent(imageId)}/primary`, {});

/** What the catalog accepts (storefront.catalog.images.*): checked here too so a 50 MB file is not sent to be refused. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const ACCEPTED_IMAGE_TYPES = 'image/jpeg,image/png,image/webp';

const ORDER: VariantName[] = ['thumb', 'card', 'full'];

/**
 * A srcset over an image's variants, smallest first, one candidate per distinct width (a small upload's
 * variants are not scaled up, so several can share a width).
 */
export function srcSetOf(image: ProductMedia, upTo: VariantName = 'full'): string {
  const seen = new Set<number>();
  const parts: string[] = [];
  for (const name of ORDER.slice(0, ORDER.indexOf(upTo) + 1)) {
    const v = image.variants[name];
    if (!v || !v.url || !(v.width > 0) || seen.has(v.width)) continue;
    seen.add(v.width);
    parts.push(`${v.url} ${v.width}w`);
  }
  return parts.join(', ');
}

/** The variant to name in src (browsers without srcset, and the size width/height describe), or the nearest there is. */
export function variantOf(image: ProductMedia, want: VariantName) {
  const order: VariantName[] = want === 'thumb' ? ['thumb', 'card', 'full'] : want === 'card' ? ['card', 'full', 'thumb'] : ['full', 'card', 'thumb'];
  for (const name of order) {
    const v = image.variants[name];
    if (v?.url) return v;
  }
  return undefined;
}

/** The uploaded images as the shop shows them: primary first, then in gallery order. */
export function galleryOf(product: Pick<Product, 'media'>): ProductMedia[] {
  const media = Array.isArray(product.media) ? product.media.filter((m) => m && m.variants) : [];
  return [...media].sort((a, b) => Number(b.primary) - Number(a.primary) || a.position - b.position);
}
