import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SegError } from '@neurocipher/seg-contracts';
import type { DataKey, KeyProvider } from '@neurocipher/seg-ports';
import { sha256Hex } from '@neurocipher/seg-ports';
import { aesGcmDecrypt, aesGcmEncrypt } from './envelope.ts';

// Creates the key file with fresh random bytes, or reads the one another process created first. The key
// is written whole to a temporary file and linked into place, so no reader ever sees a partial key.
async function createKeyFile(file: string): Promise<Uint8Array> {
  await mkdir(dirname(file), { recursive: true });
  const fresh = randomBytes(32);
  const tmp = `${file}.tmp-${randomBytes(8).toString('hex')}`;
  const h = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await h.writeFile(fresh);
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    await link(tmp, file);
    return fresh;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause;
    return readFile(file);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Options of {@link LocalKeyProvider}: a 32-byte master key, or a file holding it (created if missing). */
export type LocalKeyProviderOptions = { masterKey: Uint8Array } | { keyFile: string };

/**
 * {@link KeyProvider} with a local AES-256 master key (the embedded default; AWS KMS lives in adapter-aws).
 * Data keys are wrapped with AES-256-GCM under the master key.
 */
export class LocalKeyProvider implements KeyProvider {
  readonly #options: LocalKeyProviderOptions;
  #master: Promise<{ key: Uint8Array; id: string }> | undefined;

  /** Creates the provider; the key file is read (or created with mode 0600) on first use. */
  constructor(options: LocalKeyProviderOptions) {
    this.#options = options;
  }

  async #load(): Promise<{ key: Uint8Array; id: string }> {
    this.#master ??= (async () => {
      let key: Uint8Array;
      if ('masterKey' in this.#options) key = this.#options.masterKey;
      else {
        const file = this.#options.keyFile;
        try {
          key = await readFile(file).catch(async (cause: NodeJS.ErrnoException) => {
            if (cause.code !== 'ENOENT') throw cause;
            return createKeyFile(file);
          });
        } catch (cause) {
          throw new SegError({
            error_code: 'SEG_INVALID_ARGUMENT',
            message: `master key file ${file} cannot be read or created (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
            details: { path: file },
            cause,
          });
        }
      }
      if (key.length !== 32) {
        throw new SegError({
          error_code: 'SEG_INVALID_ARGUMENT',
          message: `local master key must be 32 bytes${'keyFile' in this.#options ? ` (${this.#options.keyFile})` : ''}`,
        });
      }
      const id = `local:${sha256Hex(key).slice(0, 16)}`;
      return { key, id };
    })();
    return this.#master;
  }

  /** A fresh 32-byte data key wrapped under the master key. */
  async generate_data_key(key_id?: string): Promise<DataKey> {
    const m = await this.#load();
    if (key_id !== undefined && key_id !== m.id) {
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `unknown master key ${key_id}` });
    }
    const plaintext = randomBytes(32);
    return { key_id: m.id, plaintext, ciphertext: aesGcmEncrypt(m.key, plaintext, Buffer.from(m.id)) };
  }

  /** Unwraps a data key; `SEG_INVALID_ARGUMENT` when it was tampered with or wrapped by another key. */
  async decrypt_data_key(key_id: string, ciphertext: Uint8Array): Promise<Uint8Array> {
    const m = await this.#load();
    if (key_id !== m.id)
      throw new SegError({ error_code: 'SEG_NOT_FOUND', message: `unknown master key ${key_id}` });
    try {
      return aesGcmDecrypt(m.key, ciphertext, Buffer.from(m.id));
    } catch (cause) {
      throw new SegError({ error_code: 'SEG_INVALID_ARGUMENT', message: 'data key does not unwrap', cause });
    }
  }
}
