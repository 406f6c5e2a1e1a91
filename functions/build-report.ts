/** Lambda `build-report`: computes the weekly report model and stores it. */
import { awsContext } from '../lib/runtime/aws-context.ts';
import { defineHandler } from '../lib/runtime/handler.ts';
import { ReportInput } from '../lib/runtime/inputs.ts';
import { buildReport } from '../lib/usecases/report.ts';

export const createHandler = defineHandler(ReportInput, buildReport);
export const handler = createHandler(awsContext);
