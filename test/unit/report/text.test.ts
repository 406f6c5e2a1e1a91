import { describe, expect, it } from 'vitest';
import { changeView, percent, roas, signedMoney, weekTitle } from '../../../lib/report/format.ts';
import { breakLongRuns, cleanText, displayName, escapeHtml, isolate } from '../../../lib/report/text.ts';

describe('untrusted text', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('removes controls and bidi overrides, and collapses whitespace', () => {
    expect(cleanText('  a\u0000b\u202ec\u2066d\r\n\te\u2028f  ')).toBe('abcd e f');
  });

  it('caps by grapheme, never splitting an emoji sequence or a combining accent', () => {
    const family = '👨‍👩‍👧‍👦';
    expect(displayName(`${family.repeat(5)}`, 3)).toBe(`${family}${family}…`);
    expect(displayName('e\u0301'.repeat(10), 4)).toBe(`${'e\u0301'.repeat(3)}…`);
    expect(displayName('short', 10)).toBe('short');
  });

  it('adds break opportunities inside long runs only', () => {
    expect(breakLongRuns('abcdefgh ab', 3)).toBe('abc\u200bdef\u200bgh ab');
    expect(breakLongRuns('👍👍👍👍', 2)).toBe('👍👍\u200b👍👍');
  });

  it('isolates right-to-left text only', () => {
    expect(isolate('حملة 2026')).toBe('\u2068حملة 2026\u2069');
    expect(isolate('Spring sale')).toBe('Spring sale');
  });
});

describe('figure formatting', () => {
  it('formats changes with sign, arrow and whether the direction is good news', () => {
    expect([percent(0.1234), percent(-0.03), percent(0.00004), percent(null)]).toEqual(['+12.3%', '−3.0%', '±0.0%', '—']);
    expect(changeView('roas', 0.1)).toEqual({ arrow: '↑', text: '+10.0%', tone: 'good' });
    expect(changeView('cpa', 0.1)).toEqual({ arrow: '↑', text: '+10.0%', tone: 'bad' });
    expect(changeView('cpa', -0.1)).toEqual({ arrow: '↓', text: '−10.0%', tone: 'good' });
    expect(changeView('spend', 0.5)).toEqual({ arrow: '↑', text: '+50.0%', tone: 'neutral' });
    expect(changeView('revenue', null)).toEqual({ arrow: '', text: '—', tone: 'neutral' });
  });

  it('formats ROAS, signed money and week titles', () => {
    expect([roas(2.8684), roas(null), signedMoney(-5_000_000, 'EUR'), signedMoney(1_500_000_000, 'JPY')]).toEqual([
      '2.87x',
      '—',
      '−€5.00',
      '+¥1,500',
    ]);
    expect(weekTitle({ label: '2026-W53', from: '2026-12-28', to: '2027-01-03' })).toBe('2026-W53 (28 Dec 2026 – 3 Jan 2027)');
  });
});
