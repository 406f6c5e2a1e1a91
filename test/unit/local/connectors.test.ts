import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialsFile, credentialsSaver, storedCredentials } from '../../../lib/local/connectors.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('refreshed credentials in the data dir', () => {
  it('are absent until a connector saves some, then read back as saved, owner-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'adpilot-creds-'));
    dirs.push(dir);
    expect(storedCredentials(dir, 'pinterest')).toBeUndefined();
    const saved = { accessToken: 'pina_new', refreshToken: 'pinr_new', clientId: '1234', clientSecret: 's3cret' };
    await credentialsSaver(dir)('pinterest', saved);
    expect(storedCredentials(dir, 'pinterest')).toEqual(saved);
    expect(statSync(credentialsFile(dir, 'pinterest')).mode & 0o777).toBe(0o600);
    await credentialsSaver(dir)('pinterest', { ...saved, accessToken: 'pina_newer' });
    expect(storedCredentials(dir, 'pinterest')?.accessToken).toBe('pina_newer');
  });
});
