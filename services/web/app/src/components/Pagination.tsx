import type { Pagination as P } from '../api/types';
import { btn } from './ui';

export function Pagination({ pagination, onPage }: { pagination?: P; onPage: (p: number) => void }) {
  if (!pagination) return null;
  const pages = Math.max(1, Math.ceil(pagination.total / Math.max(1, pagination.limit)));
  if (pages <= 1) return null;
  const page = pagination.page;
  return (
    <nav className="mt-6 flex items-center justify-center gap-3" aria-label="Pagination" data-testid="pagination">
      <button type="button" className={btn.secondary} disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="page-prev">
        Previous
      </button>
      <span className="text-sm text-slate-600" data-testid="page-info">
        Page {page} of {pages}
      </span>
      <button type="button" className={btn.secondary} disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="page-next">
        Next
      </button>
    </nav>
  );
}
