import type { Kysely, Transaction } from 'kysely';
import type { Clock, IdGenerator } from '../kernel/index.js';
import type { Database } from '../store/index.js';

export type ActorType = 'user' | 'api_key' | 'system';

export interface Actor {
  type: ActorType;
  id: string | null;
}

export interface AuditEntry {
  merchantId: string | null;
  actor: Actor;
  /** Past-tense event name, e.g. `customer.created`, `customer.revealed`. */
  action: string;
  subjectType: string;
  subjectId: string | null;
  reason?: string | null;
  /** Never personal data: ids, field names, counts. */
  details?: Record<string, unknown>;
  requestId?: string | null;
}

export interface AuditEvent {
  seq: number;
  id: string;
  merchantId: string | null;
  actorType: ActorType;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
  createdAt: string;
}

export interface AuditTrail {
  /** Appends inside the caller's transaction so the change and its record commit together. */
  record(executor: Kysely<Database> | Transaction<Database>, entry: AuditEntry): Promise<void>;
  /** `merchantId` undefined lists every merchant's events (platform admins); null lists platform-level events. */
  list(query: {
    merchantId?: string | null;
    beforeSeq?: number;
    limit: number;
    subjectId?: string;
  }): Promise<AuditEvent[]>;
}

export function createAuditTrail(deps: {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
}): AuditTrail {
  return {
    async record(executor, entry) {
      await executor
        .insertInto('audit_events')
        .values({
          id: deps.ids(),
          merchant_id: entry.merchantId,
          actor_type: entry.actor.type,
          actor_id: entry.actor.id,
          action: entry.action,
          subject_type: entry.subjectType,
          subject_id: entry.subjectId,
          reason: entry.reason ?? null,
          details: JSON.stringify(entry.details ?? {}),
          request_id: entry.requestId ?? null,
          created_at: deps.clock.now().toISOString(),
        })
        .execute();
    },

    async list(query) {
      let q = deps.db
        .selectFrom('audit_events')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(query.limit);
      if (query.merchantId !== undefined) {
        q =
          query.merchantId === null
            ? q.where('merchant_id', 'is', null)
            : q.where('merchant_id', '=', query.merchantId);
      }
      if (query.beforeSeq !== undefined) q = q.where('seq', '<', query.beforeSeq);
      if (query.subjectId !== undefined) q = q.where('subject_id', '=', query.subjectId);
      const rows = await q.execute();
      return rows.map((r) => ({
        seq: Number(r.seq),
        id: r.id,
        merchantId: r.merchant_id,
        actorType: r.actor_type as ActorType,
        actorId: r.actor_id,
        action: r.action,
        subjectType: r.subject_type,
        subjectId: r.subject_id,
        reason: r.reason,
        details: JSON.parse(r.details) as Record<string, unknown>,
        requestId: r.request_id,
        createdAt: r.created_at,
      }));
    },
  };
}
