// A small in-memory stand-in for the Storefront API (docs/contracts.md), serving the built UI too.
// For developing the UI and the e2e script without the backend:
//   npm run build && node e2e/mock-api.mjs 8099 & BASE_URL=http://127.0.0.1:8099 npm run e2e
// Not a test of the services: the real e2e runs against the launcher.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomUUID, randomBytes } from 'node:crypto';
import { extname, join, normalize, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? 8099);
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'web-dist');
const now = () => new Date().toISOString();

const users = new Map(); // id -> user (+password)
const tokens = new Map(); // access -> userId
const refresh = new Map(); // refresh -> userId
const addresses = new Map(); // userId -> [address]
const carts = new Map(); // userId -> Map(productId -> qty)
const orders = [];
const notifications = [];
const checkouts = new Map(); // idempotency key -> checkout
const categories = [
  { id: randomUUID(), name: 'Kitchen', slug: 'kitchen', parentId: null, description: '' },
  { id: randomUUID(), name: 'Books', slug: 'books', parentId: null, description: '' },
];
const img = (c) => `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="${c}"/></svg>`)}`;
const products = [
  ['Ceramic Coffee Mug', 12.5, 0, '#f59e0b'],
  ['Steel Water Bottle', 19.99, 0, '#0ea5e9'],
  ['Chef Knife', 49, 0, '#64748b'],
  ['Cooking for Engineers', 29.95, 1, '#10b981'],
  ['The Pragmatic Shopper', 24, 1, '#8b5cf6'],
].map(([name, price, c, color], i) => ({
  id: randomUUID(), name, description: `${name}, a fine product.`, price, currency: 'USD', categoryId: categories[c].id,
  categorySlug: categories[c].slug, vendorId: null, images: [img(color)], attributes: { sku: `SKU-${i}` },
  createdAt: new Date(Date.now() - i * 1000).toISOString(), updatedAt: now(),
}));
const stock = new Map(products.map((p, i) => [p.id, { available: i === 2 ? 2 : 50, reserved: 0, lowStockThreshold: 5 }]));

/** A category's id and its descendants' (a category filter finds its subtree). */
function subtree(slug) {
  const root = categories.find((c) => c.slug === slug);
  const ids = new Set(root ? [root.id] : []);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of categories) {
      if (c.parentId && ids.has(c.parentId) && !ids.has(c.id)) {
        ids.add(c.id);
        grew = true;
      }
    }
  }
  return ids;
}
/** The slugs of a category and its ancestors (a product counts under each in the facet). */
function lineage(categoryId) {
  const out = [];
  for (let c = categories.find((x) => x.id === categoryId); c && out.length < 32; c = categories.find((x) => x.id === c.parentId)) out.push(c.slug);
  return out;
}

function addUser(name, email, password, role) {
  const u = { id: randomUUID(), name, email, role, createdAt: now(), password };
  users.set(u.id, u);
  return u;
}
addUser('Admin', 'admin@storefront.local', 'admin12345', 'admin');

const pub = ({ password, ...u }) => u;
function issue(u) {
  const at = randomBytes(16).toString('hex');
  const rt = randomBytes(16).toString('hex');
  tokens.set(at, u.id);
  refresh.set(rt, u.id);
  return { accessToken: at, refreshToken: rt, expiresIn: 900, tokenType: 'Bearer', user: pub(u) };
}

class HttpError extends Error {
  constructor(status, code, message, details = [], data) {
    super(message);
    Object.assign(this, { status, code, details, data });
  }
}
const v = (field, message) => new HttpError(400, 'VALIDATION_FAILED', 'Validation failed', [{ field, message }]);

function cartOf(uid) {
  const m = carts.get(uid) ?? new Map();
  const items = [...m].map(([pid, q]) => {
    const p = products.find((x) => x.id === pid);
    return { productId: pid, name: p.name, unitPrice: p.price, quantity: q, lineTotal: Math.round(p.price * q * 100) / 100, currency: 'USD', priceChanged: false, previousUnitPrice: null };
  });
  return { userId: uid, items, total: Math.round(items.reduce((s, i) => s + i.lineTotal * 100, 0)) / 100, currency: 'USD', itemCount: items.reduce((s, i) => s + i.quantity, 0) };
}

function publicStock(pid) {
  const s = stock.get(pid) ?? { available: 0, lowStockThreshold: 5 };
  return { productId: pid, quantity: s.available, isLowStock: s.available <= s.lowStockThreshold, inStock: s.available > 0 };
}

function setStatus(o, status, note) {
  o.status = status;
  o.updatedAt = now();
  o.statusHistory.push({ status, at: now(), note: note ?? null });
  notifications.push({ id: randomUUID(), userId: o.userId, channel: 'email', template: `order.${status.toLowerCase()}`, subject: `Your order is ${status.toLowerCase()}`, body: `Order ${o.id.slice(0, 8)} is now ${status.toLowerCase()}.`, status: 'SENT', attempts: 1, createdAt: now(), sentAt: now() });
}

function page(list, q) {
  const pg = Math.max(1, Number(q.get('page') ?? 1));
  const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? 20)));
  return { data: list.slice((pg - 1) * limit, pg * limit), pagination: { page: pg, limit, total: list.length } };
}

async function route(method, path, q, body, uid, headers) {
  const user = uid ? users.get(uid) : null;
  const need = (...roles) => {
    if (!user) throw new HttpError(401, 'UNAUTHENTICATED', 'Authentication required');
    if (roles.length && !roles.includes(user.role)) throw new HttpError(403, 'FORBIDDEN', 'Forbidden');
  };
  let m;
  if (method === 'POST' && path === '/api/auth/register') {
    if (!body.name?.trim()) throw v('name', 'Name is required');
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email ?? '')) throw v('email', 'Invalid email');
    if ((body.password ?? '').length < 8) throw v('password', 'At least 8 characters');
    if ([...users.values()].some((u) => u.email === body.email)) throw new HttpError(409, 'CONFLICT', 'Email already registered', [{ field: 'email', message: 'Email already registered' }]);
    return { status: 201, data: issue(addUser(body.name, body.email, body.password, 'customer')) };
  }
  if (method === 'POST' && path === '/api/auth/login') {
    const u = [...users.values()].find((x) => x.email === body.email && x.password === body.password);
    if (!u) throw new HttpError(401, 'UNAUTHENTICATED', 'Invalid email or password');
    return { data: issue(u) };
  }
  if (method === 'POST' && path === '/api/auth/refresh') {
    const id = refresh.get(body.refreshToken);
    if (!id) throw new HttpError(401, 'UNAUTHENTICATED', 'Invalid refresh token');
    refresh.delete(body.refreshToken);
    return { data: issue(users.get(id)) };
  }
  if (method === 'POST' && path === '/api/auth/logout') {
    refresh.delete(body?.refreshToken);
    return { status: 204 };
  }
  if (method === 'GET' && path === '/api/auth/me') return need(), { data: pub(user) };
  if (method === 'GET' && path === '/api/users/profile') return need(), { data: { userId: user.id, name: user.name, email: user.email, phone: user.phone ?? null, preferences: {} } };
  if (method === 'PUT' && path === '/api/users/profile') {
    need();
    if (!body.name?.trim()) throw v('name', 'Name is required');
    Object.assign(user, { name: body.name, phone: body.phone });
    return { data: { userId: user.id, name: user.name, email: user.email, phone: user.phone ?? null, preferences: {} } };
  }
  if (method === 'GET' && path === '/api/users/addresses') return need(), { data: addresses.get(uid) ?? [] };
  if (method === 'POST' && path === '/api/users/address') {
    need();
    for (const f of ['fullName', 'line1', 'city', 'postalCode', 'country']) if (!body[f]) throw v(f, `${f} is required`);
    const list = addresses.get(uid) ?? [];
    const a = { ...body, id: randomUUID(), isDefault: body.isDefault || list.length === 0 };
    list.push(a);
    addresses.set(uid, list);
    return { status: 201, data: a };
  }
  if ((m = /^\/api\/users\/address\/([^/]+)$/.exec(path))) {
    need();
    const list = addresses.get(uid) ?? [];
    const i = list.findIndex((a) => a.id === m[1]);
    if (i < 0) throw new HttpError(404, 'NOT_FOUND', 'Address not found');
    if (method === 'DELETE') return list.splice(i, 1), { status: 204 };
    list[i] = { ...body, id: m[1] };
    return { data: list[i] };
  }
  if (method === 'GET' && path === '/api/categories') return { data: categories };
  if (method === 'POST' && path === '/api/categories') {
    need('admin');
    const c = { id: randomUUID(), name: body.name, slug: body.slug, parentId: body.parentId ?? null, description: body.description ?? '' };
    categories.push(c);
    return { status: 201, data: c };
  }
  if (method === 'GET' && path === '/api/products') {
    let list = [...products];
    const qq = (q.get('q') ?? '').toLowerCase();
    if (qq) list = list.filter((p) => p.name.toLowerCase().includes(qq) || p.description.toLowerCase().includes(qq));
    if (q.get('category')) list = list.filter((p) => p.categorySlug === q.get('category') || p.categoryId === q.get('category'));
    if (q.get('minPrice')) list = list.filter((p) => p.price >= Number(q.get('minPrice')));
    if (q.get('maxPrice')) list = list.filter((p) => p.price <= Number(q.get('maxPrice')));
    if (q.get('vendorId')) list = list.filter((p) => p.vendorId === q.get('vendorId'));
    const sort = q.get('sort') ?? 'newest';
    const cmp = { price_asc: (a, b) => a.price - b.price, price_desc: (a, b) => b.price - a.price, name_asc: (a, b) => a.name.localeCompare(b.name), newest: (a, b) => (a.createdAt < b.createdAt ? 1 : -1) }[sort];
    if (cmp) list.sort(cmp);
    return page(list, q);
  }
  // the search service (services/search): keyword matching only here, with its filters, facets, sorts and window
  if (method === 'GET' && path === '/api/search/suggest') {
    const typed = (q.get('q') ?? '').trim().toLowerCase();
    if (!typed) throw v('q', 'is required');
    const starts = (p) => p.name.toLowerCase().split(/\s+/).some((_, i, w) => w.slice(i).join(' ').startsWith(typed));
    return { data: products.filter(starts).slice(0, 8).map(({ id, name }) => ({ id, name })) };
  }
  if (method === 'GET' && path === '/api/search') {
    const text = (q.get('q') ?? '').trim().toLowerCase();
    if (text.length > 200) throw v('q', 'must be at most 200 characters');
    if (q.get('category') && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(q.get('category'))) throw v('category', 'must be a category slug');
    const pg = Number(q.get('page') ?? 1) * Number(q.get('limit') ?? 20);
    if (pg > 1000) throw v('page', 'page times limit must be at most 1000');
    let list = [...products];
    if (text) {
      const words = text.split(/\s+/);
      list = list.filter((p) => words.every((w) => `${p.name} ${p.description}`.toLowerCase().includes(w)));
    }
    if (q.get('category')) {
      const ids = subtree(q.get('category'));
      list = list.filter((p) => ids.has(p.categoryId));
    }
    if (q.get('minPrice')) list = list.filter((p) => p.price >= Number(q.get('minPrice')));
    if (q.get('maxPrice')) list = list.filter((p) => p.price <= Number(q.get('maxPrice')));
    const counts = new Map();
    for (const p of list) for (const slug of lineage(p.categoryId)) counts.set(slug, (counts.get(slug) ?? 0) + 1);
    const facets = {
      categories: [...counts].map(([slug, count]) => ({ slug, count })).sort((a, b) => b.count - a.count),
      priceBands: [[0, 25], [25, 50], [50, 100], [100, 200], [200, null]].map(([min, max]) => ({
        band: `${min}-${max ?? ''}`, minPrice: min, maxPrice: max, count: list.filter((p) => p.price >= min && (max == null || p.price < max)).length,
      })),
    };
    const sort = q.get('sort') ?? (text ? 'relevance' : 'newest');
    const cmp = { price_asc: (a, b) => a.price - b.price, price_desc: (a, b) => b.price - a.price, name_asc: (a, b) => a.name.localeCompare(b.name), newest: (a, b) => (a.createdAt < b.createdAt ? 1 : -1) }[sort];
    if (cmp) list.sort(cmp);
    const { data, pagination } = page(list, q);
    return { data: { mode: text ? (q.get('mode') ?? 'hybrid') : 'browse', items: data, facets }, pagination };
  }
  if ((m = /^\/api\/products\/([^/]+)$/.exec(path))) {
    const i = products.findIndex((p) => p.id === m[1]);
    if (method === 'GET') {
      if (i < 0) throw new HttpError(404, 'NOT_FOUND', 'Product not found');
      return { data: products[i] };
    }
    need('admin', 'vendor');
    if (i < 0) throw new HttpError(404, 'NOT_FOUND', 'Product not found');
    if (method === 'DELETE') return products.splice(i, 1), { status: 204 };
    Object.assign(products[i], body, { updatedAt: now(), categorySlug: categories.find((c) => c.id === body.categoryId)?.slug ?? null });
    return { data: products[i] };
  }
  if (method === 'POST' && path === '/api/products') {
    need('admin', 'vendor');
    if (!body.name?.trim()) throw v('name', 'Name is required');
    const p = { ...body, id: randomUUID(), vendorId: user.role === 'vendor' ? user.id : null, categorySlug: categories.find((c) => c.id === body.categoryId)?.slug ?? null, createdAt: now(), updatedAt: now() };
    products.unshift(p);
    stock.set(p.id, { available: 0, reserved: 0, lowStockThreshold: 5 });
    return { status: 201, data: p };
  }
  if (method === 'GET' && path === '/api/inventory/status/low-stock') {
    need('admin');
    return { data: [...stock].filter(([, s]) => s.available <= s.lowStockThreshold).map(([productId, s]) => ({ productId, ...s, isLowStock: true })) };
  }
  if (method === 'POST' && path === '/api/inventory/add') {
    need('admin');
    const s = stock.get(body.productId) ?? { available: 0, reserved: 0, lowStockThreshold: 5 };
    s.available += Number(body.quantity);
    if (body.lowStockThreshold != null) s.lowStockThreshold = body.lowStockThreshold;
    stock.set(body.productId, s);
    return { data: { productId: body.productId, ...s, isLowStock: s.available <= s.lowStockThreshold } };
  }
  if (method === 'GET' && (m = /^\/api\/inventory\/([^/]+)$/.exec(path))) return { data: publicStock(m[1]) };
  if (path === '/api/cart' && method === 'GET') return need(), { data: cartOf(uid) };
  if (path === '/api/cart' && method === 'DELETE') return need(), carts.delete(uid), { data: cartOf(uid) };
  if (path === '/api/cart/add' && method === 'POST') {
    need();
    const qn = Number(body.quantity);
    if (!Number.isInteger(qn) || qn < 1 || qn > 99) throw v('quantity', 'Quantity must be between 1 and 99');
    if (!products.some((p) => p.id === body.productId)) throw new HttpError(404, 'NOT_FOUND', 'Product not found');
    const c = carts.get(uid) ?? new Map();
    c.set(body.productId, Math.min(99, (c.get(body.productId) ?? 0) + qn));
    carts.set(uid, c);
    return { data: cartOf(uid) };
  }
  if ((m = /^\/api\/cart\/items\/([^/]+)$/.exec(path))) {
    need();
    const c = carts.get(uid) ?? new Map();
    if (method === 'DELETE') c.delete(m[1]);
    else {
      const qn = Number(body.quantity);
      if (!Number.isInteger(qn) || qn < 1 || qn > 99) throw v('quantity', 'Quantity must be between 1 and 99');
      c.set(m[1], qn);
    }
    carts.set(uid, c);
    return { data: cartOf(uid) };
  }
  if (method === 'GET' && path === '/api/orders') return need(), page(orders.filter((o) => o.userId === uid).reverse(), q);
  // analytics, computed from the orders held here (the real service reads its rollups)
  if (method === 'POST' && path === '/api/analytics/events') return { status: 202, data: { accepted: (body?.events ?? []).length, duplicates: 0, expired: 0 } };
  if (method === 'GET' && path === '/api/analytics/dashboard') {
    need('admin');
    const paid = orders.filter((o) => o.status !== 'CANCELLED' && o.status !== 'PENDING');
    const revenue = Math.round(paid.reduce((s, o) => s + Number(o.total) * 100, 0)) / 100;
    const to = q.get('to') ?? new Date().toISOString().slice(0, 10);
    const from = q.get('from') ?? to;
    const days = [];
    for (let d = new Date(from + 'T00:00:00Z'); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
      const day = d.toISOString().slice(0, 10);
      const own = paid.filter((o) => String(o.createdAt).slice(0, 10) === day);
      days.push({ day, orders: own.length, revenue: own.reduce((s, o) => s + Number(o.total), 0), views: 0, adds: 0, sessions: 0 });
    }
    return { data: { from, to, timeZone: 'UTC', scope: 'shop', orders: paid.length, revenue, averageOrderValue: paid.length ? Math.round((revenue / paid.length) * 100) / 100 : 0,
      sessions: 1, conversionRate: paid.length, addToCartRate: 1, views: 0, adds: 0, searches: 0, days, topProducts: [] } };
  }
  if (method === 'GET' && path === '/api/analytics/search/trending') {
    need('admin');
    return { data: { window: q.get('window') ?? '7d', since: '', timeZone: 'UTC', queries: [], zeroResults: [] } };
  }
  if (method === 'GET' && path === '/api/orders/admin') {
    need('admin');
    return page(orders.filter((o) => !q.get('status') || o.status === q.get('status')).reverse(), q);
  }
  if ((m = /^\/api\/orders\/([^/]+)\/status$/.exec(path)) && method === 'PUT') {
    need('admin');
    const o = orders.find((x) => x.id === m[1]);
    if (!o) throw new HttpError(404, 'NOT_FOUND', 'Order not found');
    const next = { ship: ['CONFIRMED', 'SHIPPED'], deliver: ['SHIPPED', 'DELIVERED'], cancel: [null, 'CANCELLED'] }[body.action];
    if (!next) throw v('action', 'Unknown action');
    if ((next[0] && o.status !== next[0]) || ['DELIVERED', 'CANCELLED'].includes(o.status)) throw new HttpError(409, 'CONFLICT', `Cannot ${body.action} an order that is ${o.status}`);
    setStatus(o, next[1]);
    return { data: o };
  }
  if ((m = /^\/api\/orders\/([^/]+)$/.exec(path)) && method === 'GET') {
    need();
    const o = orders.find((x) => x.id === m[1] && (x.userId === uid || user.role === 'admin'));
    if (!o) throw new HttpError(404, 'NOT_FOUND', 'Order not found');
    return { data: o };
  }
  if (method === 'POST' && path === '/api/checkout') {
    need();
    const key = headers['idempotency-key'];
    if (!key) throw new HttpError(400, 'BAD_REQUEST', 'Idempotency-Key header is required');
    const seen = checkouts.get(key);
    if (seen) return seen.reply;
    const cart = cartOf(uid);
    if (!cart.items.length) throw new HttpError(409, 'CONFLICT', 'Your cart is empty');
    const o = { id: randomUUID(), userId: uid, status: 'PENDING', items: cart.items.map(({ productId, name, unitPrice, quantity, lineTotal }) => ({ productId, name, unitPrice, quantity, lineTotal })), subtotal: cart.total, total: cart.total, currency: 'USD', shippingAddress: body.shippingAddress, statusHistory: [], paymentTransactionId: null, createdAt: now(), updatedAt: now() };
    orders.push(o);
    setStatus(o, 'PENDING');
    const ck = { id: randomUUID(), orderId: o.id, transactionId: null, status: 'COMPLETED', failureReason: null, createdAt: now() };
    let reply;
    if (body.paymentMethod !== 'pm_card_visa') {
      setStatus(o, 'CANCELLED', 'payment failed');
      const reason = body.paymentMethod === 'pm_card_chargeDeclinedInsufficientFunds' ? 'insufficient_funds' : 'card_declined';
      Object.assign(ck, { status: 'PAYMENT_FAILED', failureReason: reason });
      reply = { error: new HttpError(402, 'PAYMENT_FAILED', `Payment failed: your card was declined (${reason})`, [], ck) };
    } else {
      for (const i of o.items) stock.get(i.productId).available -= i.quantity;
      ck.transactionId = randomUUID();
      o.paymentTransactionId = ck.transactionId;
      setStatus(o, 'CONFIRMED');
      carts.delete(uid);
      reply = { status: 201, data: ck };
    }
    checkouts.set(key, { reply });
    return reply;
  }
  if (method === 'GET' && path === '/api/notifications') return need(), page(notifications.filter((n) => n.userId === uid).reverse(), q);
  throw new HttpError(404, 'NOT_FOUND', `No route for ${method} ${path}`);
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const send = (status, obj) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-Id': randomUUID() });
    res.end(status === 204 ? undefined : JSON.stringify(obj));
  };
  if (url.pathname.startsWith('/api/')) {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const uid = auth ? tokens.get(auth[1]) : null;
    if (auth && !uid) return send(401, { success: false, error: { code: 'UNAUTHENTICATED', message: 'Invalid token', details: [] } });
    try {
      let body = {};
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        throw new HttpError(400, 'BAD_REQUEST', 'Malformed JSON');
      }
      const r = await route(req.method, url.pathname, url.searchParams, body, uid, req.headers);
      if (r.error) throw r.error;
      send(r.status ?? 200, { success: true, data: r.data, ...(r.pagination ? { pagination: r.pagination } : {}) });
    } catch (e) {
      if (!(e instanceof HttpError)) console.error(e);
      const err = e instanceof HttpError ? e : new HttpError(500, 'INTERNAL', 'Internal error');
      send(err.status, { success: false, error: { code: err.code, message: err.message, details: err.details }, ...(err.data ? { data: err.data } : {}), requestId: randomUUID() });
    }
    return;
  }
  let file = normalize(url.pathname).replace(/^(\.\.[/\\])+/, '');
  if (file === '/' || !extname(file)) file = '/index.html';
  try {
    const content = await readFile(join(dist, file));
    // the same policy as dev.storefront.web.WebModule.DEFAULT_CSP, so that a violation shows up here too
    res.writeHead(200, {
      'Content-Type': types[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    });
    res.end(content);
  } catch {
    res.writeHead(404).end();
  }
}).listen(port, '127.0.0.1', () => console.log(`mock API + UI on http://127.0.0.1:${port}`));
