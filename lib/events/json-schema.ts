/** JSON Schemas of the event details, generated from the zod schemas for consumers of the bus. */
import { z } from 'zod';
import { DETAIL_TYPES, type DetailType, EVENT_SCHEMAS, EVENT_SOURCE } from './schemas.ts';

/** File name of a detail type's schema: `Budget Changed` → `budget-changed.json`. */
export function schemaFileName(detailType: DetailType): string {
  return `${detailType.toLowerCase().replace(/\s+/g, '-')}.json`;
}

/** Every detail type's JSON Schema (draft 2020-12), keyed by file name, as pretty-printed text. */
export function eventJsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const detailType of DETAIL_TYPES) {
    const schema = z.toJSONSchema(EVENT_SCHEMAS[detailType], { io: 'output' });
    const document = {
      $id: `https://adpilot.dev/schemas/events/${schemaFileName(detailType)}`,
      title: detailType,
      description: `detail of EventBridge events with source "${EVENT_SOURCE}" and detail-type "${detailType}"`,
      ...schema,
    };
    out[schemaFileName(detailType)] = `${JSON.stringify(document, null, 2)}\n`;
  }
  return out;
}
