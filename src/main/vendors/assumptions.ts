/**
 * The shape of each vendor's assumption register (`<vendor>/assumptions.ts`): every behaviour no
 * published source confirms, what the adapter assumes, the plausible alternatives, and the
 * connection option that switches it. Adapters read such guesses only through `choose`.
 */
import { VendorError } from './errors'
import type { Vendor } from '../../shared/model'

export interface Assumption<V extends string = string> {
  /** What the vendor is assumed to do. */
  behaviour: string
  assumed: V
  alternatives: readonly V[]
  /**
   * The connection option (`connection.options[option]`) that picks another value; null where the
   * adapter copes with every alternative by itself, so nothing needs switching.
   */
  option: string | null
  /** Inferred from something published, or unknown. */
  status: 'inferred' | 'unknown'
  /** Where the guess comes from, and what would settle it. */
  basis: string
  /** Any non-empty value is accepted (a path), not only the listed ones. */
  free?: boolean
  /**
   * Types (or `Type.field`) the vendor's partial schema marks `# INFERRED` that the simulator serves
   * because of this entry: the simulator's SDL may take an inferred shape only where an entry
   * names it (test/schemas/simulator-sdl.test.ts).
   */
  inferredShapes?: readonly string[]
}

export type Register = Record<string, Assumption>

export type Chosen<R extends Register> = {
  [K in keyof R]: R[K]['assumed'] | R[K]['alternatives'][number]
}

/** The value of every assumption for a connection: the option's value where set, else the assumed one. */
export function choose<R extends Register>(
  vendor: Vendor,
  register: R,
  options: Record<string, string>,
): Chosen<R> {
  const out: Record<string, string> = {}
  for (const [key, a] of Object.entries(register)) {
    const given = a.option ? options[a.option]?.trim() : undefined
    if (!given) {
      out[key] = a.assumed
      continue
    }
    if (!a.free && given !== a.assumed && !a.alternatives.includes(given)) {
      throw new VendorError(
        'invalid',
        `The connection setting "${a.option}" must be one of: ${[a.assumed, ...a.alternatives].join(', ')}.`,
        {
          vendor,
          operation: 'settings',
          fields: [{ field: a.option!, message: `"${given}" is not one of them` }],
        },
      )
    }
    out[key] = given
  }
  return out as Chosen<R>
}
