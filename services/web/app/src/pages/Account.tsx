import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createAddress, deleteAddress, getProfile, listAddresses, updateAddress, updateProfile } from '../api/endpoints';
import type { Address } from '../api/types';
import { AddressFields, addressToForm, emptyAddress, formatAddress, formToAddress } from '../components/AddressFields';
import { Card, Empty, ErrorBanner, Notice, PageTitle, Spinner, TextField, btn } from '../components/ui';
import { PHONE_RE, validateAddress, validateName, type AddressForm, type Errors } from '../lib/validation';
import { serverFieldErrors } from '../lib/errors';

function ProfileCard() {
  const qc = useQueryClient();
  const profile = useQuery({ queryKey: ['profile'], queryFn: getProfile });
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  useEffect(() => {
    if (profile.data) {
      setName(profile.data.name ?? '');
      setPhone(profile.data.phone ?? '');
    }
  }, [profile.data]);
  const save = useMutation({
    mutationFn: () => updateProfile({ name: name.trim(), phone: phone.trim() || null, preferences: profile.data?.preferences ?? {} }),
    onSuccess: (p) => qc.setQueryData(['profile'], p),
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Errors = {};
    const n = validateName(name);
    if (n) errs.name = n;
    if (phone.trim() && !PHONE_RE.test(phone.trim())) errs.phone = 'Enter a valid phone number';
    setErrors(errs);
    if (!Object.keys(errs).length) save.mutate();
  };
  return (
    <Card>
      <h2 className="mb-3 font-semibold">Profile</h2>
      {profile.isPending ? (
        <Spinner />
      ) : profile.isError ? (
        <ErrorBanner error={profile.error} />
      ) : (
        <form onSubmit={submit} noValidate data-testid="profile-form">
          {save.isError && <ErrorBanner error={save.error} />}
          {save.isSuccess && <Notice testId="profile-saved">Profile saved.</Notice>}
          <p className="mb-3 text-sm text-slate-600">
            Email: <span data-testid="profile-email">{profile.data.email}</span>
          </p>
          <TextField label="Name" name="name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
          <TextField label="Phone" name="phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} error={errors.phone} />
          <button className={btn.primary} disabled={save.isPending} data-testid="profile-save">
            {save.isPending ? 'Saving…' : 'Save profile'}
          </button>
        </form>
      )}
    </Card>
  );
}

function AddressEditor({ initial, onDone }: { initial: Address | null; onDone: () => void }) {
  const qc = useQueryClient();
  const [form, setForm] = useState<AddressForm>(initial ? addressToForm(initial) : emptyAddress);
  const [errors, setErrors] = useState<Errors>({});
  const save = useMutation({
    mutationFn: () => (initial ? updateAddress(initial.id, formToAddress(form)) : createAddress(formToAddress(form))),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: ['addresses'] });
      onDone();
    },
    onError: (e) => setErrors(serverFieldErrors(e)),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateAddress(form);
    setErrors(errs);
    if (!Object.keys(errs).length) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate className="mt-4 rounded-md border border-slate-200 p-4" data-testid="address-form">
      {save.isError && <ErrorBanner error={save.error} />}
      <AddressFields value={form} onChange={setForm} errors={errors} />
      <div className="flex gap-2">
        <button className={btn.primary} disabled={save.isPending} data-testid="address-save">
          {save.isPending ? 'Saving…' : 'Save address'}
        </button>
        <button type="button" className={btn.secondary} onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function AddressesCard() {
  const qc = useQueryClient();
  const addresses = useQuery({ queryKey: ['addresses'], queryFn: listAddresses });
  const [editing, setEditing] = useState<Address | 'new' | null>(null);
  const del = useMutation({ mutationFn: (id: string) => deleteAddress(id), onSuccess: () => qc.invalidateQueries({ queryKey: ['addresses'] }) });
  return (
    <Card>
      <div className="mb-3 flex items-center justify-between">
        <h2 className="font-semibold">Addresses</h2>
        {!editing && (
          <button type="button" className={btn.secondary} onClick={() => setEditing('new')} data-testid="address-add">
            Add address
          </button>
        )}
      </div>
      {del.isError && <ErrorBanner error={del.error} />}
      {addresses.isPending ? (
        <Spinner />
      ) : addresses.isError ? (
        <ErrorBanner error={addresses.error} />
      ) : addresses.data.length === 0 && !editing ? (
        <Empty title="No saved addresses." testId="addresses-empty" />
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="address-list">
          {addresses.data.map((a) => (
            <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 py-3 text-sm" data-testid="address-row">
              <span>
                {formatAddress(a)}
                {a.isDefault && <span className="ml-2 rounded bg-indigo-100 px-1.5 py-0.5 text-xs text-indigo-700">Default</span>}
              </span>
              <span className="flex gap-3">
                <button type="button" className={btn.link} onClick={() => setEditing(a)} data-testid="address-edit">
                  Edit
                </button>
                <button
                  type="button"
                  className="text-red-600 hover:underline"
                  disabled={del.isPending}
                  onClick={() => window.confirm('Delete this address?') && del.mutate(a.id)}
                  data-testid="address-delete"
                >
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {editing && <AddressEditor key={editing === 'new' ? 'new' : editing.id} initial={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
    </Card>
  );
}

export function AccountPage() {
  return (
    <div>
      <PageTitle>Your account</PageTitle>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <ProfileCard />
        <AddressesCard />
      </div>
    </div>
  );
}
