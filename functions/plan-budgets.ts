/** Lambda `plan-budgets`: a thin adapter over the `createPlan` use case. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { RunInput } from '../lib/runtime/inputs.ts';
import { createPlan } from '../lib/usecases/optimize.ts';

export const createHandler = defineHandler(RunInput, createPlan);
export const handler = createHandler(awsContext);
