import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import { shopOf } from '../../auth/sessionAuth.ts';
import { object, ROW_ID } from '../fields.ts';
import { schema } from '../validate.ts';
import type { ApiDeps } from './context.ts';
import type { ReleaseAnswer } from '../../../contract/index.ts';

/** `POST /api/actions/{id}/release`: releases an applied fulfilment hold (audited by the action runner). */
export function actionRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'POST',
      path: '/api/actions/{id}/release',
      options: { validate: { params: schema(object({ id: ROW_ID }, ['id']), 'params') } },
      handler: async (request) => {
        const { shop, user } = shopOf(request);
        const id = (request.params as { id: string }).id;
        const action = await deps.stores.actions.get(shop, id);
        if (!action) throw Boom.notFound('No such action in this shop');
        if (action.type !== 'fulfillment.hold') throw Boom.badRequest(`action ${id} is a ${action.type}, not a hold`);
        if (action.status === 'released') return { released: [], alreadyReleased: true } satisfies ReleaseAnswer;
        if (action.status !== 'done') throw Boom.conflict(`the hold is ${action.status}; only an applied hold can be released`);
        return (await deps.releaseHold(shop, id, user)) satisfies ReleaseAnswer;
      },
    },
  ];
}
