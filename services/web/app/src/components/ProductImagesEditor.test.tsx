import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ProductImagesEditor } from './ProductImagesEditor';
import { ProductEditor } from '../pages/admin/ProductsManager';
import { fail, mockApi, ok } from '../test/mockApi';
import { installFakeXhr } from '../test/fakeXhr';
import { admin, loginAs, renderAt } from '../test/render';

const image = (id: string, position: number, primary = false) => ({
  id,
  position,
  primary,
  width: 800,
  height: 600,
  sourceFormat: 'png',
  variants: {
    thumb: { url: `/api/products/p1/images/${id}/thumb-${id}.png`, width: 160, height: 120 },
    card: { url: `/api/products/p1/images/${id}/card-${id}.png`, width: 480, height: 360 },
    full: { url: `/api/products/p1/images/${id}/full-${id}.png`, width: 800, height: 600 },
  },
});

const png = (name = 'photo.png', bytes = 1024) => new File([new Uint8Array(bytes)], name, { type: 'image/png' });
/** A file that says it is this large (the size check reads only that; no need to hold 11 MB in the test). */
const claiming = (file: File, bytes: number) => Object.defineProperty(file, 'size', { value: bytes });

afterEach(() => vi.restoreAllMocks());
// several renders, refetches and clicks per test: the default 5 s is tight on a loaded 2-core machine
vi.setConfig({ testTimeout: 15_000 });

describe('product images editor', () => {
  it('uploads a dropped file with a progress bar and the session token, then shows it in the gallery', async () => {
    loginAs(admin);
    const Xhr = installFakeXhr();
    let stored: unknown[] = [];
    mockApi({ 'GET /api/products/p1/images': () => ok(stored) });
    renderAt(<ProductImagesEditor productId="p1" />, { url: '/admin/products/p1/edit' });

    fireEvent.drop(await screen.findByTestId('image-drop-zone'), { dataTransfer: { files: [png()], types: ['Files'] } });

    await waitFor(() => expect(Xhr.all).toHaveLength(1));
    const xhr = Xhr.all[0];
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/products/p1/images');
    expect(xhr.headers.Authorization).toBe('Bearer at');
    expect(xhr.file().name).toBe('photo.png');
    const row = await screen.findByTestId('upload');
    expect(row.textContent).toContain('photo.png');

    act(() => xhr.progress(256, 1024));
    expect(within(row).getByTestId('upload-progress').getAttribute('aria-valuenow')).toBe('25');
    expect(within(row).getByTestId('upload-percent').textContent).toBe('25%');
    act(() => xhr.progress(1024, 1024));
    expect(within(row).getByTestId('upload-percent').textContent).toBe('Processing…');

    stored = [image('i1', 0, true)];
    act(() => xhr.respond(201, { success: true, data: stored[0] }));

    await waitFor(() => expect(screen.queryByTestId('upload')).toBeNull());
    const shown = await screen.findAllByTestId('gallery-image');
    expect(shown).toHaveLength(1);
    expect(within(shown[0]).getByTestId('image-primary-badge')).toBeTruthy();
  });

  it("shows the server's reason next to a refused file, and refuses a file over 10 MB without sending it", async () => {
    loginAs(admin);
    const Xhr = installFakeXhr();
    mockApi({ 'GET /api/products/p1/images': ok([]) });
    renderAt(<ProductImagesEditor productId="p1" />, { url: '/admin/products/p1/edit' });
    const input = await screen.findByTestId('image-file-input');

    fireEvent.change(input, { target: { files: [png('script.jpg', 40), claiming(png('huge.png'), 11 * 1024 * 1024)] } });

    await waitFor(() => expect(Xhr.all).toHaveLength(1)); // only the small one is sent
    const message = 'The file is not a JPEG, PNG or WebP image (decided by its content, not its name)';
    act(() =>
      Xhr.all[0].respond(415, { success: false, error: { code: 'UNSUPPORTED_MEDIA_TYPE', message, details: [{ field: 'file', message }] } }),
    );

    const rows = await screen.findAllByTestId('upload');
    const byName = (n: string) => rows.find((r) => r.textContent?.includes(n))!;
    await waitFor(() => expect(byName('script.jpg').getAttribute('data-state')).toBe('failed'));
    expect(within(byName('script.jpg')).getByTestId('upload-error').textContent).toBe(message);
    expect(within(byName('huge.png')).getByTestId('upload-error').textContent).toBe('The file is larger than 10 MB');
    expect(Xhr.all).toHaveLength(1);

    await userEvent.click(within(byName('huge.png')).getByTestId('upload-dismiss'));
    expect(screen.getAllByTestId('upload')).toHaveLength(1);
  }, 15_000);

  it('reorders, makes primary and deletes through the API', async () => {
    loginAs(admin);
    installFakeXhr();
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const a = image('a', 0, true);
    const b = image('b', 1);
    const c = image('c', 2);
    const { calls } = mockApi({
      'GET /api/products/p1/images': ok([a, b, c]),
      'PUT /api/products/p1/images/order': ok([{ ...b, position: 0 }, { ...a, position: 1 }, c]),
      'PUT /api/products/p1/images/c/primary': ok([{ ...a, primary: false }, b, { ...c, primary: true }]),
      'DELETE /api/products/p1/images/b': ok({ id: 'b', deleted: true, images: [a, { ...c, position: 1 }] }),
    });
    renderAt(<ProductImagesEditor productId="p1" />, { url: '/admin/products/p1/edit' });
    let shown = await screen.findAllByTestId('gallery-image');
    expect(shown.map((s) => s.getAttribute('data-image-id'))).toEqual(['a', 'b', 'c']);
    expect(within(shown[0]).getByTestId<HTMLButtonElement>('image-up').disabled).toBe(true);

    await userEvent.click(within(shown[0]).getByTestId('image-down'));
    await waitFor(() => expect(calls.find((x) => x.method === 'PUT' && x.url.endsWith('/order'))?.body).toEqual({ imageIds: ['b', 'a', 'c'] }));
    await waitFor(() => expect(screen.getAllByTestId('gallery-image')[0].getAttribute('data-image-id')).toBe('b'));

    shown = screen.getAllByTestId('gallery-image');
    await userEvent.click(within(shown[2]).getByTestId('image-make-primary'));
    await waitFor(() => expect(calls.some((x) => x.method === 'PUT' && x.url.endsWith('/images/c/primary'))).toBe(true));
    await waitFor(() => expect(screen.getAllByTestId('gallery-image')[2].getAttribute('data-primary')).toBe('true'));

    await userEvent.click(within(screen.getAllByTestId('gallery-image')[1]).getByTestId('image-delete'));
    await waitFor(() => expect(calls.some((x) => x.method === 'DELETE' && x.url.endsWith('/images/b'))).toBe(true));
    await waitFor(() => expect(screen.getAllByTestId('gallery-image').map((s) => s.getAttribute('data-image-id'))).toEqual(['a', 'c']));
  });

  it('shows why a change was refused', async () => {
    loginAs(admin);
    installFakeXhr();
    mockApi({
      'GET /api/products/p1/images': ok([image('a', 0, true), image('b', 1)]),
      'PUT /api/products/p1/images/order': fail(400, 'VALIDATION_FAILED', 'imageIds: must list each of the product\'s 3 images exactly once', [
        { field: 'imageIds', message: "must list each of the product's 3 images exactly once" },
      ]),
    });
    renderAt(<ProductImagesEditor productId="p1" />, { url: '/admin/products/p1/edit' });
    await userEvent.click(within((await screen.findAllByTestId('gallery-image'))[1]).getByTestId('image-up'));
    expect((await screen.findByTestId('error-banner-message')).textContent).toContain('exactly once');
  });
});

