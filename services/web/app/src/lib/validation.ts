// Client-side rules mirroring the API's validation (docs/contracts.md + the services' rules).
// Each validator returns a map field -> message; empty map = valid.

export type Errors = Record<string, string>;

export const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 128;
export const MIN_QTY = 1;
export const MAX_QTY = 99;

export function validateEmail(email: string): string | null {
  const e = email.trim();
  if (!e) return 'Email is required';
  if (e.length > 254 || !EMAIL_RE.test(e)) return 'Enter a valid email address';
  return null;
}

export function validatePassword(pw: string): string | null {
  if (!pw) return 'Password is required';
  if (pw.length < MIN_PASSWORD) return `Password must be at least ${MIN_PASSWORD} characters`;
  if (pw.length > MAX_PASSWORD) return `Password must be at most ${MAX_PASSWORD} characters`;
  return null;
}

export function validateName(name: string, label = 'Name', max = 100): string | null {
  const n = name.trim();
  if (!n) return `${label} is required`;
  if (n.length > max) return `${label} must be at most ${max} characters`;
  return null;
}

export function validateQuantity(q: number | string): string | null {
  const n = typeof q === 'number' ? q : Number(String(q).trim());
  if (String(q).trim() === '' || !Number.isInteger(n)) return 'Quantity must be a whole number';
  if (n < MIN_QTY || n > MAX_QTY) return `Quantity must be between ${MIN_QTY} and ${MAX_QTY}`;
  return null;
}

/** Money: a number >= 0 with at most 2 decimals. */
export function validatePrice(p: string | number, label = 'Price'): string | null {
  const s = String(p).trim();
  if (!s) return `${label} is required`;
  if (!/^\d+(\.\d{1,2})?$/.test(s)) {
    if (/^-/.test(s)) return `${label} must be 0 or more`;
    return `${label} must be a number with at most 2 decimals`;
  }
  if (Number(s) > 9_999_999_999.99) return `${label} is too large`;
  return null;
}

export function validateUrl(u: string): string | null {
  try {
    const url = new URL(u.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Image URLs must start with http:// or https://';
    return null;
  } catch {
    return 'Enter a valid URL';
  }
}

export function validateSlug(s: string): string | null {
  if (!s.trim()) return 'Slug is required';
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s.trim())) return 'Use lowercase letters, digits and dashes';
  return null;
}

export function slugify(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function put(errors: Errors, field: string, msg: string | null) {
  if (msg) errors[field] = msg;
}

export function validateLogin(v: { email: string; password: string }): Errors {
  const e: Errors = {};
  put(e, 'email', validateEmail(v.email));
  if (!v.password) e.password = 'Password is required';
  return e;
}

export function validateRegister(v: { name: string; email: string; password: string; confirm?: string }): Errors {
  const e: Errors = {};
  put(e, 'name', validateName(v.name));
  put(e, 'email', validateEmail(v.email));
  put(e, 'password', validatePassword(v.password));
  if (v.confirm !== undefined && v.confirm !== v.password) e.confirm = 'Passwords do not match';
  return e;
}

export interface AddressForm {
  fullName: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  phone: string;
  isDefault: boolean;
}

export const PHONE_RE = /^\+?[0-9 ()\-.]{5,20}$/;

export function validateAddress(a: AddressForm): Errors {
  const e: Errors = {};
  put(e, 'fullName', validateName(a.fullName, 'Full name'));
  put(e, 'line1', validateName(a.line1, 'Address line 1', 200));
  if (a.line2.length > 200) e.line2 = 'Address line 2 must be at most 200 characters';
  put(e, 'city', validateName(a.city, 'City'));
  if (!a.postalCode.trim()) e.postalCode = 'Postal code is required';
  else if (a.postalCode.trim().length > 20) e.postalCode = 'Postal code must be at most 20 characters';
  if (!/^[A-Za-z]{2}$/.test(a.country.trim())) e.country = 'Use a 2-letter country code (e.g. US)';
  if (a.phone.trim() && !PHONE_RE.test(a.phone.trim())) e.phone = 'Enter a valid phone number';
  return e;
}

export interface ProductForm {
  name: string;
  description: string;
  price: string;
  currency: string;
  categoryId: string;
  images: string; // one URL per line
  attributes: string; // key=value per line
  gtin?: string; // GTIN-8/12/13/14, what competitors' price feeds match by; '' for none
}

/** Why a GTIN is not one (GS1: 8, 12, 13 or 14 digits, the last a mod-10 check digit), or null. */
export function gtinProblem(gtin: string): string | null {
  if (!/^(\d{8}|\d{12,14})$/.test(gtin)) return 'A GTIN has 8, 12, 13 or 14 digits';
  let sum = 0;
  for (let i = 0; i < gtin.length - 1; i++) {
    const digit = Number(gtin[gtin.length - 2 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10 === Number(gtin[gtin.length - 1]) ? null : 'This GTIN has a wrong check digit';
}

export function parseLines(s: string): string[] {
  return s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export function parseAttributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of parseLines(s)) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

export function validateProduct(p: ProductForm): Errors {
  const e: Errors = {};
  put(e, 'name', validateName(p.name, 'Name', 200));
  if (p.description.length > 5000) e.description = 'Description must be at most 5000 characters';
  put(e, 'price', validatePrice(p.price));
  if (!/^[A-Z]{3}$/.test(p.currency.trim())) e.currency = 'Currency is a 3-letter code (e.g. USD)';
  for (const url of parseLines(p.images)) {
    const m = validateUrl(url);
    if (m) {
      e.images = `${m}: ${url}`;
      break;
    }
  }
  const gtin = (p.gtin ?? '').trim();
  if (gtin) put(e, 'gtin', gtinProblem(gtin));
  for (const line of parseLines(p.attributes)) {
    if (line.indexOf('=') <= 0) {
      e.attributes = `Write attributes as key=value, one per line ("${line}")`;
      break;
    }
  }
  return e;
}

export function validateCategory(c: { name: string; slug: string }): Errors {
  const e: Errors = {};
  put(e, 'name', validateName(c.name));
  put(e, 'slug', validateSlug(c.slug));
  return e;
}

export function validateStockAdd(v: { productId: string; quantity: string; lowStockThreshold: string }): Errors {
  const e: Errors = {};
  if (!v.productId.trim()) e.productId = 'Product is required';
  const q = Number(v.quantity);
  if (!v.quantity.trim() || !Number.isInteger(q) || q < 1) e.quantity = 'Quantity must be a whole number of at least 1';
  else if (q > 100000) e.quantity = 'Quantity must be at most 100000';
  if (v.lowStockThreshold.trim()) {
    const t = Number(v.lowStockThreshold);
    if (!Number.isInteger(t) || t < 0) e.lowStockThreshold = 'Threshold must be a whole number of 0 or more';
  }
  return e;
}

/** Price filter pair in the product list. */
export function validatePriceRange(min: string, max: string): Errors {
  const e: Errors = {};
  if (min.trim()) put(e, 'minPrice', validatePrice(min, 'Min price'));
  if (max.trim()) put(e, 'maxPrice', validatePrice(max, 'Max price'));
  if (!e.minPrice && !e.maxPrice && min.trim() && max.trim() && Number(min) > Number(max)) e.maxPrice = 'Max price must be at least the min price';
  return e;
}
