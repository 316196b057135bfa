import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createCategory, listCategories } from '../../api/endpoints';
import { Card, Empty, ErrorBanner, Notice, PageTitle, SelectField, Spinner, TextField, btn } from '../../components/ui';
import { slugify, validateCategory, type Errors } from '../../lib/validation';
import { serverFieldErrors } from '../../lib/errors';

export function Categories() {
  const qc = useQueryClient();
  const cats = useQuery({ queryKey: ['catalog', 'categories'], queryFn: listCategories });
  const [v, setV] = useState({ name: '', slug: '', parentId: '', description: '' });
  const [slugTouched, setSlugTouched] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation({
    mutationFn: () =>
      createCategory({ name: v.name.trim(), slug: v.slug.trim(), parentId: v.parentId || null, description: v.description.trim() || undefined }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['catalog', 'categories'] });
      setV({ name: '', slug: '', parentId: '', description: '' });
      setSlugTouched(false);
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateCategory(v);
    setErrors(errs);
    if (!Object.keys(errs).length) create.mutate();
  };
  const byId = new Map((cats.data ?? []).map((c) => [c.id, c]));

  return (
    <div>
      <PageTitle>Categories</PageTitle>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[1fr_360px]">
        <div>
          {cats.isPending ? (
            <Spinner />
          ) : cats.isError ? (
            <ErrorBanner error={cats.error} />
          ) : cats.data.length === 0 ? (
            <Empty title="No categories yet." />
          ) : (
            <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="category-list">
              {cats.data.map((c) => (
                <li key={c.id} className="flex flex-wrap justify-between gap-2 px-4 py-3 text-sm" data-testid="category-row">
                  <span className="font-medium">
                    {c.parentId && byId.get(c.parentId) ? `${byId.get(c.parentId)!.name} › ` : ''}
                    {c.name}
                  </span>
                  <code className="text-xs text-slate-500">{c.slug}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
        <Card className="h-fit">
          <h2 className="mb-3 font-semibold">New category</h2>
          {create.isError && <ErrorBanner error={create.error} />}
          {create.isSuccess && <Notice testId="category-created">Category created.</Notice>}
          <form onSubmit={submit} noValidate data-testid="category-form">
            <TextField
              label="Name"
              name="name"
              value={v.name}
              onChange={(e) => setV({ ...v, name: e.target.value, slug: slugTouched ? v.slug : slugify(e.target.value) })}
              error={errors.name}
            />
            <TextField
              label="Slug"
              name="slug"
              value={v.slug}
              onChange={(e) => {
                setSlugTouched(true);
                setV({ ...v, slug: e.target.value });
              }}
              error={errors.slug}
            />
            <SelectField label="Parent" name="parentId" value={v.parentId} onChange={(e) => setV({ ...v, parentId: e.target.value })} error={errors.parentId}>
              <option value="">— top level —</option>
              {(cats.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </SelectField>
            <TextField label="Description" name="description" value={v.description} onChange={(e) => setV({ ...v, description: e.target.value })} error={errors.description} />
            <button className={btn.primary} disabled={create.isPending} data-testid="category-save">
              {create.isPending ? 'Creating…' : 'Create category'}
            </button>
          </form>
        </Card>
      </div>
    </div>
  );
}
