import type { AddressSummary, IdentifierHash } from '../../../sdk/index.ts';
import { keyedHash } from '../../normalize/identityFacts.ts';
import { compact } from './compact.ts';
import type { AddressPayload } from './orderPayload.ts';

function clean(part: string | null | undefined): string {
  return (part ?? '').normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/**
 * Keyed hash of the full address, normalized so formatting noise does not split one address
 * into several (case, punctuation, spacing; postcode without spaces). Street abbreviations
 * ("St." vs "Street") are not unified. Names, company and phone are not part of an address.
 */
export function addressHash(shopKey: string, address: AddressPayload): IdentifierHash | undefined {
  const street = [clean(address.address1), clean(address.address2)].filter(Boolean).join(' ');
  if (!street) return undefined;
  const parts = [
    street,
    clean(address.city),
    clean(address.zip).replaceAll(' ', ''),
    clean(address.province_code ?? address.province),
    clean(address.country_code ?? address.country),
  ];
  return keyedHash(shopKey, 'address', parts.join('|'));
}

/** A coordinate rounded to 0.1°; undefined when it is none or outside ±`limit` (90° latitude, 180° longitude). */
function coordinate(value: number | string | null | undefined, limit: number): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && Math.abs(n) <= limit ? Math.round(n * 10) / 10 : undefined;
}

function upper(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim().toUpperCase();
  return trimmed || undefined;
}

/**
 * What we keep of an address: region codes, the first 3 postcode characters, coordinates to
 * ~11 km, and the keyed hash. Street, city, names and phone are dropped.
 */
export function summarizeAddress(shopKey: string, address: AddressPayload | null | undefined): AddressSummary | undefined {
  if (!address) return undefined;
  return compact<AddressSummary>({
    countryCode: upper(address.country_code),
    provinceCode: upper(address.province_code),
    postcodePrefix: upper(address.zip?.replace(/\s+/g, '').slice(0, 3)),
    latitude: coordinate(address.latitude, 90),
    longitude: coordinate(address.longitude, 180),
    hash: addressHash(shopKey, address),
  });
}
