/**
 * Answers remembered by their whole question (the key). The day book at size asks Intl the same few
 * hundred questions (a time, a local minute, a date of birth) thousands of times a render, and
 * each costs microseconds. Bounded: cleared when full, so a long session keeps only recent ones.
 */
const LIMIT = 20_000

export function remembered<T>(cache: Map<string, T>, key: string, make: () => T): T {
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  if (cache.size >= LIMIT) cache.clear()
  const made = make()
  cache.set(key, made)
  return made
}
