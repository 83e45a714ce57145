import { SegError, type ConfigDoc, type EvidencePointer } from '@neurocipher/seg-contracts';
import { sha256Hex, type EvidenceRecorder } from './evidence-recorder.ts';

/** One recorded capture of an asset's config: the ConfigDoc blob and the raw-responses blob. */
export interface CaptureRecord {
  captured_at: string;
  doc: EvidencePointer;
  raw: EvidencePointer;
}

const PREFIX = 'config-history';

function urnKey(urn: string): string {
  return sha256Hex(new TextEncoder().encode(urn));
}

/**
 * The time line of every config the adapter captured, kept in the blob store: an index entry
 * `config-history/<sha256(urn)>/<captured_at>` pointing at the evidence blobs. It answers
 * `get_config(ref, at)` for past instants, which the AWS APIs (and moto, notes/moto.md §1.1) cannot.
 */
export class ConfigHistory {
  readonly #evidence: EvidenceRecorder;

  constructor(options: { evidence: EvidenceRecorder }) {
    this.#evidence = options.evidence;
  }

  /** Records a capture: stores the doc and the raw responses as evidence, then indexes them. */
  async record(doc: ConfigDoc, raw: Record<string, unknown>): Promise<CaptureRecord> {
    const [docPtr, rawPtr] = await Promise.all([
      this.#evidence.put(doc),
      this.#evidence.put({ asset: doc.asset, captured_at: doc.captured_at, responses: raw }),
    ]);
    const rec: CaptureRecord = { captured_at: doc.captured_at, doc: docPtr, raw: rawPtr };
    const key = `${PREFIX}/${urnKey(doc.asset.urn)}/${new Date(doc.captured_at).toISOString()}`;
    await this.#evidence.store.put(key, new TextEncoder().encode(JSON.stringify(rec)), {
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
      const page = await this.#evidence.store.list(prefix, cursor ? { cursor } : {});
      for (const k of page.keys) {
        const ts = k.slice(prefix.length);
        if (bound === undefined || ts <= bound) best = k;
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    if (!best) return undefined;
    return JSON.parse(new TextDecoder().decode(await this.#evidence.store.get(best))) as CaptureRecord;
  }

  /** The ConfigDoc of a capture, verified against its hash. */
  async doc(rec: CaptureRecord): Promise<ConfigDoc> {
    const doc = await this.#evidence.read(rec.doc);
    if (!doc || typeof doc !== 'object') {
      throw new SegError({ error_code: 'SEG_INTERNAL', message: 'recorded config is not an object' });
    }
    return doc as ConfigDoc;
  }
}
