import { describe, expect, it } from 'vitest';
import { GaqlError } from '../../../../lib/sim/google-ads/errors.ts';
import { parseGaql } from '../../../../lib/sim/google-ads/gaql.ts';

function codeOf(query: string): string {
  try {
    parseGaql(query);
  } catch (error) {
    if (error instanceof GaqlError) return error.code;
    throw error;
  }
  return '(parsed)';
}

describe('fake Google Ads: GAQL parser', () => {
  it('parses every clause, case-insensitive keywords, quoted strings with escapes, lists and DURING', () => {
    const query = parseGaql(
      `select Campaign.ID, campaign.name, metrics.clicks FROM Campaign
       WHERE campaign.status IN ('ENABLED', PAUSED) AND campaign.name != "it\\'s \\"x\\"" AND campaign.id NOT IN (1, 2)
         AND segments.date DURING last_7_days AND metrics.clicks >= 10
       ORDER BY metrics.clicks DESC, campaign.id ASC LIMIT 50 PARAMETERS include_drafts = true`,
    );
    expect(query).toEqual({
      select: ['campaign.id', 'campaign.name', 'metrics.clicks'],
      from: 'campaign',
      where: [
        {
          field: 'campaign.status',
          op: 'IN',
          values: [
            { kind: 'string', value: 'ENABLED' },
            { kind: 'word', value: 'PAUSED' },
          ],
        },
        { field: 'campaign.name', op: '!=', value: { kind: 'string', value: `it's "x"` } },
        {
          field: 'campaign.id',
          op: 'NOT IN',
          values: [
            { kind: 'number', value: '1' },
            { kind: 'number', value: '2' },
          ],
        },
        { field: 'segments.date', op: 'DURING', range: 'LAST_7_DAYS' },
        { field: 'metrics.clicks', op: '>=', value: { kind: 'number', value: '10' } },
      ],
      orderBy: [
        { field: 'metrics.clicks', descending: true },
        { field: 'campaign.id', descending: false },
      ],
      limit: 50,
      parameters: { include_drafts: 'true' },
    });
  });

  it('names the QueryError a real server gives for each syntax error', () => {
    expect({
      noSelect: codeOf('campaign.id FROM campaign'),
      noFrom: codeOf('SELECT campaign.id'),
      badField: codeOf('SELECT id FROM campaign'),
      badFrom: codeOf('SELECT campaign.id FROM WHERE'),
      unterminated: codeOf("SELECT campaign.id FROM campaign WHERE campaign.name = 'abc"),
      badEscape: codeOf("SELECT campaign.id FROM campaign WHERE campaign.name = 'a\\b'"),
      badOperator: codeOf('SELECT campaign.id FROM campaign WHERE campaign.id LIKES 1'),
      noAnd: codeOf("SELECT campaign.id FROM campaign WHERE segments.date BETWEEN '2026-10-01' OR '2026-10-02'"),
      badLimit: codeOf('SELECT campaign.id FROM campaign LIMIT 0'),
      noBy: codeOf('SELECT campaign.id FROM campaign ORDER campaign.id'),
      extra: codeOf('SELECT campaign.id FROM campaign campaign'),
      emptyList: codeOf('SELECT campaign.id FROM campaign WHERE campaign.id IN ()'),
      notAList: codeOf('SELECT campaign.id FROM campaign WHERE campaign.id IN 1'),
      symbol: codeOf('SELECT campaign.id FROM campaign WHERE campaign.id = 1;'),
      truncated: codeOf('SELECT campaign.id FROM campaign WHERE campaign.id ='),
    }).toEqual({
      noSelect: 'EXPECTED_SELECT',
      noFrom: 'EXPECTED_FROM',
      badField: 'BAD_FIELD_NAME',
      badFrom: 'BAD_RESOURCE_TYPE_IN_FROM_CLAUSE',
      unterminated: 'STRING_NOT_TERMINATED',
      badEscape: 'BAD_ESCAPE_SEQUENCE',
      badOperator: 'BAD_OPERATOR',
      noAnd: 'EXPECTED_AND',
      badLimit: 'BAD_LIMIT_VALUE',
      noBy: 'EXPECTED_BY',
      extra: 'UNEXPECTED_INPUT',
      emptyList: 'PROHIBITED_EMPTY_LIST_IN_CONDITION',
      notAList: 'EXPECTED_LIST',
      symbol: 'BAD_SYMBOL',
      truncated: 'UNEXPECTED_END_OF_QUERY',
    });
  });
});
