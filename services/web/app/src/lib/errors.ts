import { isApiError } from '../api/client';
import type { Errors } from './validation';

/**
 * Field messages from an API error, keyed by the field name the form uses. A detail for
 * "shippingAddress.city" or "items[0].quantity" is also filed under its last segment ("city", "quantity").
 */
export function serverFieldErrors(error: unknown, prefix?: string): Errors {
  if (!isApiError(error)) return {};
  const out: Errors = {};
  for (const d of error.details) {
    if (!d?.field) continue;
    let f = d.field;
    if (prefix && f.startsWith(prefix + '.')) f = f.slice(prefix.length + 1);
    if (!(f in out)) out[f] = d.message;
    const last = f.split('.').pop()!.replace(/\[\d+\]$/, '');
    if (!(last in out)) out[last] = d.message;
  }
  return out;
}
