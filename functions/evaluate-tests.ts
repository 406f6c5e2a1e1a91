/** Lambda `evaluate-tests`: evaluates every running A/B test of the client for the day. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { RunInput } from '../lib/runtime/inputs.ts';
import { evaluateTests } from '../lib/usecases/evaluate-tests.ts';

export const createHandler = defineHandler(RunInput, evaluateTests);
export const handler = createHandler(awsContext);
