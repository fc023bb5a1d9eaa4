import { defineSignal, identityOf, IDENTITY_RECENT_LIMIT, type IdentifierKind } from '../../sdk/index.ts';
import { ramp } from '../support.ts';

interface Params {
  perHour: number;
  perDay: number;
  maxSharedWith: number;
  kinds: IdentifierKind[];
}

const KINDS: IdentifierKind[] = ['payment', 'device', 'email', 'phone', 'address', 'ip'];

/**
 * Many orders carrying one of this order's identifiers (card, device, email, phone, address, IP)
 * in the hour or the day before it, whoever placed them: card testing and bot checkouts come in
 * bursts. An identifier used by more than `maxSharedWith` others (an office network, a popular
 * browser) is busy by nature and is not judged. Point-in-time (`ctx.derived.identity`).
 */
export default defineSignal<Params>({
  meta: {
    id: 'order.identifier-velocity',
    version: '1.0.0',
    title: 'Burst of orders on one identifier',
    description:
      "Several orders carried this order's card, device, email, phone, address or IP (keyed hashes) in the hour or the day before it, whoever placed them: card testing and bot checkouts come in bursts. Identifiers used by many others (an office network, a popular browser) are busy by nature and are not judged.",
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        perHour: {
          type: 'integer',
          minimum: 1,
          maximum: IDENTITY_RECENT_LIMIT - 1,
          default: 3,
          description: 'Earlier orders on one identifier within the hour that make a burst (full strength at twice as many).',
        },
        perDay: {
          type: 'integer',
          minimum: 1,
          maximum: IDENTITY_RECENT_LIMIT - 1,
          default: 6,
          description: 'Earlier orders on one identifier within 24 hours that make a burst (full strength at twice as many); a day counts 0.8 of an hour.',
        },
        maxSharedWith: {
          type: 'integer',
          minimum: 1,
          maximum: 50,
          default: 10,
          description: 'An identifier used by more others than this is busy by nature (an office network, a popular browser) and is not judged.',
        },
        kinds: {
          type: 'array',
          items: { enum: KINDS },
          uniqueItems: true,
          default: KINDS,
          description: 'The identifier kinds judged.',
        },
      },
    },
    needs: ['derived'],
    messages: {
      burst: '{{lastHour}} earlier order(s) in the hour and {{lastDay}} in the day carried this {{kind}}.',
      calm: 'No burst: at most {{maxHour}} earlier order(s) in the hour and {{maxDay}} in the day on one identifier.',
      noIdentifiers: 'The order carries no identifier hashes of the kinds judged.',
      noFacts: 'The context carries no identity facts.',
    },
  },
  evaluate(ctx, params) {
    const identity = identityOf(ctx);
    if (!identity) return { status: 'insufficient_data', messageId: 'noFacts' };
    const kinds = new Set(params.kinds);
    const judged = identity.identifiers.filter((id) => kinds.has(id.kind));
    if (judged.length === 0) return { status: 'insufficient_data', messageId: 'noIdentifiers' };
    let best: { kind: IdentifierKind; lastHour: number; lastDay: number; strength: number } | undefined;
    let maxHour = 0;
    let maxDay = 0;
    const busy: IdentifierKind[] = [];
    for (const id of judged) {
      if (id.sharedWith > params.maxSharedWith) {
        busy.push(id.kind);
        continue;
      }
      maxHour = Math.max(maxHour, id.lastHour);
      maxDay = Math.max(maxDay, id.lastDay);
      const hour = id.lastHour >= params.perHour ? ramp(id.lastHour, params.perHour, 2 * params.perHour) : 0;
      const day = id.lastDay >= params.perDay ? 0.8 * ramp(id.lastDay, params.perDay, 2 * params.perDay) : 0;
      const strength = Math.max(hour, day);
      if (strength > 0 && (!best || strength > best.strength)) best = { kind: id.kind, lastHour: id.lastHour, lastDay: id.lastDay, strength };
    }
    const evidence = { maxHour, maxDay, perHour: params.perHour, perDay: params.perDay, busyIgnored: busy };
    if (!best) return { status: 'no_hit', messageId: 'calm', evidence };
    return {
      status: 'hit',
      strength: Math.round(best.strength * 100) / 100,
      messageId: 'burst',
      evidence: { ...evidence, kind: best.kind, lastHour: best.lastHour, lastDay: best.lastDay },
    };
  },
});
