import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SignedIn, User } from '../../auth/index.js';
import type { Services } from '../../runtime/services.js';
import { principalOf, SESSION_COOKIE } from '../authentication.js';
import { user } from './schemas.js';

const sessionAnswer = z.object({
  user: user.pick({
    id: true,
    username: true,
    displayName: true,
    role: true,
    merchantId: true,
    mustChangePassword: true,
  }),
  csrfToken: z.string(),
});

function answer(
  u: Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'merchantId' | 'mustChangePassword'>,
  csrfToken: string,
) {
  return {
    user: {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      merchantId: u.merchantId,
      mustChangePassword: u.mustChangePassword,
    },
    csrfToken,
  };
}

export const authRoutes: FastifyPluginAsyncZod<{
  services: Services;
  cookieSecure: boolean;
  sessionTtlHours: number;
  signInRateLimitPerMinute: number;
}> = async (app, opts) => {
  const { sessions } = opts.services;

  function setSessionCookie(reply: FastifyReply, signedIn: SignedIn) {
    void reply.setCookie(SESSION_COOKIE, signedIn.sessionToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.cookieSecure,
      path: '/',
      maxAge: opts.sessionTtlHours * 3600,
    });
  }

  app.post(
    '/api/auth/sign-in',
    {
      config: {
        isPublic: true,
        rateLimit: { max: opts.signInRateLimitPerMinute, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in to the console with a username and password',
        body: z.strictObject({
          username: z.string().min(1).max(64),
          password: z.string().min(1).max(256),
        }),
        response: { 200: sessionAnswer },
      },
    },
    async (request, reply) => {
      const signedIn = await sessions.signIn(request.body, { requestId: request.id });
      setSessionCookie(reply, signedIn);
      return answer(signedIn.user, signedIn.csrfToken);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { allowsPendingPasswordChange: true },
      schema: { tags: ['auth'], summary: 'Who is signed in', response: { 200: sessionAnswer } },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind !== 'user') {
        return {
          user: {
            id: principal.apiKeyId,
            username: 'api-key',
            displayName: 'API key',
            role: 'merchant_admin' as const,
            merchantId: principal.merchantId,
            mustChangePassword: false,
          },
          csrfToken: '',
        };
      }
      return answer(
        {
          id: principal.userId,
          username: principal.username,
          displayName: principal.displayName,
          role: principal.role,
          merchantId: principal.merchantId,
          mustChangePassword: principal.mustChangePassword,
        },
        request.csrfToken ?? '',
      );
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { allowsPendingPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Change your password (required after a one-time password)',
        body: z.strictObject({
          currentPassword: z.string().min(1).max(256),
          newPassword: z.string().min(1).max(256),
        }),
        response: { 200: sessionAnswer },
      },
    },
    async (request, reply) => {
      const signedIn = await sessions.changePassword(principalOf(request), request.body, {
        requestId: request.id,
      });
      setSessionCookie(reply, signedIn);
      return answer(signedIn.user, signedIn.csrfToken);
    },
  );

  app.post(
    '/api/auth/sign-out',
    {
      config: { allowsPendingPasswordChange: true },
      schema: { tags: ['auth'], summary: 'End this session' },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind === 'user') await sessions.signOut(principal.sessionId);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
};
