// The detectors by value over many texts at once, shared by the redactor and its worker thread.
import { applySpans, entropySpans, joinTexts, patternSpans } from './secret-patterns.ts';
import type { JoinedTexts, SecretSpan } from './secret-patterns.ts';
import { secretlintSpans } from './secretlint-scanner.ts';

/** What one text became: its index among the texts judged, the redacted text and the kinds it lost. */
export interface TextVerdict {
  index: number;
  text: string;
  counts: [kind: string, count: number][];
}

/**
 * Runs the detectors by value over `texts`, `batchSize` at a time: the pattern rules first, then
 * secretlint's preset on what they left, then the entropy check, each in one pass over the batch joined
 * (so a token the preset knows is named by its kind). Returns the texts that lost something, in order.
 */
export async function judgeTexts(texts: readonly string[], batchSize: number): Promise<TextVerdict[]> {
  const out: TextVerdict[] = [];
  for (let from = 0; from < texts.length; from += batchSize) {
    const batch = texts.slice(from, from + batchSize);
    // What each text lost, by kind (only texts that lost something have an entry).
    const counts: (Map<string, number> | undefined)[] = [];
    // Applies a stage's spans; the joined texts are rebuilt only when the stage changed some text.
    const stage = (joined: JoinedTexts, spans: (SecretSpan[] | undefined)[]): JoinedTexts => {
      if (!spans.some((s) => s !== undefined)) return joined;
      return joinTexts(
        joined.texts.map((t, i) => (spans[i] ? applySpans(t, spans[i], (counts[i] ??= new Map())) : t)),
      );
    };
    let joined = joinTexts(batch);
    joined = stage(joined, patternSpans(joined));
    joined = stage(joined, await secretlintSpans(joined));
    joined = stage(joined, entropySpans(joined));
    for (let i = 0; i < batch.length; i++) {
      const lost = counts[i];
      if (lost) out.push({ index: from + i, text: joined.texts[i]!, counts: [...lost] });
    }
  }
  return out;
}
