import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyService, Principal, SessionService } from '../auth/index.js';
import { AppError } from '../kernel/index.js';

export const SESSION_COOKIE = 'anxin_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Routes reachable without signing in (sign-in itself, health checks). */
    isPublic?: boolean;
    /** Routes a user who must change their one-time password may still call. */
    allowsPendingPasswordChange?: boolean;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Compares an Origin header with the Host the request came to, default ports normalised. */
function isSameOrigin(origin: string, host: string | undefined): boolean {
  if (!host) return false;
  try {
    const from = new URL(origin);
    return new URL(`${from.protocol}//${host}`).host === from.host;
  } catch {
    return false;
  }
}

/**
 * Resolves who is calling (session cookie or bearer API key) and enforces
 * CSRF on cookie-authenticated writes. API keys are not sent automatically by
 * browsers, so they need no CSRF token.
 */
export function installAuthentication(
  app: FastifyInstance,
  deps: { sessions: SessionService; apiKeys: ApiKeyService },
): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.url.startsWith('/api/')) return;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const principal = match?.[1] ? await deps.apiKeys.authenticate(match[1]) : null;
      if (!principal)
        throw new AppError(
          'AUTH_INVALID_API_KEY',
          'unauthenticated',
          'The API key is invalid or revoked',
        );
      request.principal = principal;
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      const session = await deps.sessions.authenticate(token);
      if (session) {
        request.principal = session.principal;
        request.csrfToken = session.csrfToken;
      }
    }
    if (STATE_CHANGING.has(request.method)) {
      // A foreign Origin on a write is a cross-site request, signed in or not.
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== 'null') {
        if (!isSameOrigin(origin, request.headers.host)) {
          throw new AppError('AUTH_CSRF_INVALID', 'forbidden', 'Cross-site request refused');
        }
      }
      if (request.csrfToken !== null) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !safeEqual(sent, request.csrfToken)) {
          throw new AppError(
            'AUTH_CSRF_INVALID',
            'forbidden',
            'Missing or wrong CSRF token (x-csrf-token header)',
          );
        }
      }
    }
  });

  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config;
    if (!request.url.startsWith('/api/') || config.isPublic || request.url.startsWith('/api/docs'))
      return;
    const principal = request.principal;
    if (!principal) throw new AppError('AUTH_UNAUTHENTICATED', 'unauthenticated', 'Sign in first');
    if (
      principal.kind === 'user' &&
      principal.mustChangePassword &&
      !config.allowsPendingPasswordChange
    ) {
      throw new AppError(
        'AUTH_PASSWORD_CHANGE_REQUIRED',
        'forbidden',
        'Change your one-time password first',
      );
    }
  });
}

/** The principal of an authenticated route (the preHandler has already refused anonymous calls). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AppError('AUTH_UNAUTHENTICATED', 'unauthenticated', 'Sign in first');
  return request.principal;
}
