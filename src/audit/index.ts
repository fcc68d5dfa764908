export {
  createAuditTrail,
  type AuditTrail,
  type AuditEntry,
  type AuditEvent,
  type Actor,
  type ActorType,
} from './audit.js';
