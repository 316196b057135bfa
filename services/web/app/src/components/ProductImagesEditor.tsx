import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ACCEPTED_IMAGE_TYPES,
  MAX_IMAGE_BYTES,
  deleteProductImage,
  listProductImages,
  makePrimaryImage,
  reorderProductImages,
  uploadProductImage,
} from '../api/images';
import { isApiError } from '../api/client';
import type { ProductMedia } from '../api/types';
import { ErrorBanner, btn } from './ui';
import { ProductImage } from './ProductCard';

/** The query key of a product's gallery (the editor reads it too: typed URLs are only sent while it is empty). */
export const imagesKey = (productId: string) => ['catalog', 'product-images', productId] as const;

export function useProductImages(productId: string | undefined) {
  return useQuery({ queryKey: imagesKey(productId ?? ''), queryFn: () => listProductImages(productId!), enabled: !!productId });
}

// Files chosen on the "new product" form wait here until the product exists and its edit page takes them.
const handedOver = new Map<string, File[]>();
export function handOverUploads(productId: string, files: File[]): void {
  if (files.length) handedOver.set(productId, files);
}
function takeHandedOver(productId: string): File[] {
  const files = handedOver.get(productId) ?? [];
  handedOver.delete(productId);
  return files;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What the catalog said about a refused file (its message names the reason: too large, not an image, too many pixels). */
function reason(e: unknown): string {
  if (isApiError(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}

/** The drop target and its file-picker fallback; hands the files it gets to {@code onFiles}. */
export function ImageDropZone({ onFiles, disabled = false, hint }: { onFiles: (files: File[]) => void; disabled?: boolean; hint?: string }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  return (
    <div
      data-testid="image-drop-zone"
      data-over={over || undefined}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault(); // without it the browser opens the file instead of dropping it here
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const files = Array.from(e.dataTransfer?.files ?? []);
        if (files.length && !disabled) onFiles(files);
      }}
      className={`mb-3 rounded-md border-2 border-dashed p-4 text-center text-sm ${over ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300 text-slate-600'}`}
    >
      <p>
        Drop JPEG, PNG or WebP images here, or{' '}
        <button type="button" className={btn.link} onClick={() => input.current?.click()} disabled={disabled} data-testid="image-pick">
          choose files
        </button>
      </p>
      <p className="mt-1 text-xs text-slate-500">{hint ?? 'At most 10 MB each; the first becomes the main image.'}</p>
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_IMAGE_TYPES}
        multiple
        hidden
        disabled={disabled}
        data-testid="image-file-input"
        aria-label="Choose image files"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = ''; // the same file may be chosen again after an error
          if (files.length) onFiles(files);
        }}
      />
    </div>
  );
}

interface Upload {
  key: number;
  file: File;
  loaded: number;
  total: number;
  state: 'queued' | 'uploading' | 'failed';
  error?: string;
}

/**
 * A product's images: uploads (drag and drop or the file picker) one at a time with a progress bar per file
 * (XMLHttpRequest's upload progress), the server's reason next to a refused file, and the gallery with
 * reorder (move up/down or drag), "make primary" and delete.
 */
