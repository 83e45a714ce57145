import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from '@neurocipher/seg-ports';
import { toHex } from '../encoding/bytes.ts';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';

// RFC 6962 reference vectors (certificate-transparency merkle_tree_test.cc, also used by Trillian).
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => new Uint8Array(Buffer.from(h, 'hex')));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_PATHS: [number, number, string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
];

/** Leaves of a tree of any size, distinct per index. */
const leaves = (n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => leafHash(new TextEncoder().encode(`entry-${i}`)));

describe('merkle (RFC 9162 §2.1)', () => {
  it('reproduces the RFC 6962 reference roots and the empty root', () => {
    const hashes = CT_LEAVES.map(leafHash);
    CT_ROOTS.forEach((root, i) => expect(toHex(merkleRoot(hashes.slice(0, i + 1)))).toBe(root));
    expect(toHex(merkleRoot([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('reproduces the reference audit paths, which verify', () => {
    const hashes = CT_LEAVES.map(leafHash);
    for (const [index, size, path] of CT_PATHS) {
      const proof = inclusionProof(index, hashes.slice(0, size));
      expect(proof.map(toHex)).toEqual(path);
      expect(verifyInclusion(hashes[index]!, index, size, proof, merkleRoot(hashes.slice(0, size)))).toBe(
        true,
      );
    }
  });

  it('verifies every inclusion proof of trees up to 33 leaves, and rejects wrong ones', () => {
    for (let n = 1; n <= 33; n++) {
      const l = leaves(n);
      const root = merkleRoot(l);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(i, l);
        expect(verifyInclusion(l[i]!, i, n, proof, root)).toBe(true);
        if (n > 1) {
          expect(verifyInclusion(l[i]!, (i + 1) % n, n, proof, root)).toBe(false);
          expect(verifyInclusion(l[i]!, i, n, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(l[i]!, i, n, [...proof, root], root)).toBe(false);
        }
        expect(verifyInclusion(nodeHash(l[i]!, l[i]!), i, n, proof, root)).toBe(false);
      }
    }
    expect(verifyInclusion(leaves(1)[0]!, 1, 1, [], merkleRoot(leaves(1)))).toBe(false);
    expect(() => inclusionProof(3, leaves(3))).toThrow(RangeError);
  });

  it('verifies every consistency proof between prefixes up to 20 leaves, and rejects wrong ones', () => {
    for (let n = 1; n <= 20; n++) {
      const l = leaves(n);
      const newRoot = merkleRoot(l);
      for (let m = 0; m <= n; m++) {
        const oldRoot = merkleRoot(l.slice(0, m));
        const proof = consistencyProof(m, l);
        expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
        if (m > 0 && m < n) {
          expect(verifyConsistency(m, n, merkleRoot(leaves(m + 1).slice(1)), newRoot, proof)).toBe(false);
          expect(verifyConsistency(m, n, oldRoot, oldRoot, proof)).toBe(false);
          expect(verifyConsistency(m, n, oldRoot, newRoot, [])).toBe(false);
          expect(verifyConsistency(m, n, oldRoot, newRoot, [...proof, newRoot])).toBe(false);
        }
      }
    }
    expect(verifyConsistency(3, 2, new Uint8Array(32), new Uint8Array(32), [])).toBe(false);
    expect(verifyConsistency(2, 2, merkleRoot(leaves(2)), merkleRoot(leaves(2)), [new Uint8Array(32)])).toBe(
      false,
    );
    expect(() => consistencyProof(5, leaves(3))).toThrow(RangeError);
  });

  it('uses the domain-separated hashes of RFC 9162', () => {
    const sha = (b: Buffer): string => sha256Hex(b);
    expect(toHex(leafHash(Uint8Array.of(7)))).toBe(sha(Buffer.from([0, 7])));
    expect(toHex(nodeHash(Uint8Array.of(1), Uint8Array.of(2)))).toBe(sha(Buffer.from([1, 1, 2])));
  });
});
