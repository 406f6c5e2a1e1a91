/**
 * cdk-nag (AwsSolutions pack): the stacks of every client have no finding left, and every
 * acknowledgement names a finding the pack really raises on that construct.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NagAcknowledgement } from '../../infra/nag.ts';
import { buildClientsApp, removeOutdir } from './synth.ts';

interface Finding {
  readonly rule: string;
  readonly severity: string | undefined;
  readonly path: string;
}

function findings(scope: Parameters<AwsSolutionsChecks['validateScope']>[0]): Finding[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => ({ rule: v.ruleName, severity: v.severity, path: r.constructPath ?? '' })),
  );
}

function covers(ack: NagAcknowledgement, finding: Finding): boolean {
  const path = ack.scope.node.path;
  return finding.rule === ack.id && (finding.path === path || finding.path.startsWith(`${path}/`));
}

describe('cdk-nag AwsSolutions pack on every client', () => {
  let built: ReturnType<typeof buildClientsApp>;
  let raw: Finding[];

  beforeAll(() => {
    // Acknowledgements deferred: first the raw findings, then the same tree with the acknowledgements applied.
    built = buildClientsApp({ bundling: false, deferNag: true });
    raw = findings(built.app);
  });

  afterAll(() => removeOutdir());

  it('synthesizes a stack per client of clients/', () => {
    expect(built.stacks.map((s) => s.stackName)).toEqual(['AdPilot-acme', 'AdPilot-globex']);
  });

  it('names every acknowledgement with the AwsSolutions- prefix and a specific reason', () => {
    expect(built.nag.all.length).toBeGreaterThan(0);
    for (const ack of built.nag.all) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges each finding once per construct', () => {
    const keys = built.nag.all.map((ack) => `${ack.scope.node.path} ${ack.id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('matches every acknowledgement to a finding the pack raises on that construct', () => {
    const unmatched = built.nag.all.filter((ack) => !raw.some((f) => covers(ack, f))).map((ack) => `${ack.scope.node.path} ${ack.id}`);
    expect(unmatched).toEqual([]);
  });

  it('leaves no finding (error or warning) unacknowledged', () => {
    const open = raw.filter((f) => !built.nag.all.some((ack) => covers(ack, f)));
    expect(open).toEqual([]);
  });

  it('acknowledges only the findings it has to (IAM wildcards AWS requires, rotation, DLQs)', () => {
    const rules = [...new Set(raw.map((f) => f.rule.replace(/\[.*$/, '')))].sort();
    expect(rules).toEqual(['AwsSolutions-IAM5', 'AwsSolutions-SMG4', 'AwsSolutions-SQS3']);
  });

  describe('with the acknowledgements applied', () => {
    let reportFile: string;

    beforeAll(() => {
      built.nag.applyRecorded();
      // app.synth() runs the AwsSolutions plugin registered by createAdPilotApp and throws on any violation.
      reportFile = join(built.app.synth().directory, 'validation-report.json');
    });

    it('has no finding left', () => {
      expect(findings(built.app)).toEqual([]);
    });

    it('passes the validation plugins of synthesis with an empty report', () => {
      const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { pluginReports: unknown[] };
      expect(report.pluginReports).toEqual([]);
    });
  });
});
