import { describe, expect, it } from 'vitest';
import { ALERT_TEXT, alertFields, alertText } from '../../../lib/events/alert-text.ts';
import { RULES } from '../../../lib/events/rules.ts';

describe('alert text', () => {
  it('has a sentence for every rule that goes to people', () => {
    expect(Object.keys(ALERT_TEXT).sort()).toEqual(
      Object.keys(RULES)
        .filter((r) => r !== 'detectAfterIngest')
        .sort(),
    );
  });

  it('names the detail fields it uses, once each', () => {
    expect(alertFields('alertOnAnomaly')).toEqual(['client', 'severity', 'faultType', 'adsetName', 'platform', 'date', 'hint']);
    expect(alertFields('alertOnIngestionFailure')).toEqual(['client', 'platform', 'accountId', 'reason']);
  });

  it('fills in the fields as they are, hostile names included, and leaves a missing one empty', () => {
    expect(
      alertText('alertOnFailure', {
        client: 'acme',
        adsetName: 'Retargeting <script>"x"</script> $1 $&',
        platform: 'meta',
        error: 'rate limited (code 17)',
      }),
    ).toBe('adpilot acme · budget change failed · Retargeting <script>"x"</script> $1 $& (meta): rate limited (code 17)');
    expect(alertText('alertOnIngestionFailure', { client: 'acme', platform: 'tiktok', accountId: '7001' })).toBe(
      'adpilot acme · ingestion failed · tiktok account 7001, and retrying will not fix it: ',
    );
  });
});
