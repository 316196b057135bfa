// End-to-end: the shopper's and the admin's journey through the real UI and API, in headless Chromium.
//
//   BASE_URL=http://localhost:8080 npm run e2e
//
// Env: BASE_URL (required), ADMIN_EMAIL / ADMIN_PASSWORD (default admin@storefront.local / admin12345),
// CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (default target/screenshots), E2E_TIMEOUT_MS (per step, default 30000).
// Fails on any console error, page error, failed request or unexpected HTTP error response; the only
// tolerated ones are the 402 of the deliberately declined card.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BASE_URL = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
if (!BASE_URL) {
  console.error('e2e: set BASE_URL, e.g. BASE_URL=http://localhost:8080 npm run e2e');
  process.exit(2);
}
const ADMIN_EMAIL = process.env.ADMIN_EMAIL ?? 'admin@storefront.local';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'admin12345';
const SHOTS = resolve(process.env.SCREENSHOTS ?? join(here, '..', 'target', 'screenshots'));
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 30000);
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

mkdirSync(SHOTS, { recursive: true });

const problems = [];
/** While set, an HTTP error matching it is expected (e.g. the declined card's 402). */
let allowed = null;
const isAllowed = (status, url) => !!allowed && allowed.status === status && allowed.url.test(url);

function watch(page, label) {
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const m = /status of (\d{3})/.exec(text);
    const url = msg.location()?.url ?? '';
    if (m && isAllowed(Number(m[1]), url || text)) return;
    if (m && allowed && allowed.status === Number(m[1]) && !url) return;
    problems.push(`[${label}] console error: ${text} ${url}`);
  });
  page.on('pageerror', (err) => problems.push(`[${label}] page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    const err = req.failure()?.errorText ?? '';
    if (err.includes('ERR_ABORTED')) return; // cancelled by a navigation, not a failure
    problems.push(`[${label}] request failed: ${req.method()} ${req.url()} ${err}`);
  });
  page.on('response', (res) => {
    const status = res.status();
    if (status < 400) return;
    if (isAllowed(status, res.url())) return;
    problems.push(`[${label}] HTTP ${status}: ${res.request().method()} ${res.url()}`);
  });
}

async function expectingHttpError(status, url, fn) {
  allowed = { status, url };
  try {
    return await fn();
  } finally {
    allowed = null;
  }
}

let stepNo = 0;
let passedSteps = 0;
async function step(name, fn) {
  stepNo++;
  const t0 = Date.now();
  process.stdout.write(`e2e ${String(stepNo).padStart(2)}. ${name} … `);
  try {
    const r = await fn();
    console.log(`ok (${Date.now() - t0} ms)`);
    passedSteps++;
    return r;
  } catch (e) {
    console.log('FAILED');
    throw e;
  }
}

const tid = (id) => `[data-testid="${id}"]`;

async function shot(page, name) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.locator(tid('loading')).first().waitFor({ state: 'detached', timeout: TIMEOUT }).catch(() => {});
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function apiGet(page, path) {
  const res = await page.request.get(`${BASE_URL}/api${path}`);
  if (!res.ok()) throw new Error(`GET /api${path} -> ${res.status()}`);
  return (await res.json()).data;
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function cartQuantities(page) {
  await page.goto(`${BASE_URL}/cart`);
  await page.locator(tid('cart-item')).first().waitFor();
  return page.locator(tid('cart-item')).evaluateAll((rows) =>
    rows.map((r) => `${r.getAttribute('data-product-id')}=${r.querySelector('[data-testid="cart-item-quantity"]').value}`).sort(),
  );
}

async function fillNewAddress(page) {
  const radio = page.locator(tid('new-address'));
  if (!(await radio.isChecked())) await radio.check();
  await page.fill(tid('input-fullName'), 'E2E Shopper');
  await page.fill(tid('input-line1'), '1 Test Street');
  await page.fill(tid('input-city'), 'Springfield');
  await page.fill(tid('input-postalCode'), '12345');
  await page.fill(tid('input-country'), 'US');
}

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const stamp = Date.now().toString(36);
  const shopper = { name: 'E2E Shopper', email: `shopper-${stamp}@example.com`, password: `pw-${stamp}-secret` };
  try {
    const desk = await browser.newContext(DESKTOP);
    const page = await desk.newPage();
    watch(page, 'shopper');

    await step('home page shows categories and featured products', async () => {
      await page.goto(`${BASE_URL}/`);
      await page.locator(tid('product-card')).first().waitFor();
      await shot(page, 'desktop-home');
    });

    await step('register a new shopper', async () => {
      await page.click(tid('nav-register'));
      await page.fill(tid('input-name'), shopper.name);
      await page.fill(tid('input-email'), shopper.email);
      await page.fill(tid('input-password'), shopper.password);
      await page.fill(tid('input-confirm'), shopper.password);
      await page.click(tid('register-submit'));
      await page.locator(tid('logout')).waitFor();
    });

    // pick products from the catalog that are in stock
    const products = (await apiGet(page, '/products?limit=50')) ?? [];
    expect(products.length >= 2, `need at least 2 products in the catalog, found ${products.length}`);
    const inStock = [];
    for (const p of products) {
      const s = await apiGet(page, `/inventory/${p.id}`).catch(() => null);
      if (s && s.inStock && s.quantity >= 3) inStock.push(p);
      if (inStock.length >= 2 && inStock.some((x) => x.categorySlug)) break;
    }
    expect(inStock.length >= 2, 'need at least 2 products with stock >= 3');
    const first = inStock.find((p) => p.categorySlug) ?? inStock[0];
    const second = inStock.find((p) => p.id !== first.id);

    // search's index is loaded from catalog at start and kept current by catalog's events: wait until it
    // holds the product the journey searches for (bounded), as the dashboard step waits for analytics
    await step('the search service has indexed the catalog', async () => {
      for (let attempt = 0; ; attempt++) {
        const found = await apiGet(page, `/search?q=${encodeURIComponent(first.name)}&mode=keyword&limit=50`).catch(() => null);
        if (found?.items?.some((p) => p.id === first.id)) break;
        expect(attempt < 90, `search never found "${first.name}" (${first.id})`);
        await page.waitForTimeout(1_000);
      }
    });

    const box = page.locator(tid('header-search'));
    const options = `${tid('header-search-suggestions')} [role="option"]`;
    const firstOption = `${options}[data-product-id="${first.id}"]`;
    /** Types like a shopper (one key at a time) and waits for the suggestions of the whole text. */
    async function typeInSearchBox(text) {
      await box.fill('');
      await box.pressSequentially(text, { delay: 25 });
      await page.locator(`${tid('header-search-suggestions')}[data-term=${JSON.stringify(text.trim())}] [role="option"]`).first().waitFor();
      await page.locator(firstOption).waitFor();
    }

    await step('the search box suggests as you type; Enter shows results with facets from the search service', async () => {
      await page.goto(`${BASE_URL}/`);
      await page.locator(tid('product-card')).first().waitFor();
      await typeInSearchBox(first.name);
      expect((await box.getAttribute('aria-expanded')) === 'true', 'the combobox does not say it is expanded');
      await shot(page, 'desktop-search-suggestions');
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/search?') && r.request().method() === 'GET'),
        box.press('Enter'),
      ]);
      await page.waitForURL(/\/search\?q=/);
      const body = (await res.json()).data;
      await page.locator(`${tid('product-card')}[data-product-id="${first.id}"]`).waitFor();
      expect(body.facets.categories.length > 0, 'the search answered no category facet');
      // every category and price band the service counted is on screen with its count
      for (const c of body.facets.categories) {
        const count = await page.getAttribute(`${tid('facet-category')}[data-slug="${c.slug}"]`, 'data-count');
        expect(Number(count) === c.count, `category ${c.slug}: ${count} on screen, ${c.count} answered`);
      }
      for (const b of body.facets.priceBands.filter((x) => x.count > 0)) {
        const count = await page.getAttribute(`${tid('facet-price')}[data-band="${b.band}"]`, 'data-count');
        expect(Number(count) === b.count, `price band ${b.band}: ${count} on screen, ${b.count} answered`);
      }
      await shot(page, 'desktop-search');
    });

    await step('a category facet narrows the results (state in the URL, back goes back)', async () => {
      const slug = first.categorySlug;
      expect(slug, 'the product the journey searches for has no category');
      const resultsUrl = page.url();
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/search?') && new URL(r.url()).searchParams.get('category') === slug),
        page.click(`${tid('facet-category')}[data-slug="${slug}"]`),
      ]);
      await page.waitForURL(new RegExp(`[?&]category=${slug}(&|$)`));
      const body = await res.json();
      await page.locator(`${tid('facet-category')}[data-slug="${slug}"][aria-current="true"]`).waitFor();
      await page.locator(`${tid('product-card')}[data-product-id="${first.id}"]`).waitFor();
      // what is shown is what the service answered, and all of it is in the category or one of its subcategories
      const total = body.pagination.total;
      await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.textContent?.startsWith(`${t} product`), [tid('result-count'), total]);
      const cats = (await apiGet(page, '/categories')) ?? [];
      const within = new Set([slug]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const c of cats) {
          const parent = cats.find((x) => x.id === c.parentId);
          if (parent && within.has(parent.slug) && !within.has(c.slug)) {
            within.add(c.slug);
            grew = true;
          }
        }
      }
      const outside = body.data.items.filter((p) => !within.has(p.categorySlug));
      expect(outside.length === 0, `narrowed to ${slug} but got ${outside.map((p) => `${p.name} (${p.categorySlug})`).join(', ')}`);
      await shot(page, 'desktop-search-narrowed');
      await page.goBack();
      await page.waitForURL(resultsUrl);
      await page.locator(`${tid('facet-category')}[aria-current="true"]`).waitFor({ state: 'detached' });
    });

    await step('picking a suggestion with the keyboard opens its product', async () => {
      await typeInSearchBox(first.name);
      const ids = await page.locator(options).evaluateAll((els) => els.map((e) => e.getAttribute('data-product-id')));
      for (let i = 0; i <= ids.indexOf(first.id); i++) await box.press('ArrowDown');
      const active = await box.getAttribute('aria-activedescendant');
      expect(active && active === (await page.getAttribute(firstOption, 'id')), `the active option is ${active}`);
      await box.press('Enter');
      await page.waitForURL(new RegExp(`/products/${first.id}$`));
      await page.locator(tid('product-name')).waitFor();
    });

    await step('a category page lists from the search service, with facets; price filter (state in the URL)', async () => {
      await page.goto(`${BASE_URL}/products`);
      await page.locator(tid('product-card')).first().waitFor();
      if (first.categorySlug) {
        await page.click(`${tid('facet-category')}[data-slug="${first.categorySlug}"]`);
        await page.waitForURL(new RegExp(`category=${first.categorySlug}`));
        await page.locator(`${tid('facet-category')}[data-slug="${first.categorySlug}"][aria-current="true"]`).waitFor();
      }
      await page.fill(tid('input-maxPrice'), String(Math.ceil(Number(first.price))));
      await page.click(tid('apply-filters'));
      await page.waitForURL(/maxPrice=/);
      await page.locator(`${tid('product-card')}[data-product-id="${first.id}"]`).waitFor();
      const prices = await page.locator(tid('product-card')).evaluateAll((cards) => cards.length);
      expect(prices >= 1, 'filtered list is empty');
      await page.locator(tid('facet-price')).first().waitFor();
      await shot(page, 'desktop-products-filtered');
      // reload keeps the filters
      await page.reload();
      await page.locator(`${tid('product-card')}[data-product-id="${first.id}"]`).waitFor();
    });

    for (const [i, p] of [first, second].entries()) {
      await step(`add product ${i + 1} to the cart (${p.name})`, async () => {
        await page.goto(`${BASE_URL}/products/${p.id}`);
        await page.locator(tid('product-name')).waitFor();
        await page.locator(`${tid('stock-state')}[data-state="in"], ${tid('stock-state')}[data-state="low"]`).waitFor();
        if (i === 0) await shot(page, 'desktop-product');
        await page.click(tid('add-to-cart'));
        await page.locator(tid('added-to-cart')).waitFor();
      });
    }

    await step('change a quantity in the cart', async () => {
      await page.goto(`${BASE_URL}/cart`);
      await page.locator(tid('cart-item')).nth(1).waitFor();
      const total = await page.textContent(tid('cart-total'));
      const row = page.locator(`${tid('cart-item')}[data-product-id="${first.id}"]`);
      await row.locator(tid('qty-increase')).click();
      await row.locator(`${tid('cart-item-quantity')}`).evaluate((el) => el.value);
      await page.waitForFunction(
        ([sel, before]) => document.querySelector(sel)?.textContent !== before,
        [tid('cart-total'), total],
      );
      expect((await row.locator(tid('cart-item-quantity')).inputValue()) === '2', 'quantity did not become 2');
      await shot(page, 'desktop-cart');
    });
    const cartBefore = await cartQuantities(page);

    await step('a declined card shows the reason and leaves the cart intact', async () => {
      await page.click(tid('go-to-checkout'));
      await page.locator(tid('place-order')).waitFor();
      if ((await page.locator(tid('saved-address')).count()) === 0) await fillNewAddress(page);
      await page.check(tid('payment-pm_card_chargeDeclined'));
      await expectingHttpError(402, /\/api\/checkout/, async () => {
        await page.click(tid('place-order'));
        await page.locator(tid('checkout-error')).waitFor();
        await page.waitForLoadState('networkidle');
      });
      const msg = (await page.textContent(tid('checkout-error'))) ?? '';
      expect(/declin|fail/i.test(msg), `decline message does not say why: "${msg}"`);
      await shot(page, 'desktop-checkout-declined');
      const after = await cartQuantities(page);
      expect(JSON.stringify(after) === JSON.stringify(cartBefore), `cart changed: ${after} vs ${cartBefore}`);
    });

    const orderId = await step('checkout with pm_card_visa confirms the order', async () => {
      await page.click(tid('go-to-checkout'));
      await page.locator(tid('place-order')).waitFor();
      if ((await page.locator(tid('saved-address')).count()) === 0) await fillNewAddress(page);
      else await page.locator(tid('saved-address')).first().check();
      await page.check(tid('payment-pm_card_visa'));
      await shot(page, 'desktop-checkout');
      await page.click(tid('place-order'));
      await page.waitForURL(/\/orders\/[^/]+\/confirmation/, { timeout: TIMEOUT * 2 });
      await page.locator(tid('order-placed')).waitFor();
      const id = await page.getAttribute(tid('order-confirmation'), 'data-order-id');
      const status = await page.getAttribute(`${tid('order-confirmation')} ${tid('order-status')}`, 'data-status');
      expect(status === 'CONFIRMED', `order status is ${status}, expected CONFIRMED`);
      await shot(page, 'desktop-order-confirmation');
      return id;
    });

    await step('the order is in the history, and the cart is empty', async () => {
      await page.goto(`${BASE_URL}/orders`);
      const row = page.locator(`${tid('order-row')}[data-order-id="${orderId}"]`);
      await row.waitFor();
      expect((await row.locator(tid('order-status')).getAttribute('data-status')) === 'CONFIRMED', 'history does not show CONFIRMED');
      await shot(page, 'desktop-orders');
      await page.goto(`${BASE_URL}/cart`);
      await page.locator(tid('cart-empty')).waitFor();
    });

    await step('notifications page loads', async () => {
      await page.goto(`${BASE_URL}/notifications`);
      await page.locator(`${tid('notification-list')}, ${tid('notifications-empty')}`).first().waitFor();
      await shot(page, 'desktop-notifications');
    });

    const adminCtx = await browser.newContext(DESKTOP);
    const admin = await adminCtx.newPage();
    watch(admin, 'admin');

    await step('admin logs in and sees the dashboard', async () => {
      await admin.goto(`${BASE_URL}/login?next=%2Fadmin`);
      await admin.fill(tid('input-email'), ADMIN_EMAIL);
      await admin.fill(tid('input-password'), ADMIN_PASSWORD);
      await admin.click(tid('login-submit'));
      await admin.waitForURL(/\/admin$/);
      await admin.locator(tid('stat-orders')).waitFor();
    });

    await step('the dashboard shows what the analytics API answers, the journey\'s order included', async () => {
      // the order reaches analytics over the event bus: reload until it is counted (bounded)
      let body = null;
      for (let attempt = 0; attempt < 20; attempt++) {
        const [res] = await Promise.all([
          admin.waitForResponse((r) => r.url().includes('/api/analytics/dashboard') && r.request().method() === 'GET'),
          attempt === 0 ? admin.goto(`${BASE_URL}/admin`) : admin.reload(),
        ]);
        body = (await res.json()).data;
        if (body.orders >= 1) break;
        await admin.waitForTimeout(1_000);
      }
      expect(body && body.orders >= 1, `analytics never counted the journey's order: ${JSON.stringify(body)}`);
      await admin.locator(`${tid('stat-orders')}[data-value="${body.orders}"]`).waitFor();
      const usd = (n) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(Number(n));
      const pct = (r) => `${(Number(r) * 100).toFixed(1)}%`;
      const onScreen = async (id) => (await admin.locator(tid(id)).textContent()).trim();
      expect((await onScreen('stat-orders')) === String(body.orders), `orders on screen ${await onScreen('stat-orders')} != API ${body.orders}`);
      expect((await onScreen('stat-revenue')) === usd(body.revenue), `revenue on screen ${await onScreen('stat-revenue')} != API ${body.revenue}`);
      expect((await onScreen('stat-aov')) === usd(body.averageOrderValue), `AOV on screen != API ${body.averageOrderValue}`);
      expect((await onScreen('stat-sessions')) === String(body.sessions), `sessions on screen != API ${body.sessions}`);
      expect((await onScreen('stat-conversion')) === pct(body.conversionRate), `conversion on screen != API ${body.conversionRate}`);
      expect((await onScreen('stat-add-to-cart')) === pct(body.addToCartRate), `add-to-cart rate on screen != API ${body.addToCartRate}`);
      expect((await admin.locator(tid('sales-chart')).getAttribute('data-days')) === String(body.days.length), 'chart days != API days');
      expect(await admin.locator(`${tid('sales-chart')} canvas`).count() === 1, 'no chart canvas');
      await admin.locator(`${tid('zero-results')}, ${tid('zero-results-empty')}`).first().waitFor();
      await shot(admin, 'desktop-admin-dashboard');
    });

    await step('admin ships the order', async () => {
      await admin.goto(`${BASE_URL}/admin/orders?status=CONFIRMED`);
      const row = admin.locator(`${tid('admin-order-row')}[data-order-id="${orderId}"]`);
      await row.waitFor();
      await shot(admin, 'desktop-admin-orders');
      // Wait for the PUT to be answered: navigating away at once would abort it in flight.
      const [shipped] = await Promise.all([
        admin.waitForResponse((r) => r.request().method() === 'PUT' && r.url().includes(`/api/orders/${orderId}/status`)),
        row.locator(tid('order-ship')).click(),
      ]);
      if (!shipped.ok()) throw new Error(`ship answered ${shipped.status()}: ${await shipped.text()}`);
      await admin.goto(`${BASE_URL}/admin/orders?status=SHIPPED`);
      await admin.locator(`${tid('admin-order-row')}[data-order-id="${orderId}"] ${tid('order-status')}[data-status="SHIPPED"]`).waitFor();
    });

    await step('admin pages load (products, categories, stock)', async () => {
      for (const [path, ready] of [
        ['/admin/products', `${tid('manage-products')}, ${tid('manage-empty')}`],
        ['/admin/categories', `${tid('category-list')}, ${tid('empty')}`],
        ['/admin/stock', `${tid('low-stock-table')}, ${tid('low-stock-empty')}`],
      ]) {
        await admin.goto(`${BASE_URL}${path}`);
        await admin.locator(ready).first().waitFor();
        await shot(admin, `desktop-admin-${path.split('/').pop()}`);
      }
    });

    await step('admin creates a product with a PNG (file input), adds one by drag and drop, and the shop shows them with srcset', async () => {
      // real PNGs: screenshots of the admin's own page, 900x600 and 700x500
      await admin.goto(`${BASE_URL}/admin/products`);
      await admin.locator(`${tid('manage-products')}, ${tid('manage-empty')}`).first().waitFor();
      const firstPng = await admin.screenshot({ clip: { x: 0, y: 0, width: 900, height: 600 } });
      const secondPng = await admin.screenshot({ clip: { x: 100, y: 50, width: 700, height: 500 } });
      const name = `E2E Lamp ${stamp}`;
      await admin.goto(`${BASE_URL}/admin/products/new`);
      await admin.fill(tid('input-name'), name);
      await admin.fill(tid('input-price'), '12.50');
      await admin.setInputFiles(tid('image-file-input'), { name: 'lamp.png', mimeType: 'image/png', buffer: firstPng });
      await admin.locator(tid('pending-upload')).waitFor();
      await admin.click(tid('product-save'));
      await admin.waitForURL(/\/admin\/products\/[^/]+\/edit$/);
      const productId = admin.url().split('/').slice(-2)[0];
      await admin.locator(tid('gallery-image')).first().waitFor({ timeout: TIMEOUT * 2 });

      // the second one dropped on the drop zone, as a browser delivers a file dragged from the desktop
      const dataTransfer = await admin.evaluateHandle((b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], 'lamp-side.png', { type: 'image/png' }));
        return dt;
      }, secondPng.toString('base64'));
      await admin.dispatchEvent(tid('image-drop-zone'), 'dragenter', { dataTransfer });
      await admin.dispatchEvent(tid('image-drop-zone'), 'drop', { dataTransfer });
      await admin.locator(tid('gallery-image')).nth(1).waitFor({ timeout: TIMEOUT * 2 });
      await admin.locator(tid('upload')).first().waitFor({ state: 'detached' });
      await shot(admin, 'desktop-admin-product-images');
      const gallery = await apiGet(admin, `/products/${productId}/images`);
      expect(gallery.length === 2, `the product has ${gallery.length} images, expected 2`);
      expect(gallery[0].primary && gallery[0].width === 900 && gallery[1].width === 700, `unexpected gallery ${JSON.stringify(gallery)}`);

      // the product page: the main image from the variants by width, loaded; a thumbnail per image. Inventory
      // learns of the product from its created event: until then the page's stock call would answer 404
      for (let i = 0; i < 60 && !(await page.request.get(`${BASE_URL}/api/inventory/${productId}`)).ok(); i++) {
        await page.waitForTimeout(500);
      }
      await page.goto(`${BASE_URL}/products/${productId}`);
      const main = page.locator(tid('product-image'));
      await main.waitFor();
      await page.waitForFunction((sel) => {
        const img = document.querySelector(sel);
        return img && img.complete && img.naturalWidth > 0;
      }, tid('product-image'));
      const shown = await main.evaluate((img) => ({
        srcset: img.getAttribute('srcset'),
        sizes: img.getAttribute('sizes'),
        width: img.getAttribute('width'),
        current: img.currentSrc,
        natural: img.naturalWidth,
      }));
      const v = gallery[0].variants;
      expect(shown.srcset === `${v.thumb.url} 160w, ${v.card.url} 480w, ${v.full.url} 900w`, `srcset is ${shown.srcset}`);
      expect(!!shown.sizes && shown.width === '900', `sizes ${shown.sizes}, width ${shown.width}`);
      expect([v.thumb.url, v.card.url, v.full.url].some((u) => shown.current.endsWith(u)), `the browser loaded ${shown.current}`);
      expect((await page.locator(`${tid('thumbnails')} img`).count()) === 2, 'no thumbnail per image');
      await shot(page, 'desktop-product-uploaded-images');
      // off the page before the product goes: a refetch there would answer 404, which the journey counts as a failure
      await page.goto(`${BASE_URL}/orders`);
      await page.locator(tid('order-row')).first().waitFor();

      // deleting the product takes its image objects from the bucket
      await admin.goto(`${BASE_URL}/admin/products?q=${encodeURIComponent(name)}`);
      const row = admin.locator(`${tid('manage-product-row')}[data-product-id="${productId}"]`);
      await row.waitFor();
      admin.once('dialog', (d) => d.accept());
      const [deleted] = await Promise.all([
        admin.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/api/products/${productId}`)),
        row.locator(tid('product-delete')).click(),
      ]);
      expect(deleted.ok(), `delete answered ${deleted.status()}`);
      const gone = await admin.request.get(`${BASE_URL}${v.full.url}`);
      expect(gone.status() === 404, `the deleted product's image still answers ${gone.status()}`);
      // search drops it from its index on the deleted event: wait for that, or a later list could still show it
      // (its image now 404, which the journey counts as a failure)
      for (let i = 0; i < 60; i++) {
        const res = await admin.request.get(`${BASE_URL}/api/search?q=${encodeURIComponent(name)}&mode=keyword`);
        if (!res.ok() || !((await res.json()).data?.items ?? []).some((p) => p.id === productId)) break;
        await admin.waitForTimeout(500);
      }
    });

    await step('the shopper sees Shipped', async () => {
      await page.goto(`${BASE_URL}/orders/${orderId}`);
      await page.locator(`${tid('order-detail')} ${tid('order-status')}[data-status="SHIPPED"]`).first().waitFor();
      await page.locator(`${tid('timeline-entry')}[data-status="SHIPPED"]`).waitFor();
      await shot(page, 'desktop-order-shipped');
    });

    await step('phone-sized screens', async () => {
      const phoneCtx = await browser.newContext({ ...PHONE, storageState: await desk.storageState() });
      const phone = await phoneCtx.newPage();
      watch(phone, 'phone');
      await phone.goto(`${BASE_URL}/`);
      await phone.locator(tid('product-card')).first().waitFor();
      await shot(phone, 'phone-home');
      await phone.click(tid('nav-toggle'));
      await phone.locator(tid('mobile-menu')).waitFor();
      await shot(phone, 'phone-menu');
      await phone.goto(`${BASE_URL}/products?maxPrice=${Math.ceil(Number(first.price))}`);
      await phone.locator(tid('product-card')).first().waitFor();
      await shot(phone, 'phone-products');
      await phone.goto(`${BASE_URL}/products/${first.id}`);
      await phone.locator(tid('stock-state')).waitFor();
      await shot(phone, 'phone-product');
      await phone.goto(`${BASE_URL}/cart`);
      await phone.locator(`${tid('cart-empty')}, ${tid('cart-items')}`).first().waitFor();
      await shot(phone, 'phone-cart');
      await phone.goto(`${BASE_URL}/orders/${orderId}`);
      await phone.locator(tid('status-timeline')).waitFor();
      await shot(phone, 'phone-order');
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `page is ${overflow}px wider than the phone screen`);
      await phoneCtx.close();
    });

    await step('logout', async () => {
      await page.click(tid('logout'));
      await page.locator(tid('nav-login')).waitFor();
    });

    await desk.close();
    await adminCtx.close();
  } finally {
    await browser.close();
  }
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error(`e2e failed: ${e?.stack ?? e}`);
}
if (problems.length) {
  failed = true;
  console.error(`e2e: ${problems.length} browser problem(s):\n  ${problems.join('\n  ')}`);
}
console.log(`screenshots: ${SHOTS}`);
console.log(`e2e: ${passedSteps} passed, ${failed ? Math.max(1, stepNo - passedSteps) : 0} failed`);
process.exit(failed ? 1 : 0);
