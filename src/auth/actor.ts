import type { Actor } from '../audit/index.js';
import type { Principal } from './model.js';

/** The audit trail's view of a principal. */
export function actorOf(principal: Principal): Actor {
  return principal.kind === 'user'
    ? { type: 'user', id: principal.userId }
    : { type: 'api_key', id: principal.apiKeyId };
}
