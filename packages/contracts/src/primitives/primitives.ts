import { z } from 'zod';

/**
 * Pydantic's `AwareDatetime`: an RFC 3339 timestamp that carries `Z` or a numeric offset.
 * A naive timestamp (no offset) is rejected. Kept as the string it was given, so JSON round trips are exact.
 */
export const AwareDatetimeSchema = z.iso.datetime({ offset: true }).meta({ id: 'AwareDatetime' });
/** An RFC 3339 timestamp with an offset. */
export type AwareDatetime = z.infer<typeof AwareDatetimeSchema>;

/**
 * An instant as RFC 3339 UTC text with the shortest exact fraction (`…:09.86Z`, `…:09Z`): the form the
 * lakehouse gives a timestamp back in, so a run summary written with it reads back byte for byte (what
 * its attestation's summary digest is checked against).
 */
export function instantText(at: Date): string {
  const iso = at.toISOString();
  return iso.replace(/\.?0+Z$/, 'Z');
}

/** Pydantic's `HttpUrl`: an absolute http or https URL with a host. */
export const HttpUrlSchema = z
  .url({ protocol: /^https?$/, normalize: false })
  .regex(/^https?:\/\/[^\s/?#]+/)
  .meta({ id: 'HttpUrl' });
/** An absolute http(s) URL. */
export type HttpUrl = z.infer<typeof HttpUrlSchema>;

/** An RFC 9562 UUID in its canonical lowercase-or-uppercase hyphenated text form. */
export const UuidSchema = z.uuid().meta({ id: 'UUID' });
/** A UUID string. */
export type Uuid = z.infer<typeof UuidSchema>;

/** A sha256 digest as 64 lowercase hex characters. */
export const Sha256HexSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'must be a sha256 digest: 64 lowercase hex characters')
  .meta({ id: 'Sha256Hex' });
/** A lowercase sha256 hex digest. */
export type Sha256Hex = z.infer<typeof Sha256HexSchema>;

/** Spec §7 `Severity`. */
export const SeveritySchema = z.enum(['critical', 'high', 'medium', 'low', 'info']).meta({ id: 'Severity' });
/** critical | high | medium | low | info */
export type Severity = z.infer<typeof SeveritySchema>;

/** Spec §7 `Result`. */
export const ResultSchema = z
  .enum(['pass', 'warn', 'fail', 'error', 'not_applicable'])
  .meta({ id: 'Result' });
/** pass | warn | fail | error | not_applicable */
export type Result = z.infer<typeof ResultSchema>;

/** Spec §7 `Mode`. */
export const ModeSchema = z.enum(['plan', 'apply']).meta({ id: 'Mode' });
/** plan | apply */
export type Mode = z.infer<typeof ModeSchema>;

/** The providers an asset may come from (spec §7 `Asset.provider`). */
export const ProviderSchema = z.enum(['aws', 'azure', 'gcp', 'onprem', 'other']).meta({ id: 'Provider' });
/** aws | azure | gcp | onprem | other */
export type Provider = z.infer<typeof ProviderSchema>;
