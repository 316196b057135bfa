import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { CARD_SIZES, ProductCard } from './ProductCard';
import { ProductDetail } from '../pages/ProductDetail';
import { srcSetOf } from '../api/images';
import type { Product, ProductMedia } from '../api/types';
import { mockApi, ok } from '../test/mockApi';
import { renderAt } from '../test/render';

const media = (id: string, position: number, primary: boolean, full = { width: 1600, height: 1200 }): ProductMedia => ({
  id,
  position,
  primary,
  width: 3200,
  height: 2400,
  sourceFormat: 'jpeg',
  variants: {
    thumb: { url: `/api/products/p1/images/${id}/thumb-${id}.jpg`, width: 160, height: 120 },
    card: { url: `/api/products/p1/images/${id}/card-${id}.jpg`, width: 480, height: 360 },
    full: { url: `/api/products/p1/images/${id}/full-${id}.jpg`, ...full },
  },
});

const product = (extra: Partial<Product> = {}): Product => ({ id: 'p1', name: 'Kettle', price: 20, currency: 'USD', images: [], ...extra });

describe('product images in the shop', () => {
  it('a card offers the thumb and card variants by width, sized as the grid draws it, lazily and without layout shift', () => {
    // the primary image is the second in gallery order: the card shows it
    renderAt(<ProductCard product={product({ media: [media('a', 0, false), media('b', 1, true)], images: ['/x/full-b.jpg'] })} />, { url: '/' });
    const img = screen.getByTestId<HTMLImageElement>('product-card-image');
    expect(img.getAttribute('src')).toBe('/api/products/p1/images/b/card-b.jpg');
    expect(img.getAttribute('srcset')).toBe('/api/products/p1/images/b/thumb-b.jpg 160w, /api/products/p1/images/b/card-b.jpg 480w');
    expect(img.getAttribute('sizes')).toBe(CARD_SIZES);
    expect(img.getAttribute('width')).toBe('480');
    expect(img.getAttribute('height')).toBe('360');
    expect(img.getAttribute('loading')).toBe('lazy');
    expect(img.getAttribute('decoding')).toBe('async');
    expect(img.getAttribute('alt')).toBe('Kettle');
  });

  it('a product with typed-in URLs only keeps its plain image, and one with none says so', () => {
    renderAt(<ProductCard product={product({ images: ['https://img.example/1.jpg'] })} />, { url: '/' });
    const img = screen.getByTestId('product-card-image');
    expect(img.getAttribute('src')).toBe('https://img.example/1.jpg');
    expect(img.hasAttribute('srcset')).toBe(false);
    expect(img.getAttribute('loading')).toBe('lazy');
  });

  it('a small upload (variants not scaled up) lists each width once', () => {
    const small = media('s', 0, true);
    small.variants = {
      thumb: { url: '/t.png', width: 120, height: 90 },
      card: { url: '/c.png', width: 300, height: 225 },
      full: { url: '/f.png', width: 300, height: 225 },
    };
    expect(srcSetOf(small)).toBe('/t.png 120w, /c.png 300w');
    expect(srcSetOf(small, 'thumb')).toBe('/t.png 120w');
  });

  it('the product page offers all three variants for its main image and thumbnails for the rest', async () => {
    mockApi({
      'GET /api/products/p1': ok(product({ media: [media('a', 0, true), media('b', 1, false)] })),
      'GET /api/inventory/p1': ok({ productId: 'p1', quantity: 5, isLowStock: false, inStock: true }),
    });
    renderAt(<ProductDetail />, { url: '/products/p1', path: '/products/:id' });
    const main = await screen.findByTestId<HTMLImageElement>('product-image');
    expect(main.getAttribute('src')).toBe('/api/products/p1/images/a/full-a.jpg');
    expect(main.getAttribute('srcset')).toBe(
      '/api/products/p1/images/a/thumb-a.jpg 160w, /api/products/p1/images/a/card-a.jpg 480w, /api/products/p1/images/a/full-a.jpg 1600w',
    );
    expect(main.getAttribute('sizes')).toContain('100vw');
    expect(main.getAttribute('width')).toBe('1600');
    expect(main.getAttribute('height')).toBe('1200');
    expect(main.getAttribute('decoding')).toBe('async');
    const thumbs = screen.getByTestId('thumbnails').querySelectorAll('img');
    expect(thumbs).toHaveLength(2);
    expect(thumbs[1].getAttribute('src')).toBe('/api/products/p1/images/b/thumb-b.jpg');
    expect(thumbs[1].getAttribute('loading')).toBe('lazy');
    expect(thumbs[1].getAttribute('width')).toBe('160');
  });
});
