/**
 * A small seeded generator (mulberry32): the same seed replays the same
 * choices, so a failing trial can be run again by its seed.
 */
export interface SeededRandom {
  /** In [0, 1). */
  readonly next: () => number
  /** An integer in [min, max]. */
  readonly between: (min: number, max: number) => number
  /** An integer in [0, max). */
  readonly int: (max: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  readonly bytes: (length: number) => Uint8Array
  /** 1 to `maxLength` characters of `alphabet`, by code points so an emoji stays whole. */
  readonly string: (alphabet: string, maxLength: number) => string
}

export const seededRandom = (seed: number): SeededRandom => {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <A>(items: ReadonlyArray<A>): A => {
    const item = items[between(0, items.length - 1)]
    if (item === undefined) throw new Error("pick from an empty list")
    return item
  }
  return {
    next,
    between,
    int: (max) => between(0, max - 1),
    pick,
    bytes: (length) => Uint8Array.from({ length }, () => between(0, 255)),
    string: (alphabet, maxLength) => {
      const characters = Array.from(alphabet)
      return Array.from({ length: between(1, maxLength) }, () => pick(characters)).join("")
    }
  }
}

/** A seed for a run that was not given one; printed so the run can be replayed. */
export const freshSeed = (): number => Math.floor(Math.random() * 2 ** 31)
