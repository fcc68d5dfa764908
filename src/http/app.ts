import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from '../config/index.js';
import { AppError } from '../kernel/index.js';
import type { Services } from '../runtime/services.js';
import type { Store } from '../store/index.js';
import { installAuthentication } from './authentication.js';
import { installErrorHandling } from './errors.js';
import { loggerOptions } from './logging.js';
import { accountRoutes } from './routes/accounts.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { customerRoutes } from './routes/customers.js';
import { healthRoutes } from './routes/health.js';
import { installWeb } from './web.js';

export interface HttpAppOptions {
  config: Config;
  services: Services;
  store: Store;
  version: string;
  /** Where logs go (tests capture them to prove no personal data is written). */
  logStream?: NodeJS.WritableStream;
}

export interface RouteEntry {
  method: string;
  url: string;
  isPublic: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, for tests that must cover all of them. */
    routeTable: RouteEntry[];
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const { config, services } = options;
  const app = Fastify({
    logger: loggerOptions(config.logLevel, options.logStream),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    // genReqId reads x-request-id itself so a malformed one is replaced rather than trusted.
    requestIdHeader: false,
    genReqId: (request) => {
      const sent = request.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: route.url, isPublic: Boolean(route.config?.isPublic) });
    }
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      new AppError('RATE_LIMITED', 'rate_limited', 'Too many requests; slow down', {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'anxin API',
        version: options.version,
        description: 'anxin (安心) after-sales service desk',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'anxin_session' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list' },
  });
  app.get('/api/openapi.json', { config: { isPublic: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  installAuthentication(app, { sessions: services.sessions, apiKeys: services.apiKeys });
  await app.register(healthRoutes, { store: options.store, version: options.version });
  await app.register(authRoutes, {
    services,
    cookieSecure: config.cookieSecure,
    sessionTtlHours: config.sessionTtlHours,
    signInRateLimitPerMinute: config.signInRateLimitPerMinute,
  });
  await app.register(accountRoutes, { services });
  await app.register(customerRoutes, { services });
  await app.register(auditRoutes, { services });
  await installWeb(app, config.webDir);
  return app;
}
