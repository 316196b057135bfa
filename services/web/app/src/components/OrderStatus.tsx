import type { OrderStatus, StatusChange } from '../api/types';
import { dateTime, titleCase } from '../lib/format';

const colors: Record<string, string> = {
  PENDING: 'bg-amber-100 text-amber-800',
  CONFIRMED: 'bg-blue-100 text-blue-800',
  SHIPPED: 'bg-indigo-100 text-indigo-800',
  DELIVERED: 'bg-emerald-100 text-emerald-800',
  CANCELLED: 'bg-slate-200 text-slate-700',
};

export function StatusBadge({ status }: { status: OrderStatus | string }) {
  return (
    <span data-testid="order-status" data-status={status} className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-semibold ${colors[status] ?? 'bg-slate-100'}`}>
      {titleCase(status)}
    </span>
  );
}

const FLOW: OrderStatus[] = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED'];

/** The order's history, plus the steps still ahead (greyed) unless it was cancelled. */
export function StatusTimeline({ status, history = [] }: { status: OrderStatus; history?: StatusChange[] }) {
  const sorted = [...history].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const seen = new Set(sorted.map((h) => h.status));
  const ahead = status === 'CANCELLED' ? [] : FLOW.slice(FLOW.indexOf(status) + 1).filter((s) => !seen.has(s));
  return (
    <ol className="relative ml-2 border-l border-slate-200" data-testid="status-timeline">
      {sorted.map((h, i) => (
        <li key={`${h.status}-${i}`} className="mb-4 ml-4" data-testid="timeline-entry" data-status={h.status}>
          <span className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border border-white bg-indigo-600" aria-hidden />
          <p className="text-sm font-semibold">{titleCase(h.status)}</p>
          <time className="text-xs text-slate-500">{dateTime(h.at)}</time>
          {h.note && <p className="text-xs text-slate-600">{h.note}</p>}
        </li>
      ))}
      {ahead.map((s) => (
        <li key={s} className="mb-4 ml-4 text-slate-400" data-testid="timeline-pending" data-status={s}>
          <span className="absolute -left-1.5 mt-1.5 h-3 w-3 rounded-full border border-white bg-slate-300" aria-hidden />
          <p className="text-sm">{titleCase(s)}</p>
        </li>
      ))}
    </ol>
  );
}
