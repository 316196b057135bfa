import { isApiError } from '../api/client';
import { newId } from './format';

/**
 * The Idempotency-Key of one checkout attempt. The same key is reused when the attempt's outcome is
 * unknown (network failure, 5xx, still in progress) so that a retry can never charge twice; a
 * definite answer (success, declined card, out of stock, validation) or a change to the order's
 * inputs starts a new attempt with a new key.
 */
export class CheckoutAttempt {
  private key: string | null = null;
  constructor(private readonly gen: () => string = newId) {}

  current(): string {
    if (!this.key) this.key = this.gen();
    return this.key;
  }

  peek(): string | null {
    return this.key;
  }

  /** The inputs changed: the next submit is a new attempt. */
  reset(): void {
    this.key = null;
  }

  /** Call with the error of a failed request (or nothing on success). */
  settle(error?: unknown): void {
    if (error === undefined || error === null) {
      this.key = null;
      return;
    }
    const status = isApiError(error) ? error.status : 0;
    const unknownOutcome = status === 0 || status >= 500 || status === 429 || status === 408;
    if (!unknownOutcome) this.key = null;
  }
}
