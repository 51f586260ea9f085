import { describe, expect, it } from 'vitest'
import { cardLabel, type CardWords } from '../../../src/renderer/src/today/labels'

const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)

const base: CardWords = {
  time: '09:15',
  name: 'KAUR, Mariam',
  typeName: 'GP consultation',
  status: 'No-show',
  sync: 'Queued',
  until: '09:30',
  born: '10 Jul 1930',
  practitioner: 'Dr Anika Patel',
  short: false,
}

describe('a day book card’s spoken name', () => {
  it('starts with what a tall card shows, in that order, then the rest', () => {
    expect(cardLabel(base)).toBe(
      '09:15, KAUR, Mariam, GP consultation, No-show, Queued, until 09:30, born 10 Jul 1930, with Dr Anika Patel',
    )
  })

  it('on a short card, follows the one visible line with the type and status it hides', () => {
    const label = cardLabel({ ...base, short: true })
    expect(label).toBe(
      '09:15, KAUR, Mariam, Queued, GP consultation, No-show, until 09:30, born 10 Jul 1930, with Dr Anika Patel',
    )
    // Voice control: the visible words are a run at the start of the name.
    expect(words(label).slice(0, 5)).toEqual(words('09:15 KAUR, Mariam Queued'))
  })

  it('leaves out what is not known rather than saying blanks', () => {
    expect(
      cardLabel({
        ...base,
        typeName: undefined,
        sync: null,
        until: undefined,
        born: undefined,
        name: 'Unknown patient',
      }),
    ).toBe('09:15, Unknown patient, No-show, with Dr Anika Patel')
  })
})
