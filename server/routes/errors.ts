import Boom from '@hapi/boom';
import type { Plugin } from '@hapi/hapi';
import { RulesetValidationError } from '../../engine/index.ts';
import { RulesetConflictError } from '../store/index.ts';
import { Refused } from '../services/Refused.ts';

/**
 * The one place that turns domain errors into HTTP answers (like the RealWorld app's error
 * extension); no route maps an error itself:
 *
 * | thrown | answer |
 * |---|---|
 * | `RulesetValidationError` (engine: a ruleset that does not validate or compile) | 422, `problems` with JSON pointers |
 * | `RulesetConflictError` (store: a draft saved over a newer version) | 409, `latestVersion` |
 * | `Refused` (services: a request they will not carry out) and its kinds: `TrialRefused` (a preview or simulation over its budget, replaced or not queued; `code` and its details, `Retry-After` on 429), `FitRefused` (too few labels: `counts` per kind), `SimulationRefused` (no such version, nothing live) | its status (400-429), its message and `extra` |
 * | a Boom error (a handler's own 4xx: not found, bad input) | as it is, with its `problems` |
 * | anything else | 500 with a message that leaks nothing (and a log line with the cause) |
 */
export const errorMapping: Plugin<void> = {
  name: 'refundsentry-errors',
  register(server) {
    server.ext('onPreResponse', (request, h) => {
      const response = request.response;
      if (!(response instanceof Error)) return h.continue;
      if (response instanceof RulesetValidationError) {
        const boom = Boom.badData('The ruleset is not valid', { problems: response.problems });
        boom.output.payload = { ...boom.output.payload, problems: response.problems } as never;
        return boom;
      }
      if (response instanceof RulesetConflictError) {
        const boom = Boom.conflict(response.message);
        boom.output.payload = { ...boom.output.payload, latestVersion: response.latestVersion } as never;
        return boom;
      }
      if (response instanceof Refused) {
        // The request's doing (a trial over its budget, too few labels, no such version), never a 5xx.
        const boom = new Boom.Boom(response.message, { statusCode: response.status });
        boom.output.payload = { ...boom.output.payload, ...response.extra } as never;
        if (response.status === 429) boom.output.headers['Retry-After'] = '5';
        return boom;
      }
      if (Boom.isBoom(response)) {
        if (response.isServer) request.log(['error'], response);
        const data = response.data as { problems?: unknown } | null;
        if (!response.isServer && data?.problems) response.output.payload = { ...response.output.payload, problems: data.problems } as never;
        return h.continue;
      }
      request.log(['error'], response);
      return Boom.internal();
    });
  },
};
