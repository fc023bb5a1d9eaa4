import Boom from '@hapi/boom';
import Hapi from '@hapi/hapi';
import { describe, expect, it } from 'vitest';
import { RulesetValidationError, type RulesetProblem } from '../../engine/index.ts';
import { FitRefused } from '../services/FitService.ts';
import { Refused } from '../services/Refused.ts';
import { SimulationRefused } from '../services/SimulationService.ts';
import { RulesetConflictError } from '../store/index.ts';
import { TrialRefused } from '../trials/TrialThreads.ts';
import { errorMapping } from './errors.ts';

const PROBLEM: RulesetProblem = { pointer: '/zones/high', code: 'zones-order', message: 'high must be above medium', severity: 'error' };

/** A bare server with the error mapping and one route per thrown value: the answers as the API gives them. */
async function answerTo(thrown: unknown) {
  const server = Hapi.server();
  await server.register(errorMapping);
  server.route({ method: 'GET', path: '/', handler: () => { throw thrown; } });
  const response = await server.inject('/');
  return { status: response.statusCode, body: JSON.parse(response.payload) as Record<string, unknown>, headers: response.headers };
}

describe('errors.ts: every domain error mapped in one place', () => {
  it('answers a ruleset that does not validate with 422 and its problems', async () => {
    const answer = await answerTo(new RulesetValidationError([PROBLEM]));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ message: 'The ruleset is not valid', problems: [PROBLEM] });
  });

  it('answers a draft saved over a newer version with 409 and the latest version', async () => {
    const answer = await answerTo(new RulesetConflictError('Version 7 was saved after version 5', 7));
    expect(answer).toMatchObject({ status: 409, body: { message: 'Version 7 was saved after version 5', latestVersion: 7 } });
  });

  it("answers each kind of refusal with its own status and what it carries", async () => {
    expect(await answerTo(new SimulationRefused(404, 'No ruleset version 9 in this shop'))).toMatchObject({ status: 404, body: { error: 'Not Found', message: 'No ruleset version 9 in this shop' } });
    expect(await answerTo(new SimulationRefused(409, 'This shop has no published ruleset to compare with'))).toMatchObject({ status: 409, body: { error: 'Conflict' } });
    const counts = { minLabels: 20 } as unknown as ConstructorParameters<typeof FitRefused>[2];
    expect(await answerTo(new FitRefused(422, 'Too few labels to fit', counts))).toMatchObject({ status: 422, body: { message: 'Too few labels to fit', counts: { minLabels: 20 } } });
    expect((await answerTo(new FitRefused(409, 'This shop has no published ruleset to fit'))).body).not.toHaveProperty('counts');
    const busy = await answerTo(new TrialRefused(429, 'busy', '8 previews are waiting already'));
    expect(busy).toMatchObject({ status: 429, body: { code: 'busy', message: '8 previews are waiting already' } });
    expect(busy.headers['retry-after']).toBe('5');
    expect(await answerTo(new TrialRefused(422, 'over-budget', 'Stopped', { heaviest: ['custom.x'] }))).toMatchObject({ status: 422, body: { code: 'over-budget', heaviest: ['custom.x'] } });
    expect(await answerTo(new Refused(400, '/value is not an email address'))).toMatchObject({ status: 400, body: { error: 'Bad Request', message: '/value is not an email address' } });
  });

  it("passes a handler's own 4xx through with its problems, and hides anything unexpected behind a 500", async () => {
    expect(await answerTo(Boom.badRequest('Invalid query: /from must be a date', { problems: [{ pointer: '/from' }] }))).toMatchObject({ status: 400, body: { problems: [{ pointer: '/from' }] } });
    const crash = await answerTo(new Error('connection to 10.0.0.7:5432 refused, password=hunter2'));
    expect(crash.status).toBe(500);
    expect(JSON.stringify(crash.body)).not.toMatch(/hunter2|10\.0\.0\.7/);
  });
});
