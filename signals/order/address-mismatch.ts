import { defineSignal } from '../../sdk/index.ts';
import type { AddressSummary, SignalOutcome } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  maxDistanceKm: number;
}

const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km between two addresses with coordinates, else undefined. */
function distanceKm(a: AddressSummary, b: AddressSummary): number | undefined {
  if (a.latitude === undefined || a.longitude === undefined || b.latitude === undefined || b.longitude === undefined) {
    return undefined;
  }
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** true/false when both values are known (case-insensitive), undefined when either is missing. */
function differs(a: string | undefined, b: string | undefined): boolean | undefined {
  if (!a || !b) return undefined;
  return a.trim().toUpperCase() !== b.trim().toUpperCase();
}

/** Postcode prefixes differ, compared on the length both have. */
function postcodeDiffers(a: string | undefined, b: string | undefined): boolean | undefined {
  if (!a || !b) return undefined;
  const length = Math.min(a.trim().length, b.trim().length);
  return differs(a.trim().slice(0, length), b.trim().slice(0, length));
}

/** Billing and shipping addresses far apart: a stolen card shipped to the fraudster. */
export default defineSignal<Params>({
  meta: {
    id: 'order.address-mismatch',
    version: '1.0.0',
    title: 'Billing and shipping addresses differ',
    description:
      'The billing address (where the card is registered) and the shipping address are in different countries, regions or postcode areas, or far apart. Stolen cards are usually shipped away from the cardholder; gifts explain some mismatches, so this is moderate evidence.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        maxDistanceKm: {
          type: 'number',
          minimum: 1,
          maximum: 20000,
          default: 200,
          description: 'Distance between the two addresses (when both have coordinates) that counts as far; full strength at 10 times this.',
        },
      },
    },
    needs: ['subject'],
    messages: {
      mismatch: 'Billing and shipping differ: {{differences}}.',
      match: 'Billing and shipping addresses agree.',
      missing: 'The order lacks a billing or shipping address to compare.',
    },
  },
  evaluate(ctx, params): SignalOutcome {
    const { shippingAddress: ship, billingAddress: bill } = ctx.subject.order;
    if (!ship || !bill) {
      return { status: 'insufficient_data', messageId: 'missing', evidence: { shipping: !!ship, billing: !!bill } };
    }
    if (ship.hash !== undefined && ship.hash === bill.hash) {
      return { status: 'no_hit', messageId: 'match', evidence: { sameAddress: true } };
    }
    const country = differs(ship.countryCode, bill.countryCode);
    const province = differs(ship.provinceCode, bill.provinceCode);
    const postcode = postcodeDiffers(ship.postcodePrefix, bill.postcodePrefix);
    const km = distanceKm(ship, bill);
    if (country === undefined && province === undefined && postcode === undefined && km === undefined) {
      return { status: 'insufficient_data', messageId: 'missing', evidence: { shipping: true, billing: true } };
    }
    const far = km !== undefined && km > params.maxDistanceKm;
    const evidence = {
      countryDiffers: country === true,
      provinceDiffers: province === true,
      postcodeDiffers: postcode === true,
      distanceKm: km === undefined ? null : Math.round(km),
    };
    // The strongest difference counts: another country 1, far apart 0.4-1, another region 0.5, another postcode area 0.25.
    const strength = Math.max(
      country ? 1 : 0,
      far ? ramp(km, params.maxDistanceKm, 10 * params.maxDistanceKm, 0.4) : 0,
      province ? 0.5 : 0,
      postcode ? 0.25 : 0,
    );
    if (strength === 0) return { status: 'no_hit', messageId: 'match', evidence };
    const differences = [
      country ? 'country' : '',
      province ? 'region' : '',
      postcode ? 'postcode area' : '',
      far ? `${evidence.distanceKm} km apart` : '',
    ].filter(Boolean);
    return { status: 'hit', strength, messageId: 'mismatch', evidence, data: { differences: differences.join(', ') } };
  },
});
