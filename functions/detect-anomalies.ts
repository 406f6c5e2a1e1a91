/** Lambda `detect-anomalies`: runs on each `Metrics Ingested` event of the client bus. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { DetectInput } from '../lib/runtime/inputs.ts';
import { detectAfterIngest } from '../lib/usecases/detect.ts';

export const createHandler = defineHandler(DetectInput, detectAfterIngest);
export const handler = createHandler(awsContext);
