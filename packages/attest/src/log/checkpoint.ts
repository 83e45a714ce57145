import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64, encodeBase64 } from '../encoding/base64.ts';
import { bytesEqual, concatBytes, toHex, utf8 } from '../encoding/bytes.ts';
import { verifyEd25519 } from '../keys/ed25519.ts';

/** A tree head: the log's origin line, size and root hash (C2SP tlog-checkpoint body). */
export interface TreeHead {
  origin: string;
  size: number;
  root: Uint8Array;
}

/** Signs note text with an Ed25519 key (raw 64-byte signature). */
export interface NoteSigner {
  /** The key name (for a log: its origin). */
  readonly name: string;
  /** The 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/** C2SP signed-note key id of an Ed25519 key: `SHA-256(name || 0x0A || 0x01 || pub)[:4]`. */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, 0x01), publicKey)).slice(0, 4);
}

/** The C2SP verifier key string `<name>+<hex key id>+<base64(0x01 || pub)>` (as Go's `note` reads it). */
export function noteVerifierKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${toHex(noteKeyId(name, publicKey))}+${encodeBase64(concatBytes(Uint8Array.of(1), publicKey))}`;
}

/** The checkpoint body: `<origin>\n<size>\n<base64 root>\n`. */
export function checkpointBody(head: TreeHead): string {
  if (head.origin.length === 0 || head.origin.includes('\n'))
    throw new RangeError('origin must be one non-empty line');
  return `${head.origin}\n${head.size}\n${encodeBase64(head.root)}\n`;
}

/**
 * Signs note text (C2SP signed-note): the text (ending in a newline), a blank line, then
 * `— <name> <base64(key id || Ed25519 signature over the text)>`.
 */
export async function signNote(text: string, signer: NoteSigner): Promise<string> {
  if (!text.endsWith('\n')) throw new RangeError('note text must end with a newline');
  const signature = await signer.sign(utf8(text));
  const blob = encodeBase64(concatBytes(noteKeyId(signer.name, signer.publicKey), signature));
  return `${text}\n\u2014 ${signer.name} ${blob}\n`;
}

/**
 * The text of a signed note when a signature line by the Ed25519 key (`name`, `publicKey`)
 * verifies over it; `undefined` otherwise (malformed note, other keys only, bad signature).
 */
export function verifyNote(note: string, name: string, publicKey: Uint8Array): string | undefined {
  const cut = note.lastIndexOf('\n\n');
  if (cut < 0) return undefined;
  const text = note.slice(0, cut + 1);
  const keyId = noteKeyId(name, publicKey);
  const signed = note
    .slice(cut + 2)
    .split('\n')
    .filter((line) => line !== '')
    .some((line) => {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      const blob = m && m[1] === name ? decodeBase64(m[2] as string) : undefined;
      return (
        blob !== undefined &&
        blob.length === 68 &&
        bytesEqual(blob.slice(0, 4), keyId) &&
        verifyEd25519(blob.slice(4), utf8(text), publicKey)
      );
    });
  return signed ? text : undefined;
}

/** A signed checkpoint in the C2SP tlog-checkpoint format: the checkpoint body as a signed note. */
export async function signCheckpoint(head: TreeHead, signer: NoteSigner): Promise<string> {
  return signNote(checkpointBody(head), signer);
}

/**
 * Verifies a signed checkpoint against one Ed25519 note key and returns its tree head, or
 * `undefined` when the note is malformed or no signature line by that key verifies.
 */
export function verifyCheckpoint(note: string, name: string, publicKey: Uint8Array): TreeHead | undefined {
  const text = verifyNote(note, name, publicKey);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  if (lines.length !== 4) return undefined;
  const [origin, sizeText, rootText] = lines as [string, string, string];
  const root = decodeBase64(rootText);
  if (!/^(0|[1-9]\d*)$/.test(sizeText) || !root || root.length !== 32 || origin === '') return undefined;
  return { origin, size: Number(sizeText), root };
}

/** A note signer named `name` over an Ed25519 key that exposes its raw public key (e.g. `Ed25519Signer`). */
export function noteSigner(
  name: string,
  key: { publicKey: Uint8Array; sign(message: Uint8Array): Promise<Uint8Array> },
): NoteSigner {
  return { name, publicKey: key.publicKey, sign: (message) => key.sign(message) };
}
