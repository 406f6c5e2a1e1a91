/**
 * A state machine loaded from its ASL file (statemachines/*.asl.json) with the function ARNs as
 * definition substitutions, the same file the local runner executes.
 */
import { join } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type FunctionId, functionArnSubstitution, STATE_MACHINES, type StateMachineId } from '../../lib/workflows/tasks.ts';
import { InfraWiringError } from '../errors.ts';
import type { NagAcknowledgements } from '../nag.ts';

export interface AslWorkflowProps {
  readonly client: string;
  readonly machine: StateMachineId;
  /** The folder holding statemachines/. */
  readonly projectRoot: string;
  /** The functions of the machine's Task states (STATE_MACHINES[machine].tasks). */
  readonly functions: ReadonlyMap<FunctionId, lambda.IFunction>;
  /** The client key that encrypts the execution log group. */
  readonly key: kms.IKey;
  readonly nag: NagAcknowledgements;
  /**
   * How long execution logs are kept.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
}

/** A standard state machine with full execution logging to an encrypted log group and X-Ray tracing. */
export class AslWorkflow extends Construct {
  public readonly machine: StateMachineId;
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;
  /** The definition substitutions: `<Name>FunctionArn` → function ARN. */
  public readonly substitutions: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AslWorkflowProps) {
    super(scope, id);
    this.machine = props.machine;
    const spec = STATE_MACHINES[props.machine];
    const name = `adpilot-${props.client}-${props.machine}`;
    const taskFunctions = [...new Set<FunctionId>(Object.values(spec.tasks))].map((functionId) => {
      const fn = props.functions.get(functionId);
      if (!fn) throw new InfraWiringError(`state machine ${props.machine} needs the function ${functionId}`);
      return [functionId, fn] as const;
    });
    this.substitutions = Object.fromEntries(taskFunctions.map(([functionId, fn]) => [functionArnSubstitution(functionId), fn.functionArn]));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps the log delivery resource policy small (AWS recommendation).
      logGroupName: `/aws/vendedlogs/states/${name}`,
      retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.key,
      // Diagnostics only; the outcome of every run is recorded in the table.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: name,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(join(props.projectRoot, spec.file)),
      definitionSubstitutions: this.substitutions,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // The Tasks name unqualified function ARNs as their Resource: exactly these, no versions or aliases.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: taskFunctions.map(([, fn]) => fn.functionArn) }),
    );
    props.nag.acknowledge(
      this.stateMachine.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Step Functions log delivery (logs:CreateLogDelivery, logs:PutResourcePolicy and the other vended-log actions) and ' +
        'X-Ray (xray:PutTraceSegments, xray:GetSamplingRules) support no resource-level permissions; test/infra checks no other action is granted on "*".',
    );
  }
}
