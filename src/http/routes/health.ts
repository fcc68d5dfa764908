import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isSchemaCurrent, type Store } from '../../store/index.js';

/** Liveness says the process answers; readiness says it can serve (database up, schema current). */
export const healthRoutes: FastifyPluginAsyncZod<{ store: Store; version: string }> = async (
  app,
  { store, version },
) => {
  app.get(
    '/healthz',
    {
      config: { isPublic: true },
      schema: {
        hide: true,
        response: { 200: z.object({ status: z.literal('ok'), version: z.string() }) },
      },
    },
    async () => ({ status: 'ok' as const, version }),
  );
  app.get(
    '/readyz',
    { config: { isPublic: true }, schema: { hide: true } },
    async (_request, reply) => {
      try {
        await store.ping();
        if (!(await isSchemaCurrent(store))) {
          return reply.status(503).send({ status: 'unready', reason: 'migrations pending' });
        }
        return { status: 'ready', database: store.dialect };
      } catch {
        return reply.status(503).send({ status: 'unready', reason: 'database unreachable' });
      }
    },
  );
};
