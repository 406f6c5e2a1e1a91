/** Lambda `record-plan`: a thin adapter over the `recordPlan` use case. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { RecordInput } from '../lib/runtime/inputs.ts';
import { recordPlan } from '../lib/usecases/optimize.ts';

export const createHandler = defineHandler(RecordInput, recordPlan);
export const handler = createHandler(awsContext);
