import { describe, expect, it } from 'vitest'
import { foldText } from '../../../src/shared/fold-text'

describe('foldText', () => {
  it('makes a name typed as written, in capitals or in plain letters compare equal', () => {
    for (const [a, b] of [
      ['Yılmaz', 'YILMAZ'],
      ['Yılmaz', 'yilmaz'],
      ['Sørensen', 'SORENSEN'],
      ['Łukasz Wójcik', 'lukasz wojcik'],
      ['Strauß', 'STRAUSS'],
      ['Íosa', 'iosa'],
    ])
      expect(foldText(a!), `${a} ~ ${b}`).toBe(foldText(b!))
  })

  it('keeps letters apart that are different', () => {
    expect(foldText('Kaur')).not.toBe(foldText('Kaul'))
  })
})
