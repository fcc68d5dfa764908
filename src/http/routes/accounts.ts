import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../runtime/services.js';
import { principalOf } from '../authentication.js';
import {
  apiKey,
  apiKeyScope,
  id,
  idParams,
  merchant,
  merchantQuery,
  role,
  user,
} from './schemas.js';

const displayName = z.string().trim().min(1).max(100);

/** Merchants, users and API keys: the administration of tenants and accounts. */
export const accountRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (
  app,
  { services },
) => {
  app.post(
    '/api/merchants',
    {
      schema: {
        tags: ['merchants'],
        summary: 'Create a merchant (platform admin)',
        body: z.strictObject({ name: z.string().trim().min(1).max(200) }),
        response: { 201: merchant },
      },
    },
    async (request, reply) => {
      const created = await services.merchants.create(principalOf(request), request.body, {
        requestId: request.id,
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/merchants',
    {
      schema: {
        tags: ['merchants'],
        summary: 'Merchants visible to you',
        response: { 200: z.object({ items: z.array(merchant) }) },
      },
    },
    async (request) => ({ items: await services.merchants.list(principalOf(request)) }),
  );

  app.get(
    '/api/merchants/:id',
    {
      schema: {
        tags: ['merchants'],
        summary: 'One merchant',
        params: idParams,
        response: { 200: merchant },
      },
    },
    async (request) => services.merchants.get(principalOf(request), request.params.id),
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a user; the answer carries a one-time password, shown once',
        body: z.strictObject({
          username: z.string().min(3).max(64),
          displayName,
          role,
          merchantId: id.nullable().optional(),
        }),
        response: { 201: z.object({ user, oneTimePassword: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await services.users.create(
        principalOf(request),
        { ...request.body, merchantId: request.body.merchantId ?? null },
        { requestId: request.id },
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: 'Users visible to you',
        querystring: merchantQuery,
        response: { 200: z.object({ items: z.array(user) }) },
      },
    },
    async (request) => ({ items: await services.users.list(principalOf(request), request.query) }),
  );

  app.get(
    '/api/users/:id',
    { schema: { tags: ['users'], summary: 'One user', params: idParams, response: { 200: user } } },
    async (request) => services.users.get(principalOf(request), request.params.id),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change a user’s name, role or status',
        params: idParams,
        body: z.strictObject({
          displayName: displayName.optional(),
          role: role.optional(),
          status: z.enum(['active', 'disabled']).optional(),
        }),
        response: { 200: user },
      },
    },
    async (request) =>
      services.users.update(principalOf(request), request.params.id, request.body, {
        requestId: request.id,
      }),
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      schema: {
        tags: ['users'],
        summary: 'Issue a new one-time password',
        params: idParams,
        response: { 200: z.object({ user, oneTimePassword: z.string() }) },
      },
    },
    async (request) =>
      services.users.resetPassword(principalOf(request), request.params.id, {
        requestId: request.id,
      }),
  );

  app.post(
    '/api/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key for a merchant integration; the secret is shown once',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(apiKeyScope).min(1),
          merchantId: id.optional(),
        }),
        response: { 201: z.object({ apiKey, secret: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await services.apiKeys.create(principalOf(request), request.body, {
        requestId: request.id,
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/api-keys',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'API keys (never their secrets)',
        querystring: merchantQuery,
        response: { 200: z.object({ items: z.array(apiKey) }) },
      },
    },
    async (request) => ({
      items: await services.apiKeys.list(principalOf(request), request.query),
    }),
  );

  app.delete(
    '/api/api-keys/:id',
    {
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key',
        params: idParams,
        response: { 200: apiKey },
      },
    },
    async (request) =>
      services.apiKeys.revoke(principalOf(request), request.params.id, { requestId: request.id }),
  );
};
