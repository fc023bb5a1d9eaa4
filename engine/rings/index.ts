export { buildRings, RING_POINTS } from './buildRings.ts';
export type { Ring, RingBuild, RingComponents, RingLink, RingMember, RingOptions } from './buildRings.ts';
