import type { Kysely } from 'kysely';
import { AppError, type Clock } from '../kernel/index.js';
import type { Database } from '../store/index.js';
import {
  decryptValue,
  encryptValue,
  generateKey,
  makeCheckValue,
  masterKeyId,
  verifyCheckValue,
} from './crypto.js';
import { writeKeyFile, type Keyring, type MasterKey } from './keyring.js';
import { dataKeyAad, indexKeyAad } from './vault.js';

export interface RotationProgress {
  newKeyId: string;
  rewrapped: number;
  remaining: number;
}

export interface RotationResult {
  newKeyId: string;
  retiredKeyIds: string[];
  rewrapped: number;
  resumed: boolean;
}

/**
 * Re-wraps every data key under a new master key while the service keeps
 * running. The steps are ordered so an interruption at any point is safe and
 * a second run resumes: (1) the new key reaches the key file before the
 * database names it, (2) the new key becomes active and the old one
 * "retiring" in one transaction, after which no process can wrap under the
 * old key, (3) batches are re-wrapped with an optimistic check, (4) the old
 * key is retired and dropped from the key file only when nothing uses it.
 */
export async function rotateMasterKey(deps: {
  db: Kysely<Database>;
  keyring: Keyring;
  clock: Clock;
  batchSize?: number;
  onProgress?: (progress: RotationProgress) => void;
}): Promise<RotationResult> {
  const { db, keyring, clock } = deps;
  const batchSize = deps.batchSize ?? 500;
  keyring.reload();

  const live = await db
    .selectFrom('vault_master_keys')
    .selectAll()
    .where('status', '!=', 'retired')
    .execute();
  const active = live.find((k) => k.status === 'active');
  if (!active)
    throw new AppError(
      'VAULT_NOT_INITIALIZED',
      'unavailable',
      'The vault has no active master key; start the service once first',
    );
  const resumed = live.some((k) => k.status === 'retiring');

  let target: MasterKey;
  if (resumed) {
    target = requireKey(keyring, active.id);
  } else {
    target = chooseNewKey(keyring, active.id);
    const current = requireKey(keyring, active.id);
    if (!verifyCheckValue(current.key, active.id, active.check_value)) {
      throw new AppError(
        'VAULT_MASTER_KEY_MISMATCH',
        'unavailable',
        'The configured master key does not match this database',
      );
    }
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('vault_master_keys')
        .set({ status: 'retiring' })
        .where('status', '=', 'active')
        .execute();
      await trx
        .insertInto('vault_master_keys')
        .values({
          id: target.id,
          check_value: makeCheckValue(target.key, target.id),
          status: 'active',
          created_at: now,
          retired_at: null,
        })
        .execute();
    });
  }

  let rewrapped = 0;
  for (;;) {
    const batch = await db
      .selectFrom('vault_data_keys')
      .select(['id', 'master_key_id', 'wrapped_key'])
      .where('master_key_id', '!=', target.id)
      .limit(batchSize)
      .execute();
    if (batch.length === 0) break;
    const now = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      for (const row of batch) {
        const old = requireKey(keyring, row.master_key_id);
        const plain = decryptValue(old.key, row.wrapped_key, dataKeyAad(row.id));
        // The WHERE on the old key makes a concurrent re-wrap of the same row a no-op.
        const result = await trx
          .updateTable('vault_data_keys')
          .set({
            master_key_id: target.id,
            wrapped_key: encryptValue(target.key, plain, dataKeyAad(row.id)),
            rewrapped_at: now,
          })
          .where('id', '=', row.id)
          .where('master_key_id', '=', row.master_key_id)
          .executeTakeFirst();
        rewrapped += Number(result.numUpdatedRows);
      }
    });
    const remaining = await countRemaining(db, target.id);
    deps.onProgress?.({ newKeyId: target.id, rewrapped, remaining });
  }

  const indexKeys = await db
    .selectFrom('vault_index_keys')
    .selectAll()
    .where('master_key_id', '!=', target.id)
    .execute();
  for (const row of indexKeys) {
    const plain = decryptValue(
      requireKey(keyring, row.master_key_id).key,
      row.wrapped_key,
      indexKeyAad(row.purpose),
    );
    await db
      .updateTable('vault_index_keys')
      .set({
        master_key_id: target.id,
        wrapped_key: encryptValue(target.key, plain, indexKeyAad(row.purpose)),
      })
      .where('purpose', '=', row.purpose)
      .where('master_key_id', '=', row.master_key_id)
      .execute();
  }

  const retiring = await db
    .selectFrom('vault_master_keys')
    .select('id')
    .where('status', '=', 'retiring')
    .execute();
  await db.transaction().execute(async (trx) => {
    const left = await countRemaining(trx, target.id);
    if (left > 0)
      throw new AppError(
        'VAULT_ROTATION_INCOMPLETE',
        'conflict',
        `${left} data keys still use the old master key; run the rotation again`,
      );
    await trx
      .updateTable('vault_master_keys')
      .set({ status: 'retired', retired_at: clock.now().toISOString() })
      .where('status', '=', 'retiring')
      .execute();
  });

  if (keyring.source === 'file' && keyring.filePath) {
    writeKeyFile(keyring.filePath, [target]);
    keyring.reload();
  }
  return { newKeyId: target.id, retiredKeyIds: retiring.map((r) => r.id), rewrapped, resumed };
}

async function countRemaining(db: Kysely<Database>, targetId: string): Promise<number> {
  const row = await db
    .selectFrom('vault_data_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('master_key_id', '!=', targetId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function requireKey(keyring: Keyring, id: string): MasterKey {
  let key = keyring.find(id);
  if (!key) {
    keyring.reload();
    key = keyring.find(id);
  }
  if (!key)
    throw new AppError(
      'VAULT_MASTER_KEY_MISSING',
      'unavailable',
      `Master key ${id} is not in the keyring`,
    );
  return key;
}

/**
 * With a key file, rotation creates the new key itself and stores it before
 * using it. With keys from the environment the operator supplies the new key
 * first in ANXIN_MASTER_KEY (and restarts the service with both), because
 * anxin cannot change a running process's environment.
 */
function chooseNewKey(keyring: Keyring, activeId: string): MasterKey {
  if (keyring.source === 'file' && keyring.filePath) {
    const fresh = generateKey();
    const key = { id: masterKeyId(fresh), key: fresh };
    writeKeyFile(keyring.filePath, [key, ...keyring.keys()]);
    keyring.reload();
    return key;
  }
  const first = keyring.keys()[0];
  if (!first || first.id === activeId) {
    throw new AppError(
      'VAULT_ROTATION_NEEDS_NEW_KEY',
      'invalid',
      'Put a new key first in ANXIN_MASTER_KEY (new,old), restart the service with both, then rotate',
    );
  }
  return first;
}
