/** Lambda `apply-budget-change`: a thin adapter over the `applyBudgetChange` use case. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { ChangeInput } from '../lib/runtime/inputs.ts';
import { applyBudgetChange } from '../lib/usecases/optimize.ts';

export const createHandler = defineHandler(ChangeInput, applyBudgetChange);
export const handler = createHandler(awsContext);
