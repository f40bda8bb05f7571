import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_DIR, jsonSchemaFileName, renderJsonSchemas } from '#events/generate.js';
import { SHOP_DETAIL_TYPES } from '#events/index.js';

const STALE = 'events/json-schema is stale: run `npm run generate` and commit the result';

describe('events/json-schema', () => {
  const rendered = renderJsonSchemas();

  it('holds exactly one file per shop detail-type', () => {
    // Prepare
    const expected = [...rendered.keys()].sort();

    // Act
    const committed = readdirSync(JSON_SCHEMA_DIR)
      .filter((name) => name.endsWith('.json'))
      .sort();

    // Assess
    expect(committed, STALE).toEqual(expected);
  });

  it.each([...rendered])('%s equals the generated JSON Schema', (name, text) => {
    // Prepare
    const file = join(JSON_SCHEMA_DIR, name);

    // Act
    const committed = readFileSync(file, 'utf8');

    // Assess
    expect(committed, STALE).toBe(text);
  });

  it('renders the same bytes every time', () => {
    // Prepare
    const first = [...renderJsonSchemas()];

    // Act
    const second = [...renderJsonSchemas()];

    // Assess
    expect(second).toEqual(first);
  });

  it.each([
    ['OrderPlaced', 'order-placed.json'],
    ['OrderStatusChanged', 'order-status-changed.json'],
    ['CartAbandoned', 'cart-abandoned.json'],
    ['PaymentIssueReported', 'payment-issue-reported.json'],
    ['CustomerOptedOut', 'customer-opted-out.json'],
  ] as const)('names the schema of %s %s', (detailType, expected) => {
    // Prepare, Act
    const name = jsonSchemaFileName(detailType);

    // Assess
    expect(name).toBe(expected);
  });

  it.each(SHOP_DETAIL_TYPES)('%s is a draft 2020-12 schema that admits fields added later', (detailType) => {
    // Prepare
    const text = rendered.get(jsonSchemaFileName(detailType)) ?? '{}';

    // Act
    const schema = JSON.parse(text) as Record<string, unknown>;

    // Assess
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      title: detailType,
    });
    expect(schema.description).toEqual(expect.any(String));
    // Version 1 is additive: a validator built from this file must not reject a shop's newer events.
    expect(text).not.toContain('"additionalProperties": false');
  });
});
