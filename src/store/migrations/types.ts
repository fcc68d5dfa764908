import type { Kysely } from 'kysely';
import type { DialectName } from '../connect.js';

/** A versioned migration; it receives the dialect because column types differ between the two. */
export interface AnxinMigration {
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/** Column types that differ by dialect. */
export function columnTypes(dialect: DialectName) {
  return {
    instant: dialect === 'postgres' ? ('timestamptz' as const) : ('text' as const),
    serial: dialect === 'postgres' ? ('bigserial' as const) : ('integer' as const),
  };
}
