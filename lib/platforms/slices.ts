/** Cutting a request into pieces a platform accepts: id lists and date ranges, shared by every connector. */
import { addDays, type LocalDate } from '../model/dates.ts';

/** `items` in consecutive chunks of at most `size`, in order. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`a chunk holds at least one item, got ${size}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `ids` without repeats (first occurrence kept), in chunks of at most `size`: the ids one request names. */
export function idChunks(ids: readonly string[], size: number): string[][] {
  return chunks([...new Set(ids)], size);
}

/** [from, to] cut into consecutive slices of at most `days` days. */
export function dateSlices(from: LocalDate, to: LocalDate, days: number): { from: LocalDate; to: LocalDate }[] {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a slice has at least one day, got ${days}`);
  const slices: { from: LocalDate; to: LocalDate }[] = [];
  for (let start = from; start <= to; start = addDays(start, days)) {
    const end = addDays(start, days - 1);
    slices.push({ from: start, to: end < to ? end : to });
  }
  return slices;
}
