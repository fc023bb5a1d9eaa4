import { describe, expect, it } from 'vitest';
import { inferShippingSpeed } from './inferShippingSpeed.ts';

describe('inferShippingSpeed', () => {
  it.each([
    ['Generic Shipping', null, 'unknown'],
    ['Shipping', null, 'unknown'],
    [null, null, 'unknown'],
    ['Standard', null, 'standard'],
    ['Free Shipping', null, 'standard'],
    ['UPS Ground', 'GROUND', 'standard'],
    ['Economy (5-7 business days)', null, 'standard'],
    ['Express', null, 'express'],
    ['Expedited', null, 'express'],
    ['USPS Priority Mail', null, 'express'],
    ['Delivery', 'FEDEX_2_DAY', 'express'],
    ['UPS 2nd Day Air', null, 'express'],
    ['Fast (1-2 days)', null, 'express'],
    ['UPS Next Day Air', null, 'overnight'],
    ['FedEx Standard Overnight', 'STANDARD_OVERNIGHT', 'overnight'],
    ['Same-day courier', null, 'overnight'],
    ['Local Pickup', null, 'pickup'],
    ['Click & Collect', null, 'pickup'],
    ['In-store pick-up', null, 'pickup'],
  ] as const)('%s / %s → %s', (title, code, speed) => {
    expect(inferShippingSpeed(title, code)).toBe(speed);
  });
});
