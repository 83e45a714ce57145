import type { BlobStore } from '@neurocipher/seg-ports';
import { SegError } from '@neurocipher/seg-contracts';
import { sha256Hex, toHex } from '../encoding/bytes.ts';
import { signCheckpoint, type NoteSigner, type TreeHead } from './checkpoint.ts';
import { consistencyProof, inclusionProof, leafHash, merkleRoot } from './merkle.ts';

/** Options of {@link TransparencyLog}. */
export interface TransparencyLogOptions {
  /** Where entries live; the local-directory blob store is the embedded default. */
  store: BlobStore;
  /** Key prefix of this log in the store, e.g. `tlog/main/`. */
  prefix: string;
  /** The checkpoint origin line (and note key name), e.g. `seg.neurocipher.io/tlog/main`. */
  origin: string;
  /** Signs checkpoints; its `name` must equal `origin`. */
  signer: NoteSigner;
  /** http(s) base under which entry URIs are formed: `<base_url>/entries/<index>`. */
  base_url: string;
}

/** What appending an entry gives back. */
export interface LogAppendResult {
  /** Zero-based position of the entry. */
  index: number;
  /** False when the same bytes were already logged (append is idempotent). */
  appended: boolean;
  /** RFC 9162 leaf hash of the entry. */
  leaf_hash: Uint8Array;
  /** The signed checkpoint of the tree that contains the entry. */
  checkpoint: string;
  /** The tree size that checkpoint covers. */
  tree_size: number;
  /** Audit path of the entry in that tree. */
  inclusion_proof: Uint8Array[];
  /** `<base_url>/entries/<index>`. */
  uri: string;
}

const pad = (n: number): string => String(n).padStart(12, '0');

/**
 * A local append-only transparency log: entries are stored under a prefix of a BlobStore
 * (`entries/<index>`, plus a `by-hash/<sha256 of entry>` pointer for lookups), hashed per RFC 9162, with inclusion
 * and consistency proofs and C2SP signed checkpoints (`checkpoint`). Appends are serialised within
 * the process; an entry key is never overwritten (a clash is `SEG_CONFLICT`).
 */
export class TransparencyLog {
  readonly #options: TransparencyLogOptions;
  #leaves: Uint8Array[] | undefined;
  /** Index of each entry by the hex of its leaf hash, rebuilt from the entries on load. */
  #indexByLeaf = new Map<string, number>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TransparencyLogOptions) {
    if (options.signer.name !== options.origin)
      throw new RangeError('the checkpoint signer name must equal the origin');
    this.#options = { ...options, base_url: options.base_url.replace(/\/+$/, '') };
  }

  /** The origin line of this log. */
  get origin(): string {
    return this.#options.origin;
  }

  /** The URI of entry `index`. */
  entryUri(index: number): string {
    return `${this.#options.base_url}/entries/${index}`;
  }

  #key(name: string): string {
    return `${this.#options.prefix}${name}`;
  }

  async #load(): Promise<Uint8Array[]> {
    if (this.#leaves) return this.#leaves;
    const leaves: Uint8Array[] = [];
    const byLeaf = new Map<string, number>();
    while (await this.#options.store.exists(this.#key(`entries/${pad(leaves.length)}`))) {
      const hash = leafHash(await this.#options.store.get(this.#key(`entries/${pad(leaves.length)}`)));
      if (!byLeaf.has(toHex(hash))) byLeaf.set(toHex(hash), leaves.length);
      leaves.push(hash);
    }
    this.#indexByLeaf = byLeaf;
    this.#leaves = leaves;
    return leaves;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Number of entries. */
  async size(): Promise<number> {
    return (await this.#load()).length;
  }

  /** The bytes of entry `index`; `SEG_NOT_FOUND` past the end. */
  async entry(index: number): Promise<Uint8Array> {
    const leaves = await this.#load();
    if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: 'no such log entry', details: { index } });
    }
    return this.#options.store.get(this.#key(`entries/${pad(index)}`));
  }

  /**
   * Appends `entry` unless the same bytes are already logged, then returns its index, a signed
   * checkpoint of the current tree and the inclusion proof against it.
   */
  append(entry: Uint8Array): Promise<LogAppendResult> {
    return this.#serial(async () => {
      const leaves = await this.#load();
      const store = this.#options.store;
      const hash = leafHash(entry);
      // Idempotency comes from the entries themselves (the map is rebuilt from them on load), so a
      // crash between writing an entry and its by-hash pointer cannot produce a duplicate.
      const existing = this.#indexByLeaf.get(toHex(hash));
      let index: number;
      let appended = false;
      if (existing !== undefined) {
        index = existing;
      } else {
        index = leaves.length;
        const entryKey = this.#key(`entries/${pad(index)}`);
        if (await store.exists(entryKey)) {
          this.#leaves = undefined;
          throw new SegError({
            error_code: 'SEG_CONFLICT',
            message: 'log entry already written by another writer',
            details: { index },
          });
        }
        await store.put(entryKey, entry, { content_type: 'application/json' });
        await store.put(this.#key(`by-hash/${sha256Hex(entry)}`), new TextEncoder().encode(String(index)), {
          content_type: 'text/plain',
        });
        leaves.push(hash);
        this.#indexByLeaf.set(toHex(hash), index);
        appended = true;
      }
      const checkpoint = await this.checkpoint();
      await store.put(this.#key('checkpoint'), new TextEncoder().encode(checkpoint), {
        content_type: 'text/plain',
      });
      return {
        index,
        appended,
        leaf_hash: leaves[index] as Uint8Array,
        checkpoint,
        tree_size: leaves.length,
        inclusion_proof: inclusionProof(index, leaves),
        uri: this.entryUri(index),
      };
    });
  }

  /** The current tree head (origin, size, root). */
  async treeHead(size?: number): Promise<TreeHead> {
    const leaves = await this.#load();
    const n = size ?? leaves.length;
    if (!Number.isInteger(n) || n < 0 || n > leaves.length) throw new RangeError('tree size outside the log');
    return { origin: this.#options.origin, size: n, root: merkleRoot(leaves.slice(0, n)) };
  }

  /** A freshly signed C2SP checkpoint of the current tree. */
  async checkpoint(): Promise<string> {
    return signCheckpoint(await this.treeHead(), this.#options.signer);
  }

  /** Inclusion proof of entry `index` in the tree of size `treeSize` (default: the current size). */
  async inclusionProof(index: number, treeSize?: number): Promise<Uint8Array[]> {
    const leaves = await this.#load();
    return inclusionProof(index, leaves.slice(0, treeSize ?? leaves.length));
  }

  /** Consistency proof from the tree of `oldSize` to the tree of `newSize` (default: the current size). */
  async consistencyProof(oldSize: number, newSize?: number): Promise<Uint8Array[]> {
    const leaves = await this.#load();
    const n = newSize ?? leaves.length;
    if (!Number.isInteger(n) || n > leaves.length) throw new RangeError('tree size outside the log');
    return consistencyProof(oldSize, leaves.slice(0, n));
  }
}
