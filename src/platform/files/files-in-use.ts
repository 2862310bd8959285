import { executeDeferred } from '../db/commit-batching.ts';
import type { Tx } from '../db/database.ts';

/**
 * Records that these stored files are in use (attached to something a module keeps), in the caller's transaction, so
 * that housekeeping never removes them. The first attachment's time is kept.
 */
export async function markFilesInUse(tx: Tx, fileIds: readonly string[], now = new Date()): Promise<void> {
  const ids = [...new Set(fileIds)];
  if (ids.length === 0) return;
  await executeDeferred(tx, tx.updateTable('stored_files').set({ attached_at: now }).where('id', 'in', ids).where('attached_at', 'is', null));
}
