/**
 * Colours for appointment types on the day book: one of a fixed palette, chosen in settings per
 * clinic system and type, or picked from the type's id until someone chooses. None of the clinic
 * systems' published APIs gives a type its colour (Healthie's slots carry one, its types do not),
 * so Frontdesk keeps the choice itself. Every colour stands out at 3:1 or more against the white
 * and pale card backgrounds (WCAG 1.4.11 for non-text marks); the type is also written on the
 * card, in its tooltip and its spoken name, so colour is never the only sign.
 */
export const typeColourPalette = [
  { key: 'blue', label: 'Blue', hex: '#1d4ed8' },
  { key: 'teal', label: 'Teal', hex: '#0f766e' },
  { key: 'purple', label: 'Purple', hex: '#7e22ce' },
  { key: 'orange', label: 'Orange', hex: '#c2410c' },
  { key: 'pink', label: 'Pink', hex: '#be185d' },
  { key: 'olive', label: 'Olive', hex: '#4d7c0f' },
  { key: 'brown', label: 'Brown', hex: '#92400e' },
  { key: 'slate', label: 'Slate', hex: '#334155' },
] as const

export type TypeColour = (typeof typeColourPalette)[number]['key']
export const typeColourKeys = typeColourPalette.map((c) => c.key) as [TypeColour, ...TypeColour[]]

/** The key a type's colour is kept under: its clinic system and its id there. */
export const typeColourKey = (connectionId: string, typeRef: string) => `${connectionId}:${typeRef}`

/** Until someone chooses: a colour picked from the type's key, the same on every PC and every day. */
export function defaultTypeColour(key: string): TypeColour {
  let h = 2166136261
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619)
  return typeColourKeys[(h >>> 0) % typeColourKeys.length]!
}

export function typeColourHex(key: string, chosen: Partial<Record<string, TypeColour>>): string {
  const colour = chosen[key] ?? defaultTypeColour(key)
  return typeColourPalette.find((c) => c.key === colour)!.hex
}
