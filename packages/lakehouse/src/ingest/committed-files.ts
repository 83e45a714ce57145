// Which files each table commit of a run added, pinned by sha256, so the run's attestation covers the data.
import type { AppendResult } from '@neurocipher/seg-contracts';
import { SegError } from '@neurocipher/seg-contracts';
import type { CommittedFile, TableCommitInput } from '@neurocipher/seg-attest';
import { sha256Hex } from '@neurocipher/seg-ports';
import { decodeManifest, decodeManifestList, ENTRY_ADDED } from '../iceberg/manifest.ts';
import type { FileIO } from '../io/file-io.ts';
import type { LakehouseTables } from '../tables/lakehouse-tables.ts';
import type { TableName } from '../tables/table-definitions.ts';
import { TABLE_NAMES } from '../tables/table-definitions.ts';

/**
 * The files one table commit added, as attest's `TableCommitInput` pins them: each file's `path` is
 * relative to the table's location (an absolute URI when the file lies outside it), `record_count` set for
 * data files.
 */
export interface CommittedTable extends TableCommitInput {
  /** Iceberg snapshot id, decimal. */
  snapshot_id: string;
  /** Manifest list, added manifests, added data files, then the metadata file that made the snapshot current. */
  data_files: CommittedFile[];
}

/** The canonical table `name` names; `SEG_NOT_FOUND` for any other name. */
export function lakehouseTableName(name: string): TableName {
  if (!(TABLE_NAMES as readonly string[]).includes(name)) {
    throw new SegError({
      error_code: 'SEG_NOT_FOUND',
      message: `no lakehouse table ${name}`,
      details: { table: name },
    });
  }
  return name as TableName;
}

/** The absolute URI of `path` (relative to a table location `location`, or already absolute). */
export function tableFileUri(location: string, path: string): string {
  return path.includes('://') ? path : `${location.replace(/\/+$/, '')}/${path}`;
}

/**
 * For each table commit of `result`, every file its snapshot added, read back from the warehouse and
 * hashed: the manifest list, each manifest whose `added_snapshot_id` is the snapshot, each data file those
 * manifests add (status ADDED, with its record count), and, while the snapshot is still the table's
 * current one, the metadata file that made it current. Files are read one at a time per table (the
 * tables in parallel), so memory holds one file per table.
 *
 * Errors: `SEG_NOT_FOUND` when a table or snapshot of `result` does not exist; a read error of the
 * file IO (a file of the snapshot is missing) is passed on.
 */
export async function committedFiles(
  tables: LakehouseTables,
  io: FileIO,
  result: Pick<AppendResult, 'tables'>,
): Promise<CommittedTable[]> {
  return Promise.all(
    result.tables.map(async (commit): Promise<CommittedTable> => {
      const loaded = await tables.table(lakehouseTableName(commit.table)).load();
      const { metadata } = loaded;
      const snapshot = metadata.snapshots.find((s) => String(s['snapshot-id']) === commit.snapshot_id);
      if (!snapshot) {
        throw new SegError({
          error_code: 'SEG_NOT_FOUND',
          message: `snapshot ${commit.snapshot_id} is not in table ${commit.table}`,
          details: { table: commit.table, snapshot_id: commit.snapshot_id },
        });
      }
      const prefix = `${metadata.location.replace(/\/+$/, '')}/`;
      const relative = (uri: string) => (uri.startsWith(prefix) ? uri.slice(prefix.length) : uri);
      const files: CommittedFile[] = [];
      const pin = async (uri: string, record_count?: bigint): Promise<Buffer> => {
        const bytes = await io.read(uri);
        files.push({
          path: relative(uri),
          sha256: sha256Hex(bytes),
          ...(record_count === undefined ? {} : { record_count: Number(record_count) }),
        });
        return bytes;
      };
      const id = BigInt(commit.snapshot_id);
      const manifests = decodeManifestList(await pin(snapshot['manifest-list']));
      for (const manifest of manifests) {
        if (BigInt(manifest.added_snapshot_id) !== id) continue;
        for (const entry of decodeManifest(await pin(manifest.manifest_path))) {
          // A null snapshot id is inherited from the manifest, which this snapshot added.
          if (
            entry.status !== ENTRY_ADDED ||
            (entry.snapshot_id !== null && BigInt(entry.snapshot_id) !== id)
          )
            continue;
          await pin(entry.data_file.file_path, entry.data_file.record_count);
        }
      }
      if (String(metadata['current-snapshot-id']) === commit.snapshot_id) await pin(loaded.metadataLocation);
      return { table: commit.table, snapshot_id: commit.snapshot_id, data_files: files };
    }),
  );
}
