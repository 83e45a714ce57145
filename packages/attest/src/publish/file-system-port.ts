/**
 * The few filesystem calls attest needs, injected so the package itself does no I/O.
 * `node:fs/promises` satisfies it as is: `new AttestationService({ fs: await import('node:fs/promises') })`.
 */
export interface FileSystemPort {
  /** Creates a directory and its parents; an existing directory is not an error. */
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  /** Writes the whole file, replacing it. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Reads the whole file. */
  readFile(path: string): Promise<Uint8Array>;
}
