import { describe, expect, it } from 'vitest';
import { formatPath } from '../../../../lib/platforms/http.ts';
import { MetaGraphClient, normalizeApiVersion } from '../../../../lib/platforms/meta/client.ts';
import { metaAccountNode } from '../../../../lib/platforms/meta/connector.ts';
import { MetaConnectorConfigError } from '../../../../lib/platforms/meta/errors.ts';
import { redactSecret } from '../../../../lib/platforms/redact.ts';
import { fixtureFetch } from './fixture-fetch.ts';

describe('Meta client helpers', () => {
  it('normalizes API versions and rejects others', () => {
    expect(['v25.0', '25.0', 'v26', '24'].map(normalizeApiVersion)).toEqual(['v25.0', 'v25.0', 'v26.0', 'v24.0']);
    expect(() => normalizeApiVersion('latest')).toThrow(MetaConnectorConfigError);
  });

  it('formats zod paths like data[3].spend', () => {
    expect([formatPath(['data', 3, 'spend']), formatPath(['paging', 'next']), formatPath([]), formatPath([0, 'a'])]).toEqual([
      'data[3].spend',
      'paging.next',
      '(body)',
      '[0].a',
    ]);
  });

  it('redacts the token raw, URL-encoded and any access_token value', () => {
    const token = 'EAAB/a+b==';
    expect(redactSecret(`a ${token} b ${encodeURIComponent(token)} c https://x/?access_token=other&limit=1`, token)).toBe(
      'a [redacted] b [redacted] c https://x/?access_token=[redacted]&limit=1',
    );
  });

  it('accepts the account id with or without act_', () => {
    expect([metaAccountNode('123'), metaAccountNode('act_123')]).toEqual(['act_123', 'act_123']);
  });

  it('keeps a base URL path prefix (a proxy) in front of the version', async () => {
    const { fetch, calls } = fixtureFetch([{ path: '/graph/v25.0/act_1', reply: { body: '{"ok":true}' } }]);
    const client = new MetaGraphClient({
      baseUrl: 'https://proxy.example/graph',
      apiVersion: 'v25.0',
      accessToken: 't',
      fetch,
      timeoutMs: 1000,
    });
    const { z } = await import('zod');
    expect(await client.get('/act_1', {}, z.object({ ok: z.boolean() }))).toEqual({ ok: true });
    expect(calls[0]?.url.toString()).toBe('https://proxy.example/graph/v25.0/act_1?access_token=t');
  });
});
