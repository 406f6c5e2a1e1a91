/**
 * The one mapping between Lambda functions, their handler files and the Task states of the
 * state machines. CDK (infra/) builds one NodejsFunction per entry and the definition
 * substitutions from it; the local ASL runner (lib/local/asl-runner.ts) maps each Task state
 * to the same handler through it.
 */

export const LAMBDA_FUNCTIONS = {
  ingest: { entry: 'functions/ingest.ts', description: 'Pulls metrics of one platform account into the store' },
  'detect-anomalies': { entry: 'functions/detect-anomalies.ts', description: 'Runs the anomaly detectors after ingestion' },
  'load-state': { entry: 'functions/load-state.ts', description: 'Optimize: snapshots the state the run decides on' },
  'evaluate-tests': { entry: 'functions/evaluate-tests.ts', description: 'Optimize: evaluates every running A/B test' },
  'plan-budgets': { entry: 'functions/plan-budgets.ts', description: 'Optimize: plans the budget shift' },
  'apply-guardrails': { entry: 'functions/apply-guardrails.ts', description: 'Optimize: checks the plan against the guardrails' },
  'apply-budget-change': { entry: 'functions/apply-budget-change.ts', description: 'Optimize: applies one budget change' },
  'record-plan': { entry: 'functions/record-plan.ts', description: 'Optimize: records the outcome and announces it' },
  'build-report': { entry: 'functions/build-report.ts', description: 'Weekly report: computes the report model' },
  'send-report': { entry: 'functions/send-report.ts', description: 'Weekly report: renders and sends the email' },
} as const;

export type FunctionId = keyof typeof LAMBDA_FUNCTIONS;

export const STATE_MACHINES = {
  optimize: {
    file: 'statemachines/optimize.asl.json',
    tasks: {
      LoadState: 'load-state',
      EvaluateTests: 'evaluate-tests',
      PlanBudgets: 'plan-budgets',
      ApplyGuardrails: 'apply-guardrails',
      ApplyBudgetChange: 'apply-budget-change',
      RecordPlan: 'record-plan',
    },
  },
  'weekly-report': {
    file: 'statemachines/weekly-report.asl.json',
    tasks: {
      BuildReport: 'build-report',
      SendReport: 'send-report',
    },
  },
} as const satisfies Record<string, { file: string; tasks: Record<string, FunctionId> }>;

export type StateMachineId = keyof typeof STATE_MACHINES;

/** The definition substitution naming a function's ARN: `load-state` → `LoadStateFunctionArn`. */
export function functionArnSubstitution(id: FunctionId): string {
  return `${id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}FunctionArn`;
}
