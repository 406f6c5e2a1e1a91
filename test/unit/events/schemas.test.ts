import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventJsonSchemas } from '../../../lib/events/json-schema.ts';
import { makeEvent } from '../../../lib/events/publisher.ts';
import { DETAIL_TYPES } from '../../../lib/events/schemas.ts';

const dir = join(import.meta.dirname, '..', '..', '..', 'schemas', 'events');

describe('event schemas', () => {
  it('the JSON Schemas in schemas/events are current (run `npm run schemas` after changing lib/events/schemas.ts)', () => {
    const generated = eventJsonSchemas();
    expect(readdirSync(dir).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, text] of Object.entries(generated)) expect(readFileSync(join(dir, file), 'utf8'), file).toBe(text);
    expect(Object.keys(generated)).toHaveLength(DETAIL_TYPES.length);
  });

  it('rejects a malformed detail naming the field', () => {
    expect(() =>
      makeEvent(
        'Budget Changed',
        {
          version: 1,
          id: 'x',
          client: 'c',
          platform: 'meta',
          accountId: 'a',
          adsetId: 's',
          adsetName: 'n',
          planId: 'p',
          changeId: 'c',
          currency: 'EUR',
          beforeMicros: 1,
          afterMicros: 'lots' as unknown as number, // a producer bug the schema must catch
          reason: 'r',
        },
        new Date('2026-11-26T00:00:00Z'),
      ),
    ).toThrow(/afterMicros/);
  });
});
