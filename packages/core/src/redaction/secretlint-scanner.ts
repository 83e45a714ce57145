// Detection by value with secretlint's recommended preset, a rule set maintained upstream
// (`@secretlint/secretlint-rule-preset-recommend`): many texts are joined into one source and linted in
// one call, and each reported range is mapped back to the texts it covers.
import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import { addSpan } from './secret-patterns.ts';
import type { JoinedTexts, SecretSpan } from './secret-patterns.ts';

// The preset as shipped, but without `filter-comments`: a `secretlint-disable` comment is data here, and
// data must not be able to switch detection off.
const CONFIG: SecretLintCoreConfig = {
  rules: [
    {
      id: recommended.meta.id,
      rule: recommended,
      rules: [{ id: '@secretlint/secretlint-rule-filter-comments', disabled: true }],
    },
  ],
};

// A range may stop short of the token it reports (some rules report the label's start with the secret's
// length); it is widened to the whole run of token characters around it.
const TOKEN = /[A-Za-z0-9+/=_.~-]/;

function widen(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s > 0 && TOKEN.test(text[s - 1]!)) s -= 1;
  while (e < text.length && TOKEN.test(text[e]!)) e += 1;
  return [s, e];
}

/** `AWSSecretAccessKey` or `GITHUB_TOKEN` → `aws_secret_access_key`, `github_token`. */
function kindOf(messageId: string): string {
  return messageId
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Lints joined texts in one secretlint call; for each text, the spans the preset reports in it. */
export async function secretlintSpans(joined: JoinedTexts): Promise<(SecretSpan[] | undefined)[]> {
  const out: (SecretSpan[] | undefined)[] = new Array<SecretSpan[] | undefined>(joined.texts.length);
  if (joined.texts.length === 0) return out;
  // A range that spans several texts (no rule should) is applied to each of them.
  const result = await lintSource({
    source: { content: joined.content, filePath: 'seg-redaction.txt', ext: '.txt', contentType: 'text' },
    options: { config: CONFIG, noPhysicFilePath: true, maskSecrets: true },
  });
  for (const message of result.messages) {
    if (message.type !== 'message') continue;
    addSpan(joined, out, message.range[0], message.range[1], kindOf(message.messageId), widen);
  }
  return out;
}
