import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize, merchantFilter } from '../../auth/index.js';
import type { Services } from '../../runtime/services.js';
import { principalOf } from '../authentication.js';
import { id } from './schemas.js';

const event = z.object({
  seq: z.number(),
  id: z.string(),
  merchantId: z.string().nullable(),
  actorType: z.enum(['user', 'api_key', 'system']),
  actorId: z.string().nullable(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  createdAt: z.string(),
});

export const auditRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (
  app,
  { services },
) => {
  app.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first',
        querystring: z.strictObject({
          merchantId: id.optional(),
          subjectId: id.optional(),
          beforeSeq: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
        response: { 200: z.object({ items: z.array(event) }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      authorize(principal, 'audit:read');
      const merchantId = merchantFilter(principal, request.query.merchantId);
      const items = await services.audit.list({
        ...(merchantId !== null ? { merchantId } : {}),
        limit: request.query.limit,
        ...(request.query.beforeSeq !== undefined ? { beforeSeq: request.query.beforeSeq } : {}),
        ...(request.query.subjectId !== undefined ? { subjectId: request.query.subjectId } : {}),
      });
      return { items };
    },
  );
};
