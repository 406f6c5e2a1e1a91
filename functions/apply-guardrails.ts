/** Lambda `apply-guardrails`: a thin adapter over the `applyGuardrails` use case. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { PlanInput } from '../lib/runtime/inputs.ts';
import { applyGuardrails } from '../lib/usecases/optimize.ts';

export const createHandler = defineHandler(PlanInput, applyGuardrails);
export const handler = createHandler(awsContext);
