import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { isSegError } from '@neurocipher/seg-contracts';
import {
  USER_FILE_MAX_BYTES,
  readUserBytes,
  readUserFile,
  readUserFileSync,
  writeUserFileSync,
} from './user-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'seg-file-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'folder'));
writeFileSync(join(dir, 'file'), 'x');

async function messageOf(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (error) {
    if (isSegError(error)) return `${error.error_code}: ${error.message} ${JSON.stringify(error.details)}`;
    throw error;
  }
  throw new Error('expected a SegError');
}

describe('user file helpers', () => {
  it('name the file, the path and the reason of a failed read', async () => {
    const folder = join(dir, 'folder');
    const missing = join(dir, 'missing');
    expect(await messageOf(() => readUserFile('config file', folder))).toBe(
      `SEG_INVALID_ARGUMENT: config file ${folder} cannot be read: illegal operation on a directory (EISDIR) {"path":"${folder}","errno":"EISDIR"}`,
    );
    expect(await messageOf(() => readUserFileSync('signing key', missing))).toBe(
      `SEG_INVALID_ARGUMENT: signing key ${missing} cannot be read: no such file or directory (ENOENT) {"path":"${missing}","errno":"ENOENT"}`,
    );
    expect(await messageOf(() => readUserBytes('envelope', folder))).toMatch(
      /^SEG_INVALID_ARGUMENT: envelope .* \(EISDIR\)/,
    );
  });

  it('name the file, the path and the reason of a failed write or folder', async () => {
    const folder = join(dir, 'folder');
    const under = join(dir, 'file', 'r.html');
    expect(await messageOf(() => writeUserFileSync('report', folder, 'x'))).toMatch(
      new RegExp(
        `^SEG_INVALID_ARGUMENT: report ${folder} cannot be written: illegal operation on a directory \\(EISDIR\\)`,
      ),
    );
    expect(await messageOf(() => writeUserFileSync('report', under, 'x'))).toMatch(
      /^SEG_INVALID_ARGUMENT: folder of the report .*\/file cannot be created: file already exists \(EEXIST\)/,
    );
  });

  it('write the file, creating its folder', () => {
    const path = join(dir, 'new', 'deep', 'out.txt');
    writeUserFileSync('report', path, 'ok');
    expect(readUserFileSync('report', path)).toBe('ok');
  });

  it('stop at 64 MiB, so a device that never ends (/dev/zero) is refused instead of filling the memory', async () => {
    const refused = /^SEG_INVALID_ARGUMENT: key \/dev\/zero cannot be read: it holds more than 64 MiB /;
    expect(await messageOf(() => readUserBytes('key', '/dev/zero'))).toMatch(refused);
    expect(await messageOf(() => readUserFileSync('key', '/dev/zero'))).toMatch(refused);
    const exact = join(dir, 'exact.bin');
    writeFileSync(exact, new Uint8Array(USER_FILE_MAX_BYTES));
    expect((await readUserBytes('key', exact)).length).toBe(USER_FILE_MAX_BYTES);
  });
});
