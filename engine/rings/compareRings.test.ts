import { describe, expect, it } from 'vitest';
import type { Ring } from './buildRings.ts';
import { compareRings, ringChanges, type KnownRing } from './compareRings.ts';

const ring = (key: string, members: string[], score = 50): Ring => ({
  key,
  score,
  members: members.map((m) => ({ key: m, customerId: m, orders: 1, returnedOrders: 0, chargebacks: 0, fraudLabels: 0, firstOrderAt: '', lastOrderAt: '' })),
  components: {} as Ring['components'],
  links: [],
  identifiers: [],
  firstOrderAt: '',
  lastOrderAt: '',
});
const known = (key: string, members: string[], score = 50): KnownRing => ({ key, members, score });

describe('compareRings', () => {
  it('finds nothing between the same rings, and says when only a score moved', () => {
    const before = [known('a', ['a', 'b']), known('c', ['c', 'd', 'e'])];
    expect(compareRings(before, [ring('a', ['a', 'b']), ring('c', ['c', 'd', 'e'])])).toMatchObject({ ringsNew: 0, ringsChanged: 0, ringsGone: 0, membersNew: 0, membersGone: 0, rescored: 0 });
    expect(compareRings(before, [ring('a', ['a', 'b'], 60), ring('c', ['c', 'd', 'e'])])).toMatchObject({ ringsChanged: 0, rescored: 1 });
  });

  it('counts new, changed and gone rings and members, with a sample of keys', () => {
    const before = [known('a', ['a', 'b']), known('c', ['c', 'd']), known('x', ['x', 'y'])];
    const after = [ring('a', ['a', 'b', 'c', 'd']), ring('n', ['n', 'm']), ring('x', ['x', 'z'])];
    expect(compareRings(before, after)).toEqual({
      ringsNew: 1, ringsChanged: 2, ringsGone: 0, membersNew: 3, membersGone: 1, rescored: 0,
      sample: { ringsNew: ['n'], ringsChanged: ['a', 'x'], ringsGone: [], membersNew: ['n', 'm', 'z'], membersGone: ['y'] },
    });
    expect(compareRings([known('g', ['g', 'h'])], [])).toMatchObject({ ringsGone: 1, membersGone: 2, sample: { ringsGone: ['g'] } });
  });
});

describe('ringChanges', () => {
  it('tells formed, grew (a member joined, rings merged), updated, shrank and gone apart', () => {
    const before = [known('a', ['a', 'b']), known('c', ['c', 'd']), known('e', ['e', 'f', 'g']), known('h', ['h', 'i']), known('k', ['k', 'l'])];
    const after = [ring('a', ['a', 'b', 'c', 'd']), ring('n', ['n', 'm']), ring('e', ['e', 'f']), ring('h', ['h', 'i'], 70), ring('k', ['k', 'l', 'o'])];
    const changes = Object.fromEntries(ringChanges(before, after).map((c) => [c.key, { change: c.change, joined: c.joined, replaces: c.replaces.map((r) => r.key) }]));
    expect(changes).toEqual({
      a: { change: 'grew', joined: ['c', 'd'], replaces: ['a', 'c'] },
      n: { change: 'formed', joined: ['n', 'm'], replaces: [] },
      e: { change: 'shrank', joined: [], replaces: ['e'] },
      h: { change: 'updated', joined: [], replaces: ['h'] },
      k: { change: 'grew', joined: ['o'], replaces: ['k'] },
    });
    expect(ringChanges([known('g', ['g', 'h'])], []).map((c) => c.change)).toEqual(['gone']);
  });
});
