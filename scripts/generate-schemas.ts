/** Writes schemas/events/*.json from the zod event schemas (`npm run schemas`); a test checks they are current. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventJsonSchemas } from '../lib/events/json-schema.ts';

const dir = join(import.meta.dirname, '..', 'schemas', 'events');
mkdirSync(dir, { recursive: true });
for (const [file, text] of Object.entries(eventJsonSchemas())) writeFileSync(join(dir, file), text);
console.log(`wrote ${Object.keys(eventJsonSchemas()).length} schemas to ${dir}`);
