import { SegError, type ConfigDoc, type EvidencePointer } from '@neurocipher/seg-contracts';
import { sha256Hex, type BlobStore, type EvidenceSink } from '@neurocipher/seg-ports';
import { putJsonEvidence, readJsonEvidence } from '@neurocipher/seg-ports';

/** One recorded capture of an asset's config: the ConfigDoc blob and the raw-responses blob. */
export interface CaptureRecord {
  captured_at: string;
  doc: EvidencePointer;
  raw: EvidencePointer;
}

/** Options of {@link ConfigHistory}. */
export interface ConfigHistoryOptions {
  /** Where each captured ConfigDoc and its raw responses go: the evidence sink (redacted, hashed, stored). */
  evidence: EvidenceSink;
  /**
   * Where the time line itself is kept: adapter state, not evidence. It holds only the small index records
   * `config-history/<sha256(urn)>/<captured_at>` (a capture time and two pointers into the sink), never an
   * evidence body.
   */
  index: BlobStore;
}

const PREFIX = 'config-history';

function urnKey(urn: string): string {
  return sha256Hex(urn);
}

/**
 * The time line of every config the adapter captured. Each capture stores the ConfigDoc and the raw
 * responses behind it through the evidence sink, then an index record `config-history/<sha256(urn)>/<captured_at>`
 * in the index blob store pointing at them. It answers `get_config(ref, at)` for past instants, which the
 * AWS APIs (and moto, notes/moto.md §1.1) cannot.
 */
export class ConfigHistory {
  readonly #evidence: EvidenceSink;
  readonly #index: BlobStore;

  /** Creates the history over an evidence sink (bodies) and a blob store (its index). */
  constructor(options: ConfigHistoryOptions) {
    this.#evidence = options.evidence;
    this.#index = options.index;
  }

  /** Records a capture: stores the doc and the raw responses as evidence, then indexes them. */
  async record(doc: ConfigDoc, raw: Record<string, unknown>): Promise<CaptureRecord> {
    const [docPtr, rawPtr] = await Promise.all([
      putJsonEvidence(this.#evidence, doc),
      putJsonEvidence(this.#evidence, { asset: doc.asset, captured_at: doc.captured_at, responses: raw }),
    ]);
    const rec: CaptureRecord = { captured_at: doc.captured_at, doc: docPtr, raw: rawPtr };
    const key = `${PREFIX}/${urnKey(doc.asset.urn)}/${new Date(doc.captured_at).toISOString()}`;
    await this.#index.put(key, new TextEncoder().encode(JSON.stringify(rec)), {
      content_type: 'application/json',
    });
    return rec;
  }

  /** The latest capture at or before `at` (any time when null), or undefined when there is none. */
  async latest(urn: string, at: string | null): Promise<CaptureRecord | undefined> {
    const prefix = `${PREFIX}/${urnKey(urn)}/`;
    const bound = at === null ? undefined : new Date(at).toISOString();
    let best: string | undefined;
    let cursor: string | undefined;
    do {
      const page = await this.#index.list(prefix, cursor ? { cursor } : {});
      for (const k of page.keys) {
        const ts = k.slice(prefix.length);
        if (bound === undefined || ts <= bound) best = k;
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    if (!best) return undefined;
    return JSON.parse(new TextDecoder().decode(await this.#index.get(best))) as CaptureRecord;
  }

  /** The ConfigDoc of a capture, read through the sink (verified against its hash). */
  async doc(rec: CaptureRecord): Promise<ConfigDoc> {
    const doc = await readJsonEvidence(this.#evidence, rec.doc);
    if (!doc || typeof doc !== 'object') {
      throw new SegError({ error_code: 'SEG_INTERNAL', message: 'recorded config is not an object' });
    }
    return doc as ConfigDoc;
  }
}
