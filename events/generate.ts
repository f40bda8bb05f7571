/**
 * Writes `events/json-schema/<detail-type>.json` from the zod schemas, for shop developers whose backend
 * is not written in TypeScript (and for EventBridge's schema registry, should a shop want one).
 * Run with `npm run generate`; a unit test fails when the committed files differ from this output.
 */
import { readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from './schemas/zod.js';
import { SHOP_DETAIL_TYPES, type ShopDetailType, shopDetailSchemas } from './index.js';

export const JSON_SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'json-schema');

/** `OrderStatusChanged` -> `order-status-changed.json`, the repository's file naming. */
export const jsonSchemaFileName = (detailType: ShopDetailType): string =>
  `${detailType.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase()}.json`;

/** File name -> file content, in a fixed order, so the same schemas always give the same bytes. */
export const renderJsonSchemas = (): Map<string, string> =>
  new Map(
    SHOP_DETAIL_TYPES.map((detailType) => {
      // The input side is what the shop sends; it is also the side that accepts unknown fields.
      const schema = z.toJSONSchema(shopDetailSchemas[detailType], { target: 'draft-2020-12', io: 'input' });
      return [jsonSchemaFileName(detailType), `${JSON.stringify(schema, null, 2)}\n`];
    }),
  );

/** Writes every schema and removes files of detail-types that no longer exist. */
export const writeJsonSchemas = (dir = JSON_SCHEMA_DIR): string[] => {
  const files = renderJsonSchemas();
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.json') && !files.has(name)) rmSync(join(dir, name));
  }
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return [...files.keys()];
};

const isEntryPoint = (): boolean => {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
};

if (isEntryPoint()) {
  const written = writeJsonSchemas();
  console.log(`events/json-schema: wrote ${written.join(', ')}`);
}
