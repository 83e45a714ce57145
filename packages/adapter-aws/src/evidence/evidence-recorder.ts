import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { SegError, isSegError, type EvidencePointer } from '@neurocipher/seg-contracts';
import type { BlobStore, Redactor } from '@neurocipher/seg-ports';

/** Media type of the canonical JSON evidence blobs this adapter writes. */
export const EVIDENCE_MEDIA_TYPE = 'application/json';

/** The content-addressed key of a blob: `sha256/<first two hex>/<hash>` (DESIGN.md §7). */
export function evidenceKey(hash: string): string {
  return `sha256/${hash.slice(0, 2)}/${hash}`;
}

/** Lowercase hex sha256 of bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** RFC 8785 canonical JSON bytes of a value (stable key order, so equal content gives an equal hash). */
export function canonicalBytes(value: unknown): Uint8Array {
  const text = canonicalize(value);
  if (text === undefined) {
    throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'evidence is not JSON-serialisable' });
  }
  return new TextEncoder().encode(text);
}

/** Options of {@link EvidenceRecorder}. */
export interface EvidenceRecorderOptions {
  store: BlobStore;
  /** Removes secrets from every value before it is canonicalised and hashed (core's `SecretRedactor`). */
  redactor: Redactor;
}

/**
 * Stores evidence (raw API responses, change-set previews, captured pre-states) as redacted canonical
 * JSON blobs addressed by their sha256 through the BlobStore port, and verifies them on read (spec §8.1,
 * §24). What is stored, and so what is read back, is the redacted value.
 */
export class EvidenceRecorder {
  readonly #store: BlobStore;
  readonly #redactor: Redactor;

  /** Creates the recorder over a blob store and a redactor. */
  constructor(options: EvidenceRecorderOptions) {
    this.#store = options.store;
    this.#redactor = options.redactor;
  }

  /**
   * Redacts `value`, stores it and returns its pointer. Idempotent: equal content gives the same key and
   * hash.
   */
  async put(value: unknown): Promise<EvidencePointer> {
    const [redacted] = await this.#redactor.redact([value]);
    const bytes = canonicalBytes(redacted?.value);
    const hash = sha256Hex(bytes);
    try {
      await this.#store.put(evidenceKey(hash), bytes, { content_type: EVIDENCE_MEDIA_TYPE });
    } catch (cause) {
      if (isSegError(cause) && cause.error_code === 'SEG_EVIDENCE_WRITE_FAILED') throw cause;
      throw new SegError({
        error_code: 'SEG_EVIDENCE_WRITE_FAILED',
        message: 'could not store an evidence blob',
        details: { hash },
        cause,
      });
    }
    return { hash, media_type: EVIDENCE_MEDIA_TYPE };
  }

  /** Reads the blob behind `pointer`, checking its sha256; `SEG_ATTEST_VERIFY_FAILED` if it does not match. */
  async read(pointer: Pick<EvidencePointer, 'hash'>): Promise<unknown> {
    const bytes = await this.#store.get(evidenceKey(pointer.hash));
    const actual = sha256Hex(bytes);
    if (actual !== pointer.hash) {
      throw new SegError({
        error_code: 'SEG_ATTEST_VERIFY_FAILED',
        message: 'evidence blob does not match its hash',
        details: { expected: pointer.hash, actual },
      });
    }
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  }

  /** The underlying blob store (for the config-history index). */
  get store(): BlobStore {
    return this.#store;
  }
}
