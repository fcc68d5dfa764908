import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built console from web/dist. Unknown non-API paths fall back to
 * index.html so client-side routes survive a reload.
 */
export async function installWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const index = path.join(webDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', { schema: { hide: true }, config: { isPublic: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('The console is not built. Run `npm run build:web` (npm start does this for you).'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: webDir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
  });
  app.get('/*', { schema: { hide: true }, config: { isPublic: true } }, async (request, reply) => {
    if (request.url.startsWith('/api/')) {
      return reply
        .status(404)
        .send({ error: { code: 'ROUTE_NOT_FOUND', message: 'No such API route' } });
    }
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
