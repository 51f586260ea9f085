/**
 * Names as the search index sees them. Mirrors the SQL in migration 3 (src/main/search/name-index-sql.ts)
 * plus the unicode61 tokenizer's case and diacritic folding, so typed words and ranking keys made
 * here compare equal to the terms SQLite stored. The integration test checks the two agree.
 */
import { foldText } from '../../shared/fold-text'

/** Lower case, no diacritics, the letters the tokenizer leaves alone folded too. */
export const foldName = foldText

/** The words of a name, folded: "O'Brien" → ["o", "brien"], "Mac Giolla Íosa" → ["mac", "giolla", "iosa"]. */
export const nameParts = (name: string): string[] =>
  foldName(name)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)

/** A name with its separators removed: "Jones-Smith" → "jonessmith". */
export const compactName = (name: string): string => nameParts(name).join('')

/** The order key the index stores after each term: surname, given name, date of birth. */
export const sortKey = (familyName: string, givenName: string, birthDate: string): string =>
  `${compactName(familyName)}0${compactName(givenName)}0${birthDate.replaceAll('-', '')}`
