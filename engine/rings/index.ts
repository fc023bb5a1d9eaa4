export { buildRings, DEFAULT_MAX_SHARED_WITH, DEFAULT_MIN_MEMBERS, isHub, isRing, linkRings, RING_POINTS, ringGraph, ringMemberOf, ringOf, ringsOf, scoreRing, shopReturnRateOf } from './buildRings.ts';
export type { Ring, RingBuild, RingComparison, RingComponents, RingGraph, RingLink, RingMember, RingNeighbourhood, RingOptions } from './buildRings.ts';
export { COMPARISON_SAMPLE, compareRings, ringChanges } from './compareRings.ts';
export type { KnownRing, RingChange, RingChangeKind } from './compareRings.ts';
