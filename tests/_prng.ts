/**
 * A small seeded PRNG (mulberry32) for the randomized tests, so that a
 * failure reproduces from its seed.
 *
 * @module
 */

/** Returns a function giving the next number in [0, 1) of the sequence `seed` starts. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
