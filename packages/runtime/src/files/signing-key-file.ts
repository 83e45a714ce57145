import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, linkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Ed25519Signer } from '@neurocipher/seg-attest';
import { fileError, makeUserDirSync, readUserFileSync } from './user-files.ts';

/** The public key file (`.pub`) written beside a signing key file. */
export function publicKeyPathOf(signingKeyPath: string): string {
  return signingKeyPath.replace(/\.pem$/, '') + '.pub';
}

// Writes `text` to `path` atomically: a temporary file (mode 0600) linked into place when `exclusive`
// (EEXIST when the path exists: another process won), else renamed over it.
function writeAtomic(path: string, text: string, exclusive: boolean): void {
  const tmp = `${path}.tmp-${randomUUID()}`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  try {
    if (exclusive) linkSync(tmp, path);
    else renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Writes `pem` to `path` (atomically) unless the file already holds exactly it. */
export function writePublicKeyFile(path: string, pem: string): void {
  if (existsSync(path) && readUserFileSync('public key', path) === pem) return;
  try {
    makeUserDirSync('folder of the public key', dirname(path));
    writeAtomic(path, pem, false);
  } catch (error) {
    throw fileError('public key', path, error, { action: 'written' });
  }
}

/**
 * Reads the Ed25519 signing key at `path`, or creates it (mode 0600) on first use, and writes its public
 * key beside it ({@link publicKeyPathOf}). Concurrent first uses (scans started together on a new home)
 * agree on one key: the key file is created exclusively, and a process that loses the race uses the
 * winner's key.
 */
export function ed25519KeyFile(path: string): { signer: Ed25519Signer; publicKeyPath: string } {
  const publicKeyPath = publicKeyPathOf(path);
  if (!existsSync(path)) {
    makeUserDirSync('folder of the signing key', dirname(path));
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeAtomic(path, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), true);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw fileError('signing key', path, error, { action: 'created' });
    }
  }
  const signer = new Ed25519Signer({ privateKey: readUserFileSync('signing key', path) });
  writePublicKeyFile(publicKeyPath, signer.publicKeyPem());
  return { signer, publicKeyPath };
}