export function ProductImagesEditor({ productId }: { productId: string }) {
  const qc = useQueryClient();
  const gallery = useProductImages(productId);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const queue = useRef<Upload[]>([]);
  const running = useRef(false);
  const nextKey = useRef(1);
  const [dragged, setDragged] = useState<number | null>(null);

  const changed = useCallback(
    (images?: ProductMedia[]) => {
      if (images) qc.setQueryData(imagesKey(productId), images);
      // the product's own answer (images, media) and every list showing it changed too
      qc.invalidateQueries({ queryKey: ['catalog'], predicate: (q) => q.queryKey[1] !== 'product-images' || !images });
    },
    [qc, productId],
  );

  const update = (key: number, patch: Partial<Upload>) => setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...patch } : u)));

  const drain = useCallback(async () => {
    if (running.current) return;
    running.current = true;
    try {
      for (let next = queue.current.shift(); next; next = queue.current.shift()) {
        const key = next.key;
        update(key, { state: 'uploading' });
        try {
          await uploadProductImage(productId, next.file, (p) => update(key, { loaded: p.loaded, total: p.total }));
          setUploads((all) => all.filter((u) => u.key !== key));
          changed();
        } catch (e) {
          update(key, { state: 'failed', error: reason(e) });
        }
      }
    } finally {
      running.current = false;
    }
  }, [productId, changed]);

  const add = useCallback(
    (files: File[]) => {
      const added: Upload[] = [];
      const refused: Upload[] = [];
      for (const file of files) {
        const u: Upload = { key: nextKey.current++, file, loaded: 0, total: file.size, state: 'queued' };
        if (file.size > MAX_IMAGE_BYTES) refused.push({ ...u, state: 'failed', error: `The file is larger than ${MAX_IMAGE_BYTES / (1024 * 1024)} MB` });
        else added.push(u);
      }
      setUploads((all) => [...all, ...refused, ...added]);
      queue.current.push(...added);
      void drain();
    },
    [drain],
  );

  useEffect(() => {
    const files = takeHandedOver(productId);
    if (files.length) add(files);
  }, [productId, add]);

  const reorder = useMutation({ mutationFn: (ids: string[]) => reorderProductImages(productId, ids), onSuccess: changed });
  const primary = useMutation({ mutationFn: (imageId: string) => makePrimaryImage(productId, imageId), onSuccess: changed });
  const remove = useMutation({ mutationFn: (imageId: string) => deleteProductImage(productId, imageId), onSuccess: (r) => changed(r?.images) });
  const busy = reorder.isPending || primary.isPending || remove.isPending;
  const images = gallery.data ?? [];

  const move = (from: number, to: number) => {
    if (to < 0 || to >= images.length || from === to) return;
    const ids = images.map((i) => i.id);
    const [id] = ids.splice(from, 1);
    ids.splice(to, 0, id);
    reorder.mutate(ids);
  };

  return (
    <section className="mb-3" data-testid="product-images">
      <h2 className="mb-1 block text-sm font-medium text-slate-700">Images</h2>
      <ImageDropZone onFiles={add} />
      {uploads.length > 0 && (
        <ul className="mb-3 space-y-2" data-testid="uploads">
          {uploads.map((u) => (
            <li key={u.key} data-testid="upload" data-state={u.state} className="rounded border border-slate-200 p-2 text-sm">
              <div className="flex items-center justify-between gap-2">
                <span className="truncate font-medium">{u.file.name}</span>
                <span className="shrink-0 text-xs text-slate-500">{size(u.file.size)}</span>
              </div>
              {u.state === 'failed' ? (
                <div className="mt-1 flex items-start justify-between gap-2">
                  <p role="alert" className="text-xs text-red-600" data-testid="upload-error">
                    {u.error}
                  </p>
                  <button
                    type="button"
                    className="shrink-0 text-xs text-slate-500 hover:underline"
                    onClick={() => setUploads((all) => all.filter((x) => x.key !== u.key))}
                    data-testid="upload-dismiss"
                  >
                    Dismiss
                  </button>
                </div>
              ) : (
                <Progress loaded={u.loaded} total={u.total} state={u.state} />
              )}
            </li>
          ))}
        </ul>
      )}
      {(reorder.error || primary.error || remove.error) && <ErrorBanner error={reorder.error || primary.error || remove.error} />}
      {gallery.isError && <ErrorBanner error={gallery.error} />}
      {images.length > 0 && (
        <ol className="grid grid-cols-2 gap-2 sm:grid-cols-4" data-testid="gallery">
          {images.map((img, i) => (
            <li
              key={img.id}
              data-testid="gallery-image"
              data-image-id={img.id}
              data-primary={img.primary || undefined}
              draggable={!busy}
              onDragStart={(e) => {
                setDragged(i);
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', img.id);
              }}
              onDragOver={(e) => {
                if (dragged !== null) e.preventDefault();
              }}
              onDrop={(e) => {
                if (dragged === null) return;
                e.preventDefault();
                e.stopPropagation();
                move(dragged, i);
                setDragged(null);
              }}
              onDragEnd={() => setDragged(null)}
              className={`rounded border p-1 text-xs ${img.primary ? 'border-indigo-500' : 'border-slate-200'}`}
            >
              <ProductImage image={img} variant="thumb" sizes="120px" alt={`Image ${i + 1}`} className="aspect-square w-full rounded" />
              <div className="mt-1 flex flex-wrap items-center gap-x-2 gap-y-1">
                {img.primary ? (
                  <span className="font-semibold text-indigo-700" data-testid="image-primary-badge">
                    Main image
                  </span>
                ) : (
                  <button type="button" className={btn.link} disabled={busy} onClick={() => primary.mutate(img.id)} data-testid="image-make-primary">
                    Make main
                  </button>
                )}
                <button type="button" className={btn.link} disabled={busy || i === 0} onClick={() => move(i, i - 1)} aria-label={`Move image ${i + 1} earlier`} data-testid="image-up">
                  ↑
                </button>
                <button
                  type="button"
                  className={btn.link}
                  disabled={busy || i === images.length - 1}
                  onClick={() => move(i, i + 1)}
                  aria-label={`Move image ${i + 1} later`}
                  data-testid="image-down"
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="text-red-600 hover:underline"
                  disabled={busy}
                  onClick={() => window.confirm('Delete this image?') && remove.mutate(img.id)}
                  data-testid="image-delete"
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Progress({ loaded, total, state }: { loaded: number; total: number; state: Upload['state'] }) {
  const pct = total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 0;
  const label = state === 'queued' ? 'Waiting…' : pct >= 100 ? 'Processing…' : `${pct}%`;
  return (
    <div className="mt-1 flex items-center gap-2">
      <div
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        data-testid="upload-progress"
        className="h-2 flex-1 overflow-hidden rounded bg-slate-200"
      >
        <div className="h-full bg-indigo-600 transition-[width]" style={{ width: `${pct}%` }} />
      </div>
      <span className="w-20 shrink-0 text-right text-xs text-slate-500" data-testid="upload-percent">
        {label}
      </span>
    </div>
  );
}