describe('new product with images', () => {
  it('creates the product first, then uploads the chosen files on its edit page', async () => {
    loginAs(admin);
    const Xhr = installFakeXhr();
    const { calls } = mockApi({
      'GET /api/categories': ok([]),
      'POST /api/products': { status: 201, body: { success: true, data: { id: 'p9', name: 'Lamp', price: 12, currency: 'USD', images: [] } } },
      'GET /api/products/p9': ok({ id: 'p9', name: 'Lamp', price: 12, currency: 'USD', images: [], media: [] }),
      'GET /api/products/p9/images': ok([]),
      'GET /api/products/p9/prices': ok({ productId: 'p9', name: 'Lamp', sku: null, gtin: null, ours: { price: 12, currency: 'USD' }, sources: [] }),
    });
    renderAt(<ProductEditor scope="admin" />, {
      url: '/admin/products/new',
      path: '/admin/products/new',
      routes: [{ path: '/admin/products/:id/edit', element: <ProductEditor scope="admin" /> }],
    });
    await userEvent.type(await screen.findByTestId('input-name'), 'Lamp');
    await userEvent.type(screen.getByTestId('input-price'), '12');
    fireEvent.change(screen.getByTestId('image-file-input'), { target: { files: [png('lamp.png')] } });
    expect((await screen.findByTestId('pending-upload')).textContent).toContain('lamp.png');
    expect(Xhr.all).toHaveLength(0); // nothing to upload to yet

    await userEvent.click(screen.getByTestId('product-save'));

    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/admin/products/p9/edit'));
    await waitFor(() => expect(Xhr.all).toHaveLength(1));
    expect(Xhr.all[0].url).toBe('/api/products/p9/images');
    expect(Xhr.all[0].file().name).toBe('lamp.png');
    const created = calls.find((x) => x.method === 'POST' && x.url === '/api/products');
    expect(created?.body).toMatchObject({ name: 'Lamp', price: 12 });
    expect(await screen.findByTestId('upload')).toBeTruthy();
  }, 15_000);

  it('leaves typed URLs out of the update once the product has uploaded images', async () => {
    loginAs(admin);
    installFakeXhr();
    const uploaded = image('a', 0, true);
    const { calls } = mockApi({
      'GET /api/categories': ok([]),
      'GET /api/products/p1': ok({ id: 'p1', name: 'Lamp', price: 12, currency: 'USD', images: [uploaded.variants.full.url], media: [uploaded] }),
      'GET /api/products/p1/images': ok([uploaded]),
      'GET /api/products/p1/prices': ok({ productId: 'p1', name: 'Lamp', sku: null, gtin: null, ours: { price: 12, currency: 'USD' }, sources: [] }),
      'PUT /api/products/p1': ok({ id: 'p1', name: 'Lamp 2', price: 12, currency: 'USD', images: [] }),
    });
    renderAt(<ProductEditor scope="admin" />, { url: '/admin/products/p1/edit', path: '/admin/products/:id/edit' });
    await screen.findAllByTestId('gallery-image');
    expect(screen.queryByTestId('input-images')).toBeNull(); // the uploads are the images now
    await userEvent.type(screen.getByTestId('input-name'), ' 2');
    await userEvent.click(screen.getByTestId('product-save'));
    await waitFor(() => expect(calls.some((x) => x.method === 'PUT')).toBe(true));
    const body = calls.find((x) => x.method === 'PUT')!.body as Record<string, unknown>;
    expect(body.name).toBe('Lamp 2');
    expect('images' in body).toBe(false);
  });
});
