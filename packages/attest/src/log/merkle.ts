import { sha256 } from '@noble/hashes/sha2.js';
import { bytesEqual, concatBytes } from '../encoding/bytes.ts';

// RFC 9162 §2.1 (identical to RFC 6962 §2.1). Sizes and indices are JS numbers; bit tests use
// arithmetic, not `&`/`>>`, so they stay exact past 2^31.

/** `SHA-256(0x00 || leaf)`: the hash of a log entry. */
export function leafHash(leaf: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(0), leaf));
}

/** `SHA-256(0x01 || left || right)`: the hash of an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(Uint8Array.of(1), left, right));
}

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The Merkle tree hash MTH of the leaves whose hashes are given (MTH of no leaves is SHA-256("")). */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Uint8Array {
  const n = leafHashes.length;
  if (n === 0) return sha256(new Uint8Array(0));
  if (n === 1) return leafHashes[0] as Uint8Array;
  const k = split(n);
  return nodeHash(merkleRoot(leafHashes.slice(0, k)), merkleRoot(leafHashes.slice(k)));
}

/** The inclusion proof PATH(m, D[n]) of leaf `index` in the tree of the given leaf hashes. */
export function inclusionProof(index: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  const n = leafHashes.length;
  if (!Number.isInteger(index) || index < 0 || index >= n)
    throw new RangeError('leaf index outside the tree');
  if (n === 1) return [];
  const k = split(n);
  if (index < k) return [...inclusionProof(index, leafHashes.slice(0, k)), merkleRoot(leafHashes.slice(k))];
  return [...inclusionProof(index - k, leafHashes.slice(k)), merkleRoot(leafHashes.slice(0, k))];
}

function subproof(m: number, leaves: readonly Uint8Array[], complete: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [merkleRoot(leaves)];
  const k = split(n);
  if (m <= k) return [...subproof(m, leaves.slice(0, k), complete), merkleRoot(leaves.slice(k))];
  return [...subproof(m - k, leaves.slice(k), false), merkleRoot(leaves.slice(0, k))];
}

/** The consistency proof PROOF(m, D[n]) between the first `oldSize` leaves and all of them. */
export function consistencyProof(oldSize: number, leafHashes: readonly Uint8Array[]): Uint8Array[] {
  if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > leafHashes.length) {
    throw new RangeError('old tree size outside the tree');
  }
  if (oldSize === 0 || oldSize === leafHashes.length) return [];
  return subproof(oldSize, leafHashes, true);
}

const odd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2: does `proof` show leaf `index` with hash `leaf` in the tree of `treeSize` with `root`? */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(treeSize) || index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!odd(fn) && fn !== 0);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(r, root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (`oldSize`, `oldRoot`) is a prefix of (`newSize`, `newRoot`)? */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isInteger(oldSize) || !Number.isInteger(newSize) || oldSize < 0 || oldSize > newSize)
    return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path = [...proof];
  // When the old tree is a perfect subtree its root is the first node of the path.
  if (Number.isInteger(Math.log2(oldSize))) path = [oldRoot, ...path];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!odd(fn) && fn !== 0);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}
