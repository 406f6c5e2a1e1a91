/**
 * Making untrusted platform strings safe to show: control characters removed, length capped
 * by grapheme (an emoji or a combining accent is never cut in half), HTML-escaped for the
 * HTML part and bidi-isolated in the plain-text part so an RTL name cannot reorder the
 * figures printed next to it.
 */

// C0/C1 controls and the bidi embedding/override/isolate characters a name could use to spoof the line around it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the purpose of this pattern
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const WHITESPACE = /[\s\u2028\u2029]+/g;

const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Removes control and bidi-override characters and collapses whitespace to single spaces. */
export function cleanText(value: string): string {
  return value.replace(UNSAFE, '').replace(WHITESPACE, ' ').trim();
}

/** Cleans and caps a string at `max` graphemes, ending with "…" when cut. */
export function displayName(value: string, max: number): string {
  const clean = cleanText(value);
  if (clean.length <= max) return clean;
  const graphemes = Array.from(segmenter.segment(clean), (s) => s.segment);
  if (graphemes.length <= max) return clean;
  return `${graphemes
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/** Inserts a zero-width space after every `every` graphemes of a run without spaces, so narrow layouts (and Outlook's Word engine) can wrap it. */
export function breakLongRuns(value: string, every: number): string {
  let run = 0;
  let out = '';
  for (const { segment } of segmenter.segment(value)) {
    if (/\s/.test(segment)) {
      run = 0;
    } else {
      if (run === every) {
        out += '\u200b';
        run = 0;
      }
      run += 1;
    }
    out += segment;
  }
  return out;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// Strong right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their presentation forms.
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/**
 * For plain text: wraps a string containing right-to-left script in FIRST STRONG ISOLATE …
 * POP DIRECTIONAL ISOLATE, so it cannot reorder the figures around it. Left-to-right strings
 * are returned as they are, to spare clients whose fonts lack the isolate characters.
 */
export function isolate(value: string): string {
  return RTL.test(value) ? `\u2068${value}\u2069` : value;
}
