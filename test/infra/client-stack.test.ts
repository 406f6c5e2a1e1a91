/**
 * The wiring of each client's stack, asserted on the synthesized templates. The functions' code is
 * left out here (bundling is slow); bundles.test.ts checks the bundles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClientDefinitions } from '../../infra/clients.ts';
import { NODE_RUNTIME } from '../../infra/constructs/functions.ts';
import { parseClientConfig } from '../../lib/config/load.ts';
import { configuredAccounts } from '../../lib/config/platforms.ts';
import { RULES, type RuleId } from '../../lib/events/rules.ts';
import { CREDENTIAL_ENV } from '../../lib/platforms/registry.ts';
import { LAMBDA_ENV_NAMES } from '../../lib/runtime/env.ts';
import { TABLE_DEFINITION } from '../../lib/store/table-definition.ts';
import { type FunctionId, LAMBDA_FUNCTIONS, STATE_MACHINES, type StateMachineId } from '../../lib/workflows/tasks.ts';
import { buildClientsApp, PROJECT_ROOT, removeOutdir, synthesize } from './synth.ts';
import {
  asArray,
  type Json,
  logicalIdOfArn,
  render,
  resources,
  rolesAllowing,
  type Statement,
  statementsOfRole,
} from './template-helpers.ts';

const definitions = loadClientDefinitions(join(PROJECT_ROOT, 'clients'));
const FUNCTION_IDS = Object.keys(LAMBDA_FUNCTIONS) as FunctionId[];
/** The functions shipping resvg's native binary (see CHART_RENDERING). */
const CHART_FUNCTIONS: readonly FunctionId[] = ['build-report', 'send-report'];

/** Actions that support no resource-level permissions; the only ones a role may hold on "*". */
const RESOURCELESS_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

let assemblyDir: string;
const templates = new Map<string, Template>();

beforeAll(() => {
  const built = buildClientsApp({ bundling: false });
  const synthesized = synthesize(built.app, built.clients);
  assemblyDir = synthesized.assembly.directory;
  for (const [client, template] of synthesized.templates) templates.set(client, template);
});

afterAll(() => removeOutdir());

it('uses the newest Node.js runtime aws-cdk-lib offers', () => {
  const version = (runtime: lambda.Runtime) => Number(/^nodejs(\d+)/.exec(runtime.name)?.[1] ?? 0);
  const node = lambda.Runtime.ALL.filter((r) => r.family === lambda.RuntimeFamily.NODEJS && !r.isVariable);
  const newest = node.reduce((a, b) => (version(b) > version(a) ? b : a));
  expect(NODE_RUNTIME.name).toBe(newest.name);
});

