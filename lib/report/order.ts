/** Deterministic orderings for report lines (locale-independent, so reports are reproducible byte for byte). */

/** Code-unit order of two strings: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Larger number first. */
export function descending(a: number, b: number): number {
  return b - a;
}
