import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorize } from '../../auth/index.js';
import type { Services } from '../../runtime/services.js';
import { principalOf } from '../authentication.js';
import { customer, id, idParams } from './schemas.js';

const field = z.enum(['name', 'phone', 'address', 'idNumber']);

/**
 * Customers' personal data. Phone numbers travel only in bodies, never in a
 * URL, so they cannot land in access logs or browser history.
 */
export const customerRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (
  app,
  { services },
) => {
  app.post(
    '/api/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Record a customer; personal fields are encrypted before they are stored',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          phone: z.string().trim().min(5).max(32),
          address: z.string().trim().min(1).max(500).optional(),
          idNumber: z.string().trim().min(6).max(32).optional(),
          merchantId: id.optional(),
        }),
        response: { 201: customer },
      },
    },
    async (request, reply) => {
      const created = await services.customers.create(principalOf(request), request.body, {
        requestId: request.id,
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Customers of a merchant, masked',
        querystring: z.strictObject({
          merchantId: id.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          after: id.optional(),
        }),
        response: { 200: z.object({ items: z.array(customer) }) },
      },
    },
    async (request) => ({
      items: await services.customers.list(principalOf(request), request.query),
    }),
  );

  app.post(
    '/api/customers/lookup',
    {
      schema: {
        tags: ['customers'],
        summary:
          'Find customers by exact phone number (blind index; nothing is decrypted to search)',
        body: z.strictObject({
          phone: z.string().trim().min(5).max(32),
          merchantId: id.optional(),
        }),
        response: { 200: z.object({ items: z.array(customer) }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      authorize(principal, 'customers:read');
      return { items: await services.customers.findByPhone(principal, request.body) };
    },
  );

  app.get(
    '/api/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'One customer, masked',
        params: idParams,
        response: { 200: customer },
      },
    },
    async (request) => services.customers.get(principalOf(request), request.params.id),
  );

  app.post(
    '/api/customers/:id/reveal',
    {
      schema: {
        tags: ['customers'],
        summary: 'Show plaintext personal fields for a stated reason (audited)',
        params: idParams,
        body: z.strictObject({
          fields: z.array(field).min(1).max(4),
          reason: z.string().trim().min(4).max(500),
        }),
        response: { 200: z.record(z.string(), z.string().nullable()) },
      },
    },
    async (request) =>
      services.customers.reveal(principalOf(request), request.params.id, request.body, {
        requestId: request.id,
      }),
  );
};
