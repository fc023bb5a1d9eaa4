import Boom from '@hapi/boom';
import type { Plugin } from '@hapi/hapi';
import { RulesetValidationError } from '../../engine/index.ts';
import { RulesetConflictError } from '../store/index.ts';
import { TrialRefused } from '../trials/TrialThreads.ts';
import { FitRefused } from '../services/FitService.ts';

/**
 * One place that turns domain errors into HTTP answers (like the RealWorld app's error
 * extension): ruleset problems → 422 with JSON pointers, version conflicts → 409, trials refused
 * (previews and simulations over their budget, replaced or not queued) and fits refused (too
 * few labels, with the counts per kind) → their 4xx; anything
 * unexpected → 500 with a message that leaks nothing (and a log line with the cause).
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
      if (response instanceof TrialRefused) {
        // A preview or simulation stopped at its budget, replaced, or not queued: the request's doing, never a 5xx.
        const boom = new Boom.Boom(response.message, { statusCode: response.status });
        boom.output.payload = { ...boom.output.payload, code: response.code, ...response.details } as never;
        if (response.status === 429) boom.output.headers['Retry-After'] = '5';
        return boom;
      }
      if (response instanceof FitRefused) {
        // Nothing to fit from, or too few labels: the label counts per kind say what is missing.
        const boom = new Boom.Boom(response.message, { statusCode: response.status });
        if (response.counts) boom.output.payload = { ...boom.output.payload, counts: response.counts } as never;
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
