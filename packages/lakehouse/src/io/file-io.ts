/**
 * Storage for warehouse files, addressed by absolute URI (`file:///…`, `s3://…`). Iceberg files are
 * immutable: a path is written once and never overwritten.
 */
export interface FileIO {
  /** Reads a whole file; rejects when it does not exist. */
  read(uri: string): Promise<Buffer>;
  /**
   * Writes a new file durably (data and directory entry flushed before the promise resolves).
   * Rejects when the file already exists.
   */
  writeNew(uri: string, bytes: Uint8Array): Promise<void>;
  /** Whether a file exists. */
  exists(uri: string): Promise<boolean>;
  /** Deletes a file; deleting a missing file is not an error. */
  delete(uri: string): Promise<void>;
  /** Lists file URIs under a prefix (recursively). */
  list(prefixUri: string): Promise<string[]>;
}
