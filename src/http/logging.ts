import type { FastifyServerOptions } from 'fastify';
import type { LogLevel } from '../config/index.js';

/**
 * Logger options: requests are logged by method and path only (no query, no
 * body, no headers), and secrets are redacted should anything include them.
 * Personal data therefore never reaches the log.
 */
export function loggerOptions(
  level: LogLevel,
  destination?: NodeJS.WritableStream,
): FastifyServerOptions['logger'] {
  return {
    level,
    ...(destination ? { stream: destination } : {}),
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
