/** What the CDK app reads and checks before it builds anything: client configs, names, acknowledgements. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { ClientStack } from '../../infra/client-stack.ts';
import { loadClientDefinition, loadClientDefinitions } from '../../infra/clients.ts';
import { toCdkPattern } from '../../infra/constructs/alerts.ts';
import { weeklyExpression } from '../../infra/constructs/reporting.ts';
import { scheduleName } from '../../infra/constructs/schedules.ts';
import { ClientDefinitionError, NagAcknowledgementError } from '../../infra/errors.ts';
import { NagAcknowledgements } from '../../infra/nag.ts';
import { ConfigError } from '../../lib/config/errors.ts';
import { configuredAccounts } from '../../lib/config/platforms.ts';
import { RULES } from '../../lib/events/rules.ts';
import { PROJECT_ROOT } from './synth.ts';

const CLIENTS = join(PROJECT_ROOT, 'clients');

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'adpilot-clients-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const MINIMAL = (client: string, extra = '') =>
  `client: ${client}\ntimezone: UTC\ncurrency: USD\nbudget: { dailyTotal: 100 }\nplatforms: { meta: { accounts: [act_1] } }\nreport: { recipients: [a@b.example]${extra} }\n`;

describe('client configs of clients/', () => {
  it('loads acme: the DESIGN.md example with all six platforms, Paris, EUR and a sender', () => {
    const { config } = loadClientDefinition(join(CLIENTS, 'acme.yaml'));
    expect({
      client: config.client,
      timezone: config.timezone,
      currency: config.currency,
      platforms: Object.keys(config.platforms).sort(),
      sender: config.report.sender,
      dailyTotal: config.budget.dailyTotal,
    }).toEqual({
      client: 'acme',
      timezone: 'Europe/Paris',
      currency: 'EUR',
      platforms: ['google-ads', 'linkedin', 'meta', 'pinterest', 'tiktok', 'x-ads'],
      sender: 'adpilot@acme.example',
      dailyTotal: 1_500_000_000,
    });
  });

  it('loads globex: Meta only, JPY, Tokyo', () => {
    const { config } = loadClientDefinition(join(CLIENTS, 'globex.yaml'));
    expect({ platforms: Object.keys(config.platforms), currency: config.currency, timezone: config.timezone }).toEqual({
      platforms: ['meta'],
      currency: 'JPY',
      timezone: 'Asia/Tokyo',
    });
    expect(configuredAccounts(config)).toEqual([{ platform: 'meta', accountId: 'act_9876543210' }]);
  });

  it('keeps the config as written for the Lambdas, not the validated form', () => {
    const { input } = loadClientDefinition(join(CLIENTS, 'acme.yaml'));
    expect((input as { budget: unknown }).budget).toEqual({
      dailyTotal: 1500,
      mode: 'auto',
      maxChangePct: 20,
      cooldownHours: 72,
      minDaily: 5,
    });
  });

  it('reads every yaml, yml and json file of the folder, sorted, and nothing else', () => {
    const alpha = {
      client: 'alpha',
      timezone: 'UTC',
      currency: 'USD',
      budget: { dailyTotal: 100 },
      platforms: { meta: { accounts: ['act_1'] } },
      report: { recipients: ['a@b.example'] },
    };
    const dir = folderWith({ 'b.yml': MINIMAL('bravo'), 'a.json': JSON.stringify(alpha), 'notes.txt': 'client: ignored' });
    expect(loadClientDefinitions(dir).map((d) => d.config.client)).toEqual(['alpha', 'bravo']);
  });

  it('rejects two files for the same client', () => {
    const dir = folderWith({ 'one.yaml': MINIMAL('same'), 'two.yaml': MINIMAL('same') });
    expect(() => loadClientDefinitions(dir)).toThrow(ClientDefinitionError);
    expect(() => loadClientDefinitions(dir)).toThrow(/client "same" is defined twice/);
  });

  it('rejects an invalid config with the loader of the CLI, naming the field', () => {
    const dir = folderWith({ 'bad.yaml': MINIMAL('bad').replace('timezone: UTC', 'timezone: Mars/Olympus') });
    expect(() => loadClientDefinitions(dir)).toThrow(ConfigError);
    expect(() => loadClientDefinitions(dir)).toThrow(/timezone: must be an IANA time zone/);
  });

  it('refuses to deploy a client without report.sender', () => {
    const dir = folderWith({ 'nosender.yaml': MINIMAL('nosender') });
    const [definition] = loadClientDefinitions(dir);
    if (!definition) throw new Error('no definition');
    const build = () =>
      new ClientStack(new App(), 'AdPilot-nosender', { definition, projectRoot: PROJECT_ROOT, nag: new NagAcknowledgements() });
    expect(build).toThrow(ClientDefinitionError);
    expect(build).toThrow(/report\.sender is required to deploy/);
  });

  it('refuses a config too large for the Lambda environment', () => {
    const exclude = Array.from({ length: 300 }, (_, i) => `"${1_000_000 + i}"`).join(', ');
    const dir = folderWith({ 'big.yaml': `${MINIMAL('big', ', sender: r@b.example')}adsets: { exclude: [${exclude}] }\n` });
    const [definition] = loadClientDefinitions(dir);
    if (!definition) throw new Error('no definition');
    const build = () =>
      new ClientStack(new App(), 'AdPilot-big', { definition, projectRoot: PROJECT_ROOT, nag: new NagAcknowledgements() });
    expect(build).toThrow(/Lambda environments hold at most 2500/);
  });
});

describe('NagAcknowledgements', () => {
  it('accepts only AwsSolutions rule ids, optionally narrowed to a finding', () => {
    const app = new App();
    const nag = new NagAcknowledgements({ deferred: true });
    const reason = 'A reason long enough to say something specific.';
    nag.acknowledge(app, 'AwsSolutions-SQS3', reason);
    nag.acknowledge(app, 'AwsSolutions-IAM5[Resource::*]', reason);
    expect(() => nag.acknowledge(app, 'AwsSolutions-' as 'AwsSolutions-X', reason)).toThrow(NagAcknowledgementError);
    expect(() => nag.acknowledge(app, 'HIPAA.Security-IAM5' as 'AwsSolutions-X', reason)).toThrow(NagAcknowledgementError);
    expect(nag.all.map((a) => a.id)).toEqual(['AwsSolutions-SQS3', 'AwsSolutions-IAM5[Resource::*]']);
  });

  it('refuses a reason that says nothing', () => {
    expect(() => new NagAcknowledgements().acknowledge(new App(), 'AwsSolutions-SMG4', 'not needed')).toThrow(/needs a specific reason/);
  });
});

describe('names and expressions', () => {
  it('keeps schedule names within the 64 characters EventBridge Scheduler allows, stable and distinct', () => {
    expect(scheduleName('ingest-meta-act_1')).toBe('ingest-meta-act_1');
    const long = scheduleName(`ingest-tiktok-${'7'.repeat(60)}`);
    const other = scheduleName(`ingest-tiktok-${'7'.repeat(59)}8`);
    expect(long).toHaveLength(64);
    expect(long).toBe(scheduleName(`ingest-tiktok-${'7'.repeat(60)}`));
    expect(long).not.toBe(other);
  });

  it('writes the weekly cron for each weekday', () => {
    expect(weeklyExpression('monday', 8)).toBe('cron(0 8 ? * MON *)');
    expect(weeklyExpression('sunday', 0)).toBe('cron(0 0 ? * SUN *)');
  });

  it('turns the shared rule patterns into CDK patterns that render back to the same JSON', () => {
    expect(toCdkPattern(RULES.alertOnAnomaly.pattern)).toEqual({
      source: ['adpilot'],
      detailType: ['Anomaly Detected'],
      detail: { severity: ['high'] },
    });
  });
});
