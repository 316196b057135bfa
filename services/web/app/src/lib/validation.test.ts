import { describe, expect, it } from 'vitest';
import {
  parseAttributes,
  slugify,
  validateAddress,
  validateCategory,
  validateEmail,
  validateLogin,
  validatePassword,
  validatePrice,
  validatePriceRange,
  validateProduct,
  validateQuantity,
  validateRegister,
  validateStockAdd,
  validateUrl,
} from './validation';
import { emptyAddress } from '../components/AddressFields';

describe('email', () => {
  it.each(['a@b.co', 'first.last+tag@shop.example.com'])('accepts %s', (e) => expect(validateEmail(e)).toBeNull());
  it.each(['', 'plain', 'a@b', 'a b@c.de', '@x.io'])('rejects %j', (e) => expect(validateEmail(e)).not.toBeNull());
  it('requires it', () => expect(validateEmail('  ')).toBe('Email is required'));
});

describe('password', () => {
  it('needs at least 8 characters', () => {
    expect(validatePassword('1234567')).toMatch(/at least 8/);
    expect(validatePassword('12345678')).toBeNull();
  });
  it('is required', () => expect(validatePassword('')).toBe('Password is required'));
  it('has an upper bound', () => expect(validatePassword('x'.repeat(129))).toMatch(/at most/));
});

describe('quantity', () => {
  it.each([1, 2, 99, '5'])('accepts %j', (q) => expect(validateQuantity(q)).toBeNull());
  it.each([0, 100, -1, 1.5, '', 'abc'])('rejects %j', (q) => expect(validateQuantity(q)).not.toBeNull());
});

describe('price', () => {
  it.each(['0', '19.99', '5', '0.5', '1000000'])('accepts %s', (p) => expect(validatePrice(p)).toBeNull());
  it('rejects negatives', () => expect(validatePrice('-1')).toMatch(/0 or more/));
  it.each(['1.999', 'abc', '1,5', '1e3'])('rejects %s (2 decimals max)', (p) => expect(validatePrice(p)).toMatch(/2 decimals/));
  it('is required', () => expect(validatePrice('')).toMatch(/required/));
  it('checks ranges', () => {
    expect(validatePriceRange('10', '5')).toEqual({ maxPrice: 'Max price must be at least the min price' });
    expect(validatePriceRange('', '')).toEqual({});
    expect(validatePriceRange('5', '10')).toEqual({});
    expect(validatePriceRange('x', '')).toHaveProperty('minPrice');
  });
});

describe('forms', () => {
  it('login', () => {
    expect(validateLogin({ email: 'x', password: '' })).toEqual({ email: 'Enter a valid email address', password: 'Password is required' });
    expect(validateLogin({ email: 'a@b.co', password: 'short' })).toEqual({});
  });
  it('register needs a name, valid email, 8+ char password and a matching confirmation', () => {
    const e = validateRegister({ name: ' ', email: 'bad', password: 'short', confirm: 'other' });
    expect(Object.keys(e).sort()).toEqual(['confirm', 'email', 'name', 'password']);
    expect(validateRegister({ name: 'Ann', email: 'ann@x.io', password: 'longenough', confirm: 'longenough' })).toEqual({});
  });
  it('address', () => {
    const e = validateAddress({ ...emptyAddress, country: 'USA' });
    expect(Object.keys(e).sort()).toEqual(['city', 'country', 'fullName', 'line1', 'postalCode']);
    expect(
      validateAddress({ ...emptyAddress, fullName: 'Ann', line1: '1 Main St', city: 'Springfield', postalCode: '12345', country: 'us' }),
    ).toEqual({});
    expect(validateAddress({ ...emptyAddress, fullName: 'A', line1: 'l', city: 'c', postalCode: '1', phone: 'call me' })).toHaveProperty('phone');
  });
  it('product', () => {
    const ok = { name: 'Mug', description: '', price: '9.50', currency: 'USD', categoryId: '', images: 'https://img.example/a.jpg\n', attributes: 'color=red' };
    expect(validateProduct(ok)).toEqual({});
    const bad = validateProduct({ ...ok, name: '', price: '1.234', currency: 'usd', images: 'ftp://x/y.png', attributes: 'novalue' });
    expect(Object.keys(bad).sort()).toEqual(['attributes', 'currency', 'images', 'name', 'price']);
  });
  it('category and slug', () => {
    expect(validateCategory({ name: 'Home & Garden', slug: slugify('Home & Garden') })).toEqual({});
    expect(slugify('  Héllo Wörld!! ')).toBe('hello-world');
    expect(validateCategory({ name: '', slug: 'Bad Slug' })).toHaveProperty('slug');
  });
  it('stock add', () => {
    expect(validateStockAdd({ productId: 'p', quantity: '5', lowStockThreshold: '' })).toEqual({});
    expect(Object.keys(validateStockAdd({ productId: '', quantity: '0', lowStockThreshold: '-1' })).sort()).toEqual([
      'lowStockThreshold',
      'productId',
      'quantity',
    ]);
  });
  it('urls and attributes', () => {
    expect(validateUrl('https://a.b/c.png')).toBeNull();
    expect(validateUrl('javascript:alert(1)')).not.toBeNull();
    expect(parseAttributes('a=1\n b = two=2 \nbad\n')).toEqual({ a: '1', b: 'two=2' });
  });
});
