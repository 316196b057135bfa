import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { isApiError } from '../api/client';

export function Spinner({ label = 'Loading…' }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" data-testid="loading" className="flex items-center gap-2 py-8 justify-center text-slate-500">
      <span className="h-5 w-5 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" aria-hidden />
      <span>{label}</span>
    </div>
  );
}

export function Empty({ title, children, testId = 'empty' }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId} className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600">
      <p className="font-medium">{title}</p>
      {children && <div className="mt-2 text-sm">{children}</div>}
    </div>
  );
}

/** Shows the server's error.message (or a network message) at the top of a form or page. */
export function ErrorBanner({ error, testId = 'error-banner' }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const msg = isApiError(error) ? error.message : error instanceof Error ? error.message : String(error);
  const requestId = isApiError(error) ? error.requestId : undefined;
  return (
    <div role="alert" data-testid={testId} className="mb-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      <span data-testid={`${testId}-message`}>{msg}</span>
      {requestId && <span className="ml-2 text-xs text-red-500">(ref {requestId})</span>}
    </div>
  );
}

export function Notice({ children, testId = 'notice' }: { children: ReactNode; testId?: string }) {
  return (
    <div role="status" data-testid={testId} className="mb-4 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-800">
      {children}
    </div>
  );
}

const inputCls =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 aria-[invalid=true]:border-red-500';

interface FieldProps {
  label: string;
  name: string;
  error?: string;
  hint?: string;
}

function FieldWrap({ label, name, error, hint, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className="mb-3">
      <label htmlFor={`f-${name}`} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      {error && (
        <p id={`f-${name}-error`} data-testid={`${name}-error`} className="mt-1 text-xs text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextField({ label, name, error, hint, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <FieldWrap label={label} name={name} error={error} hint={hint}>
      <input
        id={`f-${name}`}
        name={name}
        data-testid={`input-${name}`}
        aria-invalid={!!error}
        aria-describedby={error ? `f-${name}-error` : undefined}
        className={inputCls}
        {...rest}
      />
    </FieldWrap>
  );
}

export function TextArea({ label, name, error, hint, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <FieldWrap label={label} name={name} error={error} hint={hint}>
      <textarea
        id={`f-${name}`}
        name={name}
        data-testid={`input-${name}`}
        aria-invalid={!!error}
        className={inputCls}
        rows={4}
        {...rest}
      />
    </FieldWrap>
  );
}

export function SelectField({
  label,
  name,
  error,
  hint,
  children,
  ...rest
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  return (
    <FieldWrap label={label} name={name} error={error} hint={hint}>
      <select id={`f-${name}`} name={name} data-testid={`input-${name}`} aria-invalid={!!error} className={inputCls} {...rest}>
        {children}
      </select>
    </FieldWrap>
  );
}

export const btn = {
  primary:
    'inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 disabled:cursor-not-allowed disabled:opacity-50',
  secondary:
    'inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-50',
  danger:
    'inline-flex items-center justify-center rounded-md bg-red-600 px-3 py-2 text-sm font-semibold text-white hover:bg-red-500 disabled:cursor-not-allowed disabled:opacity-50',
  link: 'text-indigo-600 hover:text-indigo-500 underline-offset-2 hover:underline',
};

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold tracking-tight text-slate-900">{children}</h1>
      {actions}
    </div>
  );
}

export function Card({ children, className = '' }: { children: ReactNode; className?: string }) {
  return <div className={`rounded-lg border border-slate-200 bg-white p-4 shadow-sm ${className}`}>{children}</div>;
}
