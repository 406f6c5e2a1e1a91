/**
 * Acknowledgements of cdk-nag (AwsSolutions pack) findings. Every acknowledgement goes through
 * here so that it names the rule with its pack prefix, carries a specific reason, and is recorded:
 * test/infra proves each recorded acknowledgement matches a finding the pack really raises.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { NagAcknowledgementError } from './errors.ts';

/** A rule id of the AwsSolutions pack, optionally narrowed to one finding: `AwsSolutions-IAM5[Resource::*]`. */
export type NagRuleId = `AwsSolutions-${string}`;

export interface NagAcknowledgement {
  /** The construct the acknowledgement is attached to (it covers that construct and its children). */
  readonly scope: IConstruct;
  readonly id: NagRuleId;
  readonly reason: string;
}

export interface NagAcknowledgementsProps {
  /**
   * Record acknowledgements without applying them, so that a test can see the raw findings and
   * then apply the recorded acknowledgements with `applyRecorded()`.
   * @default false
   */
  readonly deferred?: boolean;
}

/** Applies and records the acknowledgements of one app. */
export class NagAcknowledgements {
  private readonly recorded: NagAcknowledgement[] = [];
  private readonly deferred: boolean;

  constructor(props: NagAcknowledgementsProps = {}) {
    this.deferred = props.deferred ?? false;
  }

  /** Acknowledges the finding `id` on `scope` and its children, for `reason`. */
  acknowledge(scope: IConstruct, id: NagRuleId, reason: string): void {
    if (!/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/.test(id)) throw new NagAcknowledgementError(`not an AwsSolutions rule id: ${id}`, id);
    if (reason.trim().length < 20) throw new NagAcknowledgementError(`the acknowledgement of ${id} needs a specific reason`, id);
    const entry = { scope, id, reason };
    this.recorded.push(entry);
    if (!this.deferred) apply(entry);
  }

  /** Every acknowledgement made so far. */
  get all(): readonly NagAcknowledgement[] {
    return [...this.recorded];
  }

  /** Applies the recorded acknowledgements (deferred mode). */
  applyRecorded(): void {
    if (!this.deferred) throw new NagAcknowledgementError('acknowledgements were already applied when made', '*');
    for (const entry of this.recorded) apply(entry);
  }
}

function apply(entry: NagAcknowledgement): void {
  Validations.of(entry.scope).acknowledge({ id: entry.id, reason: entry.reason });
}
