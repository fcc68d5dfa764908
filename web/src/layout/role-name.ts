import type { Role } from '../auth';
import type { Messages } from '../i18n';

function isKnownRole(role: string, t: Messages): role is Role {
  return Object.hasOwn(t.roles, role);
}

/** A role the console does not know yet (a newer server) is shown as its raw name, not hidden. */
export function roleName(role: string, t: Messages): string {
  return isKnownRole(role, t) ? t.roles[role] : role;
}
