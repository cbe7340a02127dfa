/**
 * The order of an associative array's keys, as bash 5.2 lists them for
 * `${!a[@]}` and `${a[@]}`: bash keeps them in its hash table (hashlib.c),
 * and walks the buckets in order, each chain from its head.
 *
 * - the hash is 32-bit FNV-1 over the key's bytes, each byte XORed as a
 *   (signed) `char`, so bytes >= 0x80 are sign-extended;
 * - a new array has 1024 buckets (`ASSOC_HASH_BUCKETS`); the bucket is
 *   `hash & (buckets - 1)`;
 * - a new key goes to the head of its bucket's chain; re-assigning a key
 *   leaves it in place; `unset 'a[k]'` unlinks it;
 * - before inserting into a table holding >= 2 * buckets entries, bash
 *   grows it to 4 * buckets, moving the entries bucket by bucket, each chain
 *   from its head, to the head of their new chains;
 * - a compound assignment (`a=(...)`) empties the table but keeps its size.
 *
 * The evaluator keeps an array's values in a `Map` (insertion order); this
 * module shadows each `Map` with bash's table, updated by the few places
 * that add or remove keys. A `Map` with no shadow (or one that went out of
 * step) is replayed from its insertion order, which is exact when no key was
 * removed while the table had grown; otherwise the order is refused.
 *
 * @module
 */

import { refuse } from "./refusal.ts";

const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;
/** Buckets of a new associative array (bash's `ASSOC_HASH_BUCKETS`). */
export const ASSOC_HASH_BUCKETS = 1024;

const encoder = new TextEncoder();

/** bash's `hash_string`: FNV-1 over the bytes as signed chars. */
export function bashHash(key: string): number {
  let h = FNV_OFFSET;
  for (const b of encoder.encode(key)) {
    h = Math.imul(h, FNV_PRIME) >>> 0;
    h = (h ^ (b >= 0x80 ? b | 0xffffff00 : b)) >>> 0;
  }
  return h;
}

interface Table {
  buckets: number;
  /** Chains by bucket index; element 0 is the chain's head. */
  chains: Map<number, string[]>;
  keys: Set<string>;
}

const tables = new WeakMap<Map<string, string>, Table>();

function newTable(buckets: number): Table {
  return { buckets, chains: new Map(), keys: new Set() };
}

function grow(t: Table): void {
  const size = t.buckets * 4;
  const chains = new Map<number, string[]>();
  for (const i of [...t.chains.keys()].sort((a, b) => a - b)) {
    for (const k of t.chains.get(i)!) {
      const j = bashHash(k) & (size - 1);
      const c = chains.get(j);
      if (c) c.unshift(k);
      else chains.set(j, [k]);
    }
  }
  t.buckets = size;
  t.chains = chains;
}

function insert(t: Table, key: string): void {
  if (t.keys.has(key)) return;
  if (t.keys.size >= t.buckets * 2) grow(t);
  const i = bashHash(key) & (t.buckets - 1);
  const c = t.chains.get(i);
  if (c) c.unshift(key);
  else t.chains.set(i, [key]);
  t.keys.add(key);
}

/** Replays a map's keys in insertion order into a new table of `buckets`. */
function replay(m: Map<string, string>, buckets = ASSOC_HASH_BUCKETS): Table {
  const t = newTable(buckets);
  for (const k of m.keys()) insert(t, k);
  return t;
}

function tableOf(m: Map<string, string>): Table {
  let t = tables.get(m);
  if (!t) tables.set(m, t = replay(m));
  return t;
}

/** Call after `m.set(key, ...)` on an associative array's map. */
export function noteAssocSet(m: Map<string, string>, key: string): void {
  insert(tableOf(m), key);
}

/** Call before `m.delete(key)` on an associative array's map. */
export function noteAssocDelete(m: Map<string, string>, key: string): void {
  const t = tableOf(m);
  if (!t.keys.has(key)) return;
  const i = bashHash(key) & (t.buckets - 1);
  const c = t.chains.get(i)!;
  c.splice(c.indexOf(key), 1);
  if (!c.length) t.chains.delete(i);
  t.keys.delete(key);
}

/** A compound assignment replaces `old` by the empty `fresh`: bash keeps the table's size. */
export function noteAssocFlush(old: Map<string, string> | undefined, fresh: Map<string, string>) {
  const buckets = old ? tableOf(old).buckets : ASSOC_HASH_BUCKETS;
  const t = newTable(buckets);
  for (const k of fresh.keys()) insert(t, k);
  tables.set(fresh, t);
}

/** Gives the copy `to` of `from` its own copy of the table. */
export function noteAssocCopy(from: Map<string, string>, to: Map<string, string>): void {
  const t = tables.get(from);
  if (!t) return;
  tables.set(to, {
    buckets: t.buckets,
    chains: new Map([...t.chains].map(([i, c]) => [i, [...c]])),
    keys: new Set(t.keys),
  });
}

/** The keys of an associative array's map in bash's order. */
export function assocKeys(m: Map<string, string>): string[] {
  if (m.size <= 1) return [...m.keys()];
  let t = tables.get(m);
  if (!t || t.keys.size !== m.size || [...m.keys()].some((k) => !t!.keys.has(k))) {
    // Out of step (a change this module did not see): replaying the insertion
    // order is exact unless the table had grown before a key was removed.
    if (t && t.buckets !== ASSOC_HASH_BUCKETS) {
      refuse(
        "associative array order",
        "the order of an associative array's keys after its hash table grew",
      );
    }
    tables.set(m, t = replay(m));
  }
  const out: string[] = [];
  for (const i of [...t.chains.keys()].sort((a, b) => a - b)) out.push(...t.chains.get(i)!);
  return out;
}
