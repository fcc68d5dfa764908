import type { FastifyError, FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from 'fastify-type-provider-zod';
import { AppError, httpStatusOf } from '../kernel/index.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Fastify's own client errors, mapped to stable codes. Anything else is a 500. */
function fromFastifyError(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('REQUEST_TOO_LARGE', 'too_large', 'The request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(
        'REQUEST_UNSUPPORTED_MEDIA_TYPE',
        'unsupported',
        'Send the body as application/json',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('REQUEST_MALFORMED', 'invalid', 'The request body is not valid JSON');
    default:
      break;
  }
  if (
    error instanceof SyntaxError ||
    (error.statusCode === 400 && error.code?.startsWith('FST_ERR_CTP'))
  ) {
    return new AppError('REQUEST_MALFORMED', 'invalid', 'The request body is not valid JSON');
  }
  if (error.statusCode === 413)
    return new AppError('REQUEST_TOO_LARGE', 'too_large', 'The request body is too large');
  if (error.statusCode === 415)
    return new AppError(
      'REQUEST_UNSUPPORTED_MEDIA_TYPE',
      'unsupported',
      'Unsupported content type',
    );
  return undefined;
}

/** The one place an error becomes an HTTP answer. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let appError: AppError | undefined;
    if (error instanceof AppError) {
      appError = error;
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      appError = new AppError(
        'REQUEST_INVALID',
        'invalid',
        'The request does not match the schema',
        {
          context: error.validationContext,
          issues: (
            error.validation as unknown as {
              instancePath?: string;
              message?: string;
              keyword?: string;
            }[]
          ).map((v) => ({
            path: v.instancePath || '/',
            message: v.message ?? 'invalid',
            ...(v.keyword ? { keyword: v.keyword } : {}),
          })),
        },
      );
    } else if (isResponseSerializationError(error)) {
      appError = undefined;
    } else {
      appError = fromFastifyError(error);
    }

    if (!appError || appError.kind === 'internal') {
      // Only the error's class and code go to the log: messages may quote input.
      request.log.error(
        { err: { type: error.name, code: error.code, stack: error.stack } },
        'unhandled error',
      );
      void reply.status(500).send({
        error: {
          code: 'INTERNAL',
          message: `Something went wrong; quote request id ${request.id}`,
          details: { requestId: request.id },
        },
      } satisfies ErrorBody);
      return;
    }
    const status = httpStatusOf(appError.kind);
    const retryAfter = appError.details?.['retryAfterSeconds'];
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
    if (appError.details !== undefined) body.error.details = appError.details;
    void reply.status(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
      },
    } satisfies ErrorBody);
  });
}
