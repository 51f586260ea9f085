/** mulberry32: tiny, fast and the same on every machine, so a seed always grows the same clinic. */
export type Rng = () => number

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One independent stream per concern, so adding appointments never shifts the patients. */
export function stream(seed: number, name: string): Rng {
  let h = 2166136261 ^ (seed >>> 0)
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619)
  return mulberry32(h >>> 0)
}

export const int = (rng: Rng, min: number, maxInclusive: number) =>
  min + Math.floor(rng() * (maxInclusive - min + 1))

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T
}
