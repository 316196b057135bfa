import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createProduct, deleteProduct, getProduct, listCategories, listProducts, updateProduct } from '../../api/endpoints';
import type { Product, ProductInput } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { Pagination } from '../../components/Pagination';
import { PriceComparison } from '../../components/PriceComparison';
import { ProductImage } from '../../components/ProductCard';
import { ImageDropZone, ProductImagesEditor, handOverUploads, useProductImages } from '../../components/ProductImagesEditor';
import { galleryOf } from '../../api/images';
import { Card, Empty, ErrorBanner, PageTitle, SelectField, Spinner, TextArea, TextField, btn } from '../../components/ui';
import { money } from '../../lib/format';
import { parseAttributes, parseLines, validateProduct, type Errors, type ProductForm } from '../../lib/validation';
import { serverFieldErrors } from '../../lib/errors';

export type Scope = 'admin' | 'vendor';
const base = (scope: Scope) => (scope === 'admin' ? '/admin/products' : '/vendor/products');

export function ProductsManager({ scope }: { scope: Scope }) {
  const { user } = useAuth();
  const qc = useQueryClient();
  const [sp, setSp] = useSearchParams();
  const page = Math.max(1, Number(sp.get('page')) || 1);
  const q = sp.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const vendorId = scope === 'vendor' ? user?.id : undefined;
  const products = useQuery({
    queryKey: ['catalog', 'products', 'manage', scope, vendorId, page, q],
    queryFn: () => listProducts({ page, limit: 20, q: q || undefined, vendorId }),
    placeholderData: keepPreviousData,
  });
  const del = useMutation({
    mutationFn: (id: string) => deleteProduct(id),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['catalog'] }),
  });
  // a vendor sees only their own products, whatever the list answered
  const items = (products.data?.items ?? []).filter((p) => scope === 'admin' || p.vendorId === user?.id);

  return (
    <div>
      <PageTitle
        actions={
          <Link to={`${base(scope)}/new`} className={btn.primary} data-testid="product-new">
            New product
          </Link>
        }
      >
        {scope === 'admin' ? 'Products' : 'My products'}
      </PageTitle>
      <form
        className="mb-4 flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setSp(search.trim() ? { q: search.trim() } : {});
        }}
      >
        <input
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="Search"
          aria-label="Search products"
          className="w-full max-w-xs rounded-md border border-slate-300 px-3 py-2 text-sm"
          data-testid="manage-search"
        />
        <button className={btn.secondary}>Search</button>
      </form>
      {del.isError && <ErrorBanner error={del.error} />}
      {products.isPending ? (
        <Spinner />
      ) : products.isError ? (
        <ErrorBanner error={products.error} />
      ) : items.length === 0 ? (
        <Empty title="No products yet." testId="manage-empty" />
      ) : (
        <>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm" data-testid="manage-products">
              <thead className="bg-slate-50 text-left text-xs uppercase text-slate-500">
                <tr>
                  <th className="px-3 py-2">Product</th>
                  <th className="px-3 py-2">Price</th>
                  <th className="hidden px-3 py-2 sm:table-cell">Category</th>
                  <th className="px-3 py-2 text-right">Actions</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {items.map((p) => (
                  <tr key={p.id} data-testid="manage-product-row" data-product-id={p.id}>
                    <td className="px-3 py-2">
                      <div className="flex items-center gap-2">
                        <ProductImage image={galleryOf(p)[0]} src={p.images?.[0]} variant="thumb" sizes="40px" alt="" className="h-10 w-10 shrink-0 rounded" />
                        <span className="font-medium">{p.name}</span>
                      </div>
                    </td>
                    <td className="px-3 py-2">{money(p.price, p.currency)}</td>
                    <td className="hidden px-3 py-2 sm:table-cell">{p.categorySlug ?? ''}</td>
                    <td className="space-x-3 whitespace-nowrap px-3 py-2 text-right">
                      <Link to={`${base(scope)}/${p.id}/edit`} className={btn.link} data-testid="product-edit">
                        Edit
                      </Link>
                      <button
                        type="button"
                        className="text-red-600 hover:underline"
                        disabled={del.isPending}
                        onClick={() => window.confirm(`Delete “${p.name}”?`) && del.mutate(p.id)}
                        data-testid="product-delete"
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            pagination={{ ...products.data.pagination, page }}
            onPage={(p) => {
              const n = new URLSearchParams(sp);
              n.set('page', String(p));
              setSp(n);
            }}
          />
        </>
      )}
    </div>
  );
}

const emptyForm: ProductForm = { name: '', description: '', price: '', currency: 'USD', categoryId: '', images: '', attributes: '', gtin: '' };

export function productToForm(p: Product): ProductForm {
  return {
    name: p.name ?? '',
    description: p.description ?? '',
    price: p.price != null ? String(p.price) : '',
    currency: p.currency ?? 'USD',
    categoryId: p.categoryId ?? '',
    images: (p.images ?? []).join('\n'),
    attributes: Object.entries(p.attributes ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    gtin: p.gtin ?? '',
  };
}

/**
 * The body to send. {@code withImageUrls} false (the product has uploaded images) leaves `images` out: the
 * catalog writes that list from the uploads, and a stale copy from this form must not replace it.
 */
export function formToProduct(f: ProductForm, withImageUrls = true): ProductInput {
  return {
    name: f.name.trim(),
    description: f.description.trim(),
    price: Number(f.price.trim()),
    currency: f.currency.trim().toUpperCase(),
    categoryId: f.categoryId || null,
    ...(withImageUrls ? { images: parseLines(f.images) } : {}),
    attributes: parseAttributes(f.attributes),
    gtin: (f.gtin ?? '').trim(),
  };
}

export function ProductEditor({ scope }: { scope: Scope }) {
  const { id } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const existing = useQuery({ queryKey: ['catalog', 'product', id], queryFn: () => getProduct(id!), enabled: !!id });
  const cats = useQuery({ queryKey: ['catalog', 'categories'], queryFn: listCategories });
  const [form, setForm] = useState<ProductForm>(emptyForm);
  const [errors, setErrors] = useState<Errors>({});
  // files chosen before the product exists: uploaded on its edit page once it is created
  const [pending, setPending] = useState<File[]>([]);
  const gallery = useProductImages(id);
  const uploaded = (gallery.data?.length ?? existing.data?.media?.length ?? 0) > 0;
  // filled once from the product: an upload refetches it, and that must not undo what is being typed
  const filledFrom = useRef<string | null>(null);
  useEffect(() => {
    if (existing.data && filledFrom.current !== existing.data.id) {
      filledFrom.current = existing.data.id;
      setForm(productToForm(existing.data));
    }
  }, [existing.data]);
  const save = useMutation({
    mutationFn: () => (id ? updateProduct(id, formToProduct(form, !uploaded)) : createProduct(formToProduct(form))),
    onSuccess: (saved) => {
      qc.invalidateQueries({ queryKey: ['catalog'] });
      if (!id && pending.length > 0 && saved?.id) {
        handOverUploads(saved.id, pending);
        navigate(`${base(scope)}/${saved.id}/edit`, { replace: true });
      } else {
        navigate(base(scope));
      }
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const set = (k: keyof ProductForm) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
    setForm({ ...form, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateProduct(uploaded ? { ...form, images: '' } : form);
    setErrors(errs);
    if (!Object.keys(errs).length) save.mutate();
  };

  if (id && existing.isPending) return <Spinner />;
  if (id && existing.isError) return <ErrorBanner error={existing.error} />;
  const previews = parseLines(form.images).filter((u) => /^https?:\/\//.test(u));

  return (
    <div className="mx-auto max-w-2xl">
      <PageTitle>{id ? 'Edit product' : 'New product'}</PageTitle>
      <Card>
        {save.isError && <ErrorBanner error={save.error} />}
        <form onSubmit={submit} noValidate data-testid="product-form">
          <TextField label="Name" name="name" value={form.name} onChange={set('name')} error={errors.name} />
          <TextArea label="Description" name="description" value={form.description} onChange={set('description')} error={errors.description} />
          <div className="grid grid-cols-2 gap-4">
            <TextField label="Price" name="price" inputMode="decimal" value={form.price} onChange={set('price')} error={errors.price} />
            <TextField label="Currency" name="currency" value={form.currency} onChange={set('currency')} error={errors.currency} maxLength={3} />
          </div>
          <SelectField label="Category" name="categoryId" value={form.categoryId} onChange={set('categoryId')} error={errors.categoryId}>
            <option value="">— none —</option>
            {(cats.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          {id ? (
            <ProductImagesEditor productId={id} />
          ) : (
            <section className="mb-3" data-testid="product-images">
              <h2 className="mb-1 block text-sm font-medium text-slate-700">Images</h2>
              <ImageDropZone
                onFiles={(files) => setPending((p) => [...p, ...files])}
                hint="At most 10 MB each; uploaded once the product is saved, the first becomes the main image."
              />
              {pending.length > 0 && (
                <ul className="mb-3 space-y-1 text-sm" data-testid="pending-uploads">
                  {pending.map((f, i) => (
                    <li key={f.name + i} className="flex items-center justify-between gap-2" data-testid="pending-upload">
                      <span className="truncate">{f.name}</span>
                      <button type="button" className="text-xs text-slate-500 hover:underline" onClick={() => setPending((p) => p.filter((_, j) => j !== i))}>
                        Remove
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
          {!uploaded && (
            // the catalog still takes typed URLs (external images, the demo tiles); the first upload replaces them
            <TextArea
              label="Image URLs (instead of uploading)"
              name="images"
              value={form.images}
              onChange={set('images')}
              error={errors.images}
              hint="One http(s) URL per line; the first is the main image. Uploading an image replaces these."
            />
          )}
          {!uploaded && previews.length > 0 && (
            <div className="mb-3 flex gap-2 overflow-x-auto">
              {previews.map((u, i) => (
                <img key={u + i} src={u} alt="" loading="lazy" decoding="async" className="h-16 w-16 rounded object-cover" />
              ))}
            </div>
          )}
          <TextArea
            label="Attributes"
            name="attributes"
            value={form.attributes}
            onChange={set('attributes')}
            error={errors.attributes}
            hint="key=value, one per line"
          />
          <TextField label="GTIN (optional)" name="gtin" inputMode="numeric" value={form.gtin ?? ''} onChange={set('gtin')} error={errors.gtin}
            hint="EAN/UPC barcode number; competitors' price feeds match by it or by the sku attribute" />
          <div className="flex gap-2">
            <button className={btn.primary} disabled={save.isPending} data-testid="product-save">
              {save.isPending ? 'Saving…' : !id && pending.length > 0 ? 'Save and upload images' : 'Save'}
            </button>
            <Link to={base(scope)} className={btn.secondary}>
              Cancel
            </Link>
          </div>
        </form>
      </Card>
      {id && <PriceComparison productId={id} />}
    </div>
  );
}
