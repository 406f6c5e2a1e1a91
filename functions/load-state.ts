/** Lambda `load-state`: a thin adapter over the `loadState` use case. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { DateInput } from '../lib/runtime/inputs.ts';
import { loadState } from '../lib/usecases/optimize.ts';

export const createHandler = defineHandler(DateInput, loadState);
export const handler = createHandler(awsContext);
