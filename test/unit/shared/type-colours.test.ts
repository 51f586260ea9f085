import { describe, expect, it } from 'vitest'
import {
  defaultTypeColour,
  typeColourHex,
  typeColourKey,
  typeColourPalette,
} from '../../../src/shared/type-colours'

/** WCAG relative luminance and contrast ratio. */
const luminance = (hex: string) => {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m)
  return (x! + 0.05) / (y! + 0.05)
}

/** The card backgrounds a stripe sits on: booked, hover, arrived, fulfilled, cancelled. */
const backgrounds = ['#ffffff', '#eff6ff', '#dbeafe', '#ecfdf5', '#f3f4f6', '#f9fafb']

describe('appointment type colours', () => {
  it('each stands out at 3:1 or more on every card background, and no two are the same', () => {
    for (const c of typeColourPalette)
      for (const bg of backgrounds)
        expect(contrast(c.hex, bg), `${c.label} on ${bg}`).toBeGreaterThanOrEqual(3)
    expect(new Set(typeColourPalette.map((c) => c.hex)).size).toBe(typeColourPalette.length)
  })

  it('until chosen, a type keeps the colour picked from its key, and a clinic’s types spread over the palette', () => {
    const keys = Array.from({ length: 24 }, (_, i) => typeColourKey('riverside', `type-${i}`))
    expect(keys.map(defaultTypeColour)).toEqual(keys.map(defaultTypeColour))
    expect(new Set(keys.map(defaultTypeColour)).size).toBeGreaterThanOrEqual(5)
  })

  it('a chosen colour wins over the default', () => {
    const key = typeColourKey('riverside', 'gp')
    const other = typeColourPalette.find((c) => c.key !== defaultTypeColour(key))!
    expect(typeColourHex(key, {})).toBe(typeColourPalette.find((c) => c.key === defaultTypeColour(key))!.hex)
    expect(typeColourHex(key, { [key]: other.key })).toBe(other.hex)
  })
})