describe.each(definitions.map((d) => [d.config.client, d] as const))('AdPilot-%s', (client, definition) => {
  const { config } = definition;
  let template: Template;
  const fn = (id: FunctionId) => {
    const found = resources(template, 'AWS::Lambda::Function').find((r) => r.properties.FunctionName === `adpilot-${client}-${id}`);
    if (!found) throw new Error(`no function ${id}`);
    return found;
  };
  const roleOf = (id: FunctionId) => logicalIdOfArn(render(fn(id).properties.Role as Json)) ?? '';
  const one = (type: string) => {
    const [found, ...rest] = resources(template, type);
    if (!found || rest.length > 0) throw new Error(`expected exactly one ${type}`);
    return found;
  };
  const keyArn = () => `<${one('AWS::KMS::Key').logicalId}.Arn>`;
  const stateMachine = (machine: StateMachineId) => {
    const found = resources(template, 'AWS::StepFunctions::StateMachine').find(
      (r) => r.properties.StateMachineName === `adpilot-${client}-${machine}`,
    );
    if (!found) throw new Error(`no state machine ${machine}`);
    return found;
  };
  const schedules = () => resources(template, 'AWS::Scheduler::Schedule');

  beforeAll(() => {
    const found = templates.get(client);
    if (!found) throw new Error(`no template for ${client}`);
    template = found;
  });

  describe('functions', () => {
    it('has one function per LAMBDA_FUNCTIONS entry, on the newest runtime, ARM, traced, logging to an encrypted log group', () => {
      expect(
        resources(template, 'AWS::Lambda::Function')
          .map((r) => r.properties.FunctionName)
          .sort(),
      ).toEqual(FUNCTION_IDS.map((id) => `adpilot-${client}-${id}`).sort());
      const logGroups = new Map(resources(template, 'AWS::Logs::LogGroup').map((r) => [r.logicalId, r.properties]));
      for (const id of FUNCTION_IDS) {
        const props = fn(id).properties;
        expect({
          Runtime: props.Runtime,
          Architectures: props.Architectures,
          Handler: props.Handler,
          TracingConfig: props.TracingConfig,
        }).toEqual({
          Runtime: NODE_RUNTIME.name,
          Architectures: [CHART_FUNCTIONS.includes(id) ? 'x86_64' : 'arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
        });
        const logGroup = logGroups.get(render((props.LoggingConfig as { LogGroup: Json }).LogGroup).slice(1, -1));
        expect(logGroup).toEqual({
          LogGroupName: `/aws/lambda/adpilot-${client}-${id}`,
          RetentionInDays: 90,
          KmsKeyId: { 'Fn::GetAtt': [one('AWS::KMS::Key').logicalId, 'Arn'] },
          Tags: [{ Key: 'adpilot:client', Value: client }],
        });
      }
    });

    it('sets exactly the LambdaEnv variables (plus the source-map flag) with the values of this client', () => {
      const configurationSet = one('AWS::SES::ConfigurationSet').properties.Name;
      const secretRefs = Object.fromEntries(
        resources(template, 'AWS::SecretsManager::Secret')
          .filter((s) => /^adpilot\/[^/]+\/(meta|google-ads|tiktok|linkedin|x-ads|pinterest)$/.test(String(s.properties.Name)))
          .map((s) => [String(s.properties.Name).split('/')[2], `<${s.logicalId}>`]),
      );
      for (const id of FUNCTION_IDS) {
        const variables = (fn(id).properties.Environment as { Variables: Record<string, Json> }).Variables;
        expect(Object.keys(variables).sort()).toEqual([...LAMBDA_ENV_NAMES, 'NODE_OPTIONS'].sort());
        expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
        expect(render(variables.ADPILOT_TABLE_NAME as Json)).toBe(`<${one('AWS::DynamoDB::Table').logicalId}>`);
        expect(render(variables.ADPILOT_EVENT_BUS_NAME as Json)).toBe(`<${one('AWS::Events::EventBus').logicalId}>`);
        expect(parseClientConfig(JSON.parse(String(variables.ADPILOT_CLIENT_CONFIG)))).toEqual(config);
        expect(JSON.parse(render(variables.ADPILOT_PLATFORM_SECRETS as Json))).toEqual(secretRefs);
        expect(variables.ADPILOT_SENDER).toBe(config.report.sender);
        expect(variables.ADPILOT_SES_CONFIGURATION_SET).toBe(configurationSet);
      }
      expect(Object.keys(secretRefs).sort()).toEqual([...new Set(configuredAccounts(config).map((a) => a.platform))].sort());
    });
  });

  describe('schedules', () => {
    it('ingests every configured account hourly in the client time zone with a flexible window', () => {
      const ingest = schedules().filter((s) => String(s.properties.Name).startsWith('ingest-'));
      const summary = ingest.map((s) => {
        const target = s.properties.Target as Record<string, Json>;
        return {
          expression: s.properties.ScheduleExpression,
          timezone: s.properties.ScheduleExpressionTimezone,
          window: s.properties.FlexibleTimeWindow,
          group: s.properties.GroupName,
          target: render(target.Arn as Json),
          input: JSON.parse(String(target.Input)),
          retry: target.RetryPolicy,
          deadLetters: render((target.DeadLetterConfig as { Arn: Json }).Arn),
        };
      });
      const deadLetters = summary[0]?.deadLetters;
      expect(deadLetters).toMatch(/^<IngestionHourlyDeadLetters.*\.Arn>$/);
      expect(summary).toEqual(
        configuredAccounts(config).map(({ platform, accountId }) => ({
          expression: 'cron(0 * * * ? *)',
          timezone: config.timezone,
          window: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
          group: `adpilot-${client}`,
          target: `<${fn('ingest').logicalId}.Arn>`,
          input: { platform, accountId },
          retry: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
          deadLetters,
        })),
      );
    });

    it('runs the freshness check of detect-anomalies hourly at :50, after the ingestion runs', () => {
      const [hourly, ...others] = schedules().filter((s) => s.properties.Name === 'freshness-hourly');
      expect(others).toEqual([]);
      expect(hourly?.properties).toMatchObject({
        ScheduleExpression: 'cron(50 * * * ? *)',
        ScheduleExpressionTimezone: config.timezone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Input: '{"check":"freshness"}', RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 } },
      });
      const target = hourly?.properties.Target as Record<string, Json>;
      expect(render(target.Arn as Json)).toBe(`<${fn('detect-anomalies').logicalId}.Arn>`);
    });

    it('starts the optimize run daily at 06:30 local time with the scheduled time as its date', () => {
      const [daily, ...others] = schedules().filter((s) => s.properties.Name === 'optimize-daily');
      expect(others).toEqual([]);
      expect(daily?.properties).toMatchObject({
        ScheduleExpression: 'cron(30 6 * * ? *)',
        ScheduleExpressionTimezone: config.timezone,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: { Ref: stateMachine('optimize').logicalId }, Input: '{"date":"<aws.scheduler.scheduled-time>"}' },
      });
    });

    it('starts the weekly report at report.weekday and report.hour in the client time zone', () => {
      const day = config.report.weekday.slice(0, 3).toUpperCase();
      const [weekly, ...others] = schedules().filter((s) => s.properties.Name === 'weekly-report');
      expect(others).toEqual([]);
      expect(weekly?.properties).toMatchObject({
        ScheduleExpression: `cron(0 ${config.report.hour} ? * ${day} *)`,
        ScheduleExpressionTimezone: config.timezone,
        Target: { Arn: { Ref: stateMachine('weekly-report').logicalId }, Input: '{"date":"<aws.scheduler.scheduled-time>"}' },
      });
    });

    it('lets each scheduler role invoke only its own target, only for this client schedule group', () => {
      const group = one('AWS::Scheduler::ScheduleGroup').logicalId;
      const byRole = new Map<string, Set<string>>();
      for (const s of schedules()) {
        const target = s.properties.Target as Record<string, Json>;
        const role = logicalIdOfArn(render(target.RoleArn as Json)) ?? '';
        byRole.set(role, new Set([...(byRole.get(role) ?? []), render(target.Arn as Json).replace(/^<(\w+)>$/, '<$1.Arn>')]));
      }
      expect(byRole.size).toBe(4);
      for (const [role, targets] of byRole) {
        const trust = resources(template, 'AWS::IAM::Role').find((r) => r.logicalId === role)?.properties.AssumeRolePolicyDocument;
        expect(trust).toEqual({
          Version: '2012-10-17',
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'scheduler.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [group, 'Arn'] } },
              },
            },
          ],
        });
        const granted = statementsOfRole(template, role).map((s) => ({
          actions: asArray(s.Action).sort(),
          resources: asArray(s.Resource as Json).map(render),
        }));
        const invoke = [...targets].map((t) => t.replace(/^<(\w+)\.Arn>$/, '$1'));
        const isMachine = invoke.every((id) => resources(template, 'AWS::StepFunctions::StateMachine').some((m) => m.logicalId === id));
        expect(granted).toEqual(
          expect.arrayContaining([
            isMachine
              ? { actions: ['states:StartExecution'], resources: invoke.map((id) => `<${id}>`) }
              : { actions: ['lambda:InvokeFunction'], resources: [...targets] },
            { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [keyArn()] },
          ]),
        );
        expect(granted).toHaveLength(3);
      }
    });
  });

  describe('IAM', () => {
    it('attaches no AWS managed policy to any role', () => {
      for (const role of resources(template, 'AWS::IAM::Role')) expect(role.properties.ManagedPolicyArns).toBeUndefined();
    });

    it('grants on "*" only actions without resource-level permissions (X-Ray, log delivery)', () => {
      const wildcard = resources(template, 'AWS::IAM::Policy')
        .flatMap((p) => (p.properties.PolicyDocument as unknown as { Statement: Statement[] }).Statement)
        .filter((s) => asArray(s.Resource as Json).some((r) => r === '*'))
        .flatMap((s) => asArray(s.Action));
      expect(wildcard.length).toBeGreaterThan(0);
      expect(wildcard.filter((action) => !RESOURCELESS_ACTIONS.has(action))).toEqual([]);
    });

    it('lets send-report alone send email, as report.sender only', () => {
      const sender = config.report.sender ?? '';
      const domain = sender.split('@')[1];
      const identity = (name: string) => `arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:${name}`;
      for (const action of ['ses:SendEmail', 'ses:SendRawEmail']) {
        expect(Object.fromEntries(rolesAllowing(template, action))).toEqual({
          [roleOf('send-report')]: [
            identity(`configuration-set/<${one('AWS::SES::ConfigurationSet').logicalId}>`),
            identity(`identity/${domain}`),
            identity(`identity/${sender}`),
          ].sort(),
        });
      }
      const ses = statementsOfRole(template, roleOf('send-report')).find((s) => asArray(s.Action).includes('ses:SendEmail'));
      expect(ses?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': sender } });
    });

    it('lets only ingest and apply-budget-change read the platform secrets', () => {
      const secrets = resources(template, 'AWS::SecretsManager::Secret')
        .filter((s) => String(s.properties.Name).split('/').length === 3 && !String(s.properties.Name).endsWith('alerts-webhook'))
        .map((s) => `<${s.logicalId}>`)
        .sort();
      expect(Object.fromEntries(rolesAllowing(template, 'secretsmanager:GetSecretValue'))).toEqual({
        [roleOf('ingest')]: secrets,
        [roleOf('apply-budget-change')]: secrets,
      });
    });

    it('lets only ingest and apply-budget-change store a refreshed token, in the Pinterest secret only', () => {
      const pinterest = resources(template, 'AWS::SecretsManager::Secret').filter((s) => String(s.properties.Name).endsWith('/pinterest'));
      const writers = Object.fromEntries(rolesAllowing(template, 'secretsmanager:PutSecretValue'));
      if (pinterest.length === 0) {
        expect(writers).toEqual({});
        return;
      }
      const secret = pinterest.map((p) => `<${p.logicalId}>`);
      expect(writers).toEqual({ [roleOf('ingest')]: secret, [roleOf('apply-budget-change')]: secret });
    });

    it('grants PutEvents on the client bus only, to the functions that publish', () => {
      const bus = `<${one('AWS::Events::EventBus').logicalId}.Arn>`;
      const publishers: FunctionId[] = [
        'ingest',
        'detect-anomalies',
        'evaluate-tests',
        'apply-budget-change',
        'record-plan',
        'send-report',
      ];
      expect(Object.fromEntries(rolesAllowing(template, 'events:PutEvents'))).toEqual(
        Object.fromEntries(publishers.map((id) => [roleOf(id), [bus]])),
      );
    });

    it('grants table writes only to the functions that write, and reads to all', () => {
      const table = one('AWS::DynamoDB::Table').logicalId;
      const tableArns = [`<${table}.Arn>`, `<${table}.Arn>/index/*`];
      const readOnly: FunctionId[] = ['load-state', 'apply-guardrails'];
      const writers = FUNCTION_IDS.filter((id) => !readOnly.includes(id));
      expect(Object.fromEntries(rolesAllowing(template, 'dynamodb:PutItem'))).toEqual(
        Object.fromEntries(writers.map((id) => [roleOf(id), tableArns])),
      );
      expect(Object.fromEntries(rolesAllowing(template, 'dynamodb:Query'))).toEqual(
        Object.fromEntries(FUNCTION_IDS.map((id) => [roleOf(id), tableArns])),
      );
    });

    it('lets each state machine invoke exactly the functions of its Task states', () => {
      for (const machine of Object.keys(STATE_MACHINES) as StateMachineId[]) {
        const role = logicalIdOfArn(render(stateMachine(machine).properties.RoleArn as Json)) ?? '';
        const functions = [...new Set(Object.values(STATE_MACHINES[machine].tasks) as FunctionId[])];
        expect(rolesAllowing(template, 'lambda:InvokeFunction').get(role)).toEqual(
          functions.map((id) => `<${fn(id).logicalId}.Arn>`).sort(),
        );
      }
    });

    it('allows states:StartExecution to the daily and weekly scheduler roles only', () => {
      expect([...rolesAllowing(template, 'states:StartExecution').values()].sort()).toEqual(
        [[`<${stateMachine('optimize').logicalId}>`], [`<${stateMachine('weekly-report').logicalId}>`]].sort(),
      );
    });
  });

  describe('store and encryption', () => {
    it('keeps the table of TABLE_DEFINITION on demand, with PITR, the client key, TTL and deletion protection', () => {
      const table = one('AWS::DynamoDB::Table');
      expect(table.raw.DeletionPolicy).toBe('Retain');
      expect(table.raw.UpdateReplacePolicy).toBe('Retain');
      expect(table.properties).toEqual({
        KeySchema: [
          { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: [
          TABLE_DEFINITION.partitionKey,
          TABLE_DEFINITION.sortKey,
          ...TABLE_DEFINITION.globalSecondaryIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
        ].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        GlobalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((i) => ({
          IndexName: i.indexName,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [one('AWS::KMS::Key').logicalId, 'Arn'] }, SSEEnabled: true, SSEType: 'KMS' },
        TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
        Tags: [{ Key: 'adpilot:client', Value: client }],
      });
    });

    it('creates one credential secret per configured platform, holding the empty JSON shape the connector reads', () => {
      const platforms = [...new Set(configuredAccounts(config).map((a) => a.platform))];
      const secrets = resources(template, 'AWS::SecretsManager::Secret')
        .filter((s) => !String(s.properties.Name).endsWith('/alerts-webhook'))
        .map((s) => ({ name: s.properties.Name, value: JSON.parse(String(s.properties.SecretString)) }));
      expect(secrets).toEqual(
        platforms.map((platform) => ({
          name: `adpilot/${client}/${platform}`,
          value: Object.fromEntries(Object.keys(CREDENTIAL_ENV[platform]).map((key) => [key, ''])),
        })),
      );
    });

    it('retains only the table and its key when the stack is deleted', () => {
      const all = template.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string }>;
      const retained = Object.values(all)
        .filter((r) => r.DeletionPolicy === 'Retain')
        .map((r) => r.Type)
        .sort();
      expect(retained).toEqual(['AWS::DynamoDB::Table', 'AWS::KMS::Key']);
    });

    it('rotates the client key and keeps it when the stack goes', () => {
      const key = one('AWS::KMS::Key');
      expect(key.properties.EnableKeyRotation).toBe(true);
      expect(key.raw.DeletionPolicy).toBe('Retain');
    });

    it('encrypts every log group, queue, topic and secret with the client key', () => {
      const key = render({ 'Fn::GetAtt': [one('AWS::KMS::Key').logicalId, 'Arn'] });
      const keyOf = (type: string, property: string) => resources(template, type).map((r) => render(r.properties[property] as Json));
      for (const [type, property] of [
        ['AWS::Logs::LogGroup', 'KmsKeyId'],
        ['AWS::SQS::Queue', 'KmsMasterKeyId'],
        ['AWS::SNS::Topic', 'KmsMasterKeyId'],
        ['AWS::SecretsManager::Secret', 'KmsKeyId'],
      ] as const) {
        const keys = keyOf(type, property);
        expect(keys.length).toBeGreaterThan(0);
        expect(new Set(keys)).toEqual(new Set([key]));
      }
    });

    it('refuses plain-HTTP access to every queue and the topic', () => {
      const denies = (type: string, targets: string) =>
        resources(template, type).map((p) => {
          const statements = (p.properties.PolicyDocument as unknown as { Statement: Statement[] }).Statement;
          return {
            for: ((p.properties[targets] ?? []) as Json[]).map(render),
            ssl: statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}'),
          };
        });
      const queues = resources(template, 'AWS::SQS::Queue').map((q) => `<${q.logicalId}>`);
      expect(denies('AWS::SQS::QueuePolicy', 'Queues').sort((a, b) => String(a.for).localeCompare(String(b.for)))).toEqual(
        queues.sort().map((q) => ({ for: [q], ssl: true })),
      );
      expect(denies('AWS::SNS::TopicPolicy', 'Topics')).toEqual([{ for: [`<${one('AWS::SNS::Topic').logicalId}>`], ssl: true }]);
    });
  });

  describe('state machines', () => {
    it.each(Object.keys(STATE_MACHINES) as StateMachineId[])(
      '%s: ASL file with every substitution made, each Task on its function',
      (machine) => {
        const props = stateMachine(machine).properties;
        const asset = String((props.DefinitionS3Location as { Key: string }).Key);
        let definition = readFileSync(join(assemblyDir, `asset.${asset}`), 'utf8');
        expect(definition).toBe(readFileSync(join(PROJECT_ROOT, STATE_MACHINES[machine].file), 'utf8'));
        for (const [name, value] of Object.entries(props.DefinitionSubstitutions as Record<string, Json>)) {
          definition = definition.replaceAll(`\${${name}}`, render(value));
        }
        expect(definition).not.toContain('${');

        const tasks: Record<string, string> = {};
        const walk = (
          states: Record<
            string,
            {
              Type: string;
              Resource?: string;
              ItemProcessor?: { States: never };
              Iterator?: { States: never };
              Branches?: { States: never }[];
            }
          >,
        ) => {
          for (const [name, state] of Object.entries(states)) {
            if (state.Type === 'Task') {
              const logicalId = logicalIdOfArn(state.Resource ?? '');
              const target = resources(template, 'AWS::Lambda::Function').find((f) => f.logicalId === logicalId);
              tasks[name] = String(target?.properties.FunctionName).replace(`adpilot-${client}-`, '');
            }
            for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (nested) walk(nested.States);
          }
        };
        walk((JSON.parse(definition) as { States: never }).States);
        expect(tasks).toEqual(STATE_MACHINES[machine].tasks);
      },
    );

    it.each(Object.keys(STATE_MACHINES) as StateMachineId[])(
      '%s: logs ALL with execution data to an encrypted log group, traced',
      (machine) => {
        const props = stateMachine(machine).properties;
        expect(props.TracingConfiguration).toEqual({ Enabled: true });
        const logging = props.LoggingConfiguration as {
          Level: string;
          IncludeExecutionData: boolean;
          Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: Json } }[];
        };
        expect({ level: logging.Level, data: logging.IncludeExecutionData }).toEqual({ level: 'ALL', data: true });
        const group = logIdOf(logging.Destinations[0]?.CloudWatchLogsLogGroup.LogGroupArn);
        expect(resources(template, 'AWS::Logs::LogGroup').find((g) => g.logicalId === group)?.properties).toEqual({
          LogGroupName: `/aws/vendedlogs/states/adpilot-${client}-${machine}`,
          RetentionInDays: 90,
          KmsKeyId: { 'Fn::GetAtt': [one('AWS::KMS::Key').logicalId, 'Arn'] },
          Tags: [{ Key: 'adpilot:client', Value: client }],
        });
      },
    );
  });

  describe('bus, rules and alerts', () => {
    const ruleFor = (ruleId: RuleId) => {
      const found = resources(template, 'AWS::Events::Rule').find((r) => r.properties.Description === RULES[ruleId].description);
      if (!found) throw new Error(`no rule ${ruleId}`);
      return found;
    };
    const targetsOf = (ruleId: RuleId) => (ruleFor(ruleId).properties.Targets as Record<string, Json>[]).map((t) => render(t.Arn as Json));

    it('routes with exactly the patterns of lib/events/rules.ts on the client bus', () => {
      for (const ruleId of Object.keys(RULES) as RuleId[]) {
        expect(ruleFor(ruleId).properties.EventPattern).toEqual(RULES[ruleId].pattern);
        expect(render(ruleFor(ruleId).properties.EventBusName as Json)).toBe(`<${one('AWS::Events::EventBus').logicalId}>`);
      }
      expect(resources(template, 'AWS::Events::Rule')).toHaveLength(Object.keys(RULES).length);
    });

    it('sends Metrics Ingested to detect-anomalies, with a dead-letter queue on the rule and on the function', () => {
      expect(targetsOf('detectAfterIngest')).toEqual([`<${fn('detect-anomalies').logicalId}.Arn>`]);
      const [target] = ruleFor('detectAfterIngest').properties.Targets as { DeadLetterConfig: { Arn: Json } }[];
      const ruleDlq = render(target?.DeadLetterConfig.Arn ?? null);
      expect(ruleDlq).toMatch(/^<AlertsFailedDetections\w+\.Arn>$/);
      expect(render((fn('detect-anomalies').properties.DeadLetterConfig as { TargetArn: Json }).TargetArn)).toBe(ruleDlq);
    });

    it('sends high anomalies and failures to the alert topic, and to the webhook when one is configured', () => {
      const topic = `<${one('AWS::SNS::Topic').logicalId}>`;
      const destinations = resources(template, 'AWS::Events::ApiDestination');
      const expected = [topic, ...destinations.map((d) => `<${d.logicalId}.Arn>`)];
      expect(targetsOf('alertOnAnomaly')).toEqual(expected);
      expect(targetsOf('alertOnFailure')).toEqual(expected);
      expect(targetsOf('alertOnIngestionFailure')).toEqual(expected);
      expect(destinations.map((d) => d.properties.InvocationEndpoint)).toEqual(config.alerts.webhookUrl ? [config.alerts.webhookUrl] : []);
    });

    it('subscribes the alert emails to the topic', () => {
      expect(
        resources(template, 'AWS::SNS::Subscription').map((s) => ({ protocol: s.properties.Protocol, endpoint: s.properties.Endpoint })),
      ).toEqual(config.alerts.emails.map((email) => ({ protocol: 'email', endpoint: email })));
    });

    it('alarms on every function error, failed execution and dead letter, to the alert topic', () => {
      const topic = `<${one('AWS::SNS::Topic').logicalId}>`;
      const alarms = resources(template, 'AWS::CloudWatch::Alarm').map((a) => ({
        metric: `${a.properties.Namespace}/${a.properties.MetricName}`,
        on: render(((a.properties.Dimensions as { Value: Json }[])[0] as { Value: Json }).Value),
        actions: (a.properties.AlarmActions as Json[]).map(render),
        threshold: a.properties.Threshold,
      }));
      const expected = [
        ...FUNCTION_IDS.map((id) => ({ metric: 'AWS/Lambda/Errors', on: `<${fn(id).logicalId}>` })),
        ...(Object.keys(STATE_MACHINES) as StateMachineId[]).map((m) => ({
          metric: 'AWS/States/ExecutionsFailed',
          on: `<${stateMachine(m).logicalId}>`,
        })),
        ...resources(template, 'AWS::SQS::Queue').map((q) => ({
          metric: 'AWS/SQS/ApproximateNumberOfMessagesVisible',
          on: `<${q.logicalId}.QueueName>`,
        })),
      ].map((a) => ({ ...a, actions: [topic], threshold: 1 }));
      const order = (a: { metric: string; on: string }, b: { metric: string; on: string }) =>
        `${a.metric}${a.on}`.localeCompare(`${b.metric}${b.on}`);
      expect(alarms.sort(order)).toEqual(expected.sort(order));
    });
  });
});

function logIdOf(arn: Json | undefined): string | undefined {
  return arn === undefined ? undefined : logicalIdOfArn(render(arn));
}
