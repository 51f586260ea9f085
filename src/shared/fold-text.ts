/**
 * Text folded for matching what a person types: lower case, no diacritics, and the letters that
 * have no decomposition folded too ("Yılmaz", "YILMAZ" and "Yilmaz" all become "yilmaz"). The
 * search index folds names the same way (src/main/search/normalise.ts), and so does every filter
 * on screen, so a name typed one way matches however it is stored or shown.
 */

const FOLDS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  ı: 'i',
  æ: 'ae',
  ø: 'o',
  þ: 'th',
  ð: 'd',
  đ: 'd',
  ł: 'l',
  œ: 'oe',
}
const FOLDABLE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'g')

/** Lower case, no diacritics, the letters without a decomposition folded too. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(FOLDABLE, (c) => FOLDS[c] ?? c)
}
