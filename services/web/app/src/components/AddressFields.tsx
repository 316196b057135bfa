import type { Address } from '../api/types';
import type { AddressForm, Errors } from '../lib/validation';
import { TextField } from './ui';

export const emptyAddress: AddressForm = {
  fullName: '',
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country: 'US',
  phone: '',
  isDefault: false,
};

export function addressToForm(a: Partial<Address>): AddressForm {
  return {
    fullName: a.fullName ?? '',
    line1: a.line1 ?? '',
    line2: a.line2 ?? '',
    city: a.city ?? '',
    region: a.region ?? '',
    postalCode: a.postalCode ?? '',
    country: a.country ?? 'US',
    phone: a.phone ?? '',
    isDefault: !!a.isDefault,
  };
}

export function formToAddress(f: AddressForm) {
  return {
    fullName: f.fullName.trim(),
    line1: f.line1.trim(),
    line2: f.line2.trim() || null,
    city: f.city.trim(),
    region: f.region.trim() || null,
    postalCode: f.postalCode.trim(),
    country: f.country.trim().toUpperCase(),
    phone: f.phone.trim() || null,
    isDefault: f.isDefault,
  };
}

export function formatAddress(a: Partial<Address> | null | undefined): string {
  if (!a) return '';
  return [a.fullName, a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), a.region, a.country].filter(Boolean).join(', ');
}

export function AddressFields({
  value,
  onChange,
  errors,
  showDefault = true,
}: {
  value: AddressForm;
  onChange: (v: AddressForm) => void;
  errors: Errors;
  showDefault?: boolean;
}) {
  const set = (k: keyof AddressForm) => (e: React.ChangeEvent<HTMLInputElement>) =>
    onChange({ ...value, [k]: k === 'isDefault' ? e.target.checked : e.target.value });
  return (
    <div className="grid grid-cols-1 gap-x-4 sm:grid-cols-2">
      <div className="sm:col-span-2">
        <TextField label="Full name" name="fullName" value={value.fullName} onChange={set('fullName')} error={errors.fullName} autoComplete="name" />
      </div>
      <div className="sm:col-span-2">
        <TextField label="Address line 1" name="line1" value={value.line1} onChange={set('line1')} error={errors.line1} autoComplete="address-line1" />
      </div>
      <div className="sm:col-span-2">
        <TextField label="Address line 2 (optional)" name="line2" value={value.line2} onChange={set('line2')} error={errors.line2} autoComplete="address-line2" />
      </div>
      <TextField label="City" name="city" value={value.city} onChange={set('city')} error={errors.city} autoComplete="address-level2" />
      <TextField label="Region / state (optional)" name="region" value={value.region} onChange={set('region')} error={errors.region} autoComplete="address-level1" />
      <TextField label="Postal code" name="postalCode" value={value.postalCode} onChange={set('postalCode')} error={errors.postalCode} autoComplete="postal-code" />
      <TextField label="Country (2-letter code)" name="country" value={value.country} onChange={set('country')} error={errors.country} maxLength={2} autoComplete="country" />
      <TextField label="Phone (optional)" name="phone" type="tel" value={value.phone} onChange={set('phone')} error={errors.phone} autoComplete="tel" />
      {showDefault && (
        <label className="mb-3 flex items-center gap-2 self-end text-sm">
          <input type="checkbox" checked={value.isDefault} onChange={set('isDefault')} data-testid="input-isDefault" />
          Default address
        </label>
      )}
    </div>
  );
}
