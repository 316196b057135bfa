import { describe, expect, it } from 'vitest';
import { CheckoutAttempt } from './attempt';
import { ApiError } from '../api/client';
import { serverFieldErrors } from './errors';

describe('CheckoutAttempt', () => {
  let n = 0;
  const gen = () => `k${++n}`;

  it('keeps one key per attempt and retries an unknown outcome with the same key', () => {
    const a = new CheckoutAttempt(gen);
    const k = a.current();
    expect(a.current()).toBe(k);
    a.settle(new ApiError(0, 'NETWORK', 'offline'));
    expect(a.current()).toBe(k);
    a.settle(new ApiError(503, 'DEPENDENCY_UNAVAILABLE', 'down'));
    expect(a.current()).toBe(k);
  });

  it('starts a new attempt after a definite answer or a change of inputs', () => {
    const a = new CheckoutAttempt(gen);
    const k1 = a.current();
    a.settle(new ApiError(402, 'PAYMENT_FAILED', 'declined'));
    const k2 = a.current();
    expect(k2).not.toBe(k1);
    a.reset();
    const k3 = a.current();
    expect(k3).not.toBe(k2);
    a.settle();
    expect(a.peek()).toBeNull();
  });
});

describe('serverFieldErrors', () => {
  it('files nested fields under their last segment too', () => {
    const e = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
      { field: 'shippingAddress.city', message: 'required' },
      { field: 'items[0].quantity', message: 'too many' },
    ]);
    expect(serverFieldErrors(e, 'shippingAddress')).toMatchObject({ city: 'required', quantity: 'too many' });
    expect(serverFieldErrors(new Error('x'))).toEqual({});
  });
});
