/**
 * The one way the console talks to the server: same-origin JSON, the session in an HttpOnly
 * cookie, and a CSRF token echoed on every state-changing request.
 */

/** An error answered by the server (or a client-side failure given a `WEB_*` code). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

// Kept in memory only: a token in storage would outlive the session and be readable by any script.
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function apiRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (cause) {
    throw new ApiError(0, 'WEB_NETWORK_FAILED', `${method} ${path} failed`, {
      cause: String(cause),
    });
  }

  const payload = await readJson(response);
  if (!response.ok) throw toApiError(response.status, payload);
  return payload as T;
}

async function readJson(response: Response): Promise<unknown> {
  // 204 and friends have no body; anything else that fails to parse is reported below by status.
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (response.ok) {
      throw new ApiError(response.status, 'WEB_RESPONSE_INVALID', 'Response is not JSON');
    }
    return undefined;
  }
}

function toApiError(status: number, payload: unknown): ApiError {
  if (typeof payload === 'object' && payload !== null && 'error' in payload) {
    const { error } = payload;
    if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
      const { code, message } = error;
      const details = 'details' in error ? error.details : undefined;
      if (typeof code === 'string' && typeof message === 'string') {
        return new ApiError(status, code, message, details);
      }
    }
  }
  // A proxy or crashed server answered instead of ours; the status is all we can report.
  return new ApiError(
    status,
    'WEB_RESPONSE_INVALID',
    `HTTP ${String(status)} without an error body`,
  );
}
