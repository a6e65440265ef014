import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sanitizeToolSchema } from './sanitize-tool-schema.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

const features = (schema: unknown) =>
  sanitizeToolSchema(schema)
    .warnings.map((warning) => `${warning.type}:${warning.feature}`)
    .sort();

/** Wraps a property schema in an object, the way every tool schema arrives. */
const inObject = (property: unknown) => ({ type: 'object', properties: { p: property } });
const property = (schema: unknown) => (sanitizeToolSchema(inObject(schema)).schema?.['properties'] as Record<string, unknown>)['p'];

/** Every keyword Gemini's Schema object accepts (https://ai.google.dev/api/caching#Schema). */
const GEMINI_KEYWORDS = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'items', 'properties', 'required', 'anyOf', 'minimum', 'maximum',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'pattern', 'propertyOrdering', 'example',
]);

/** Asserts that only Gemini keywords remain, recursing through nested schemas. */
function assertGeminiSubset(schema: unknown, path = ''): void {
  if (typeof schema !== 'object' || schema === null) return;
  for (const [key, value] of Object.entries(schema)) {
    expect(GEMINI_KEYWORDS.has(key), `${path}/${key} is not a Gemini keyword`).toBe(true);
    if (key === 'properties') for (const [name, child] of Object.entries(value as object)) assertGeminiSubset(child, `${path}/properties/${name}`);
    if (key === 'items') assertGeminiSubset(value, `${path}/items`);
    if (key === 'anyOf') (value as unknown[]).forEach((child, index) => assertGeminiSubset(child, `${path}/anyOf/${index}`));
    if (key === 'enum') expect((value as unknown[]).every((item) => typeof item === 'string')).toBe(true);
    if (key === 'required') {
      const names = Object.keys(((schema as Record<string, unknown>)['properties'] as object) ?? {});
      for (const name of value as string[]) expect(names).toContain(name);
    }
  }
}

describe('sanitizeToolSchema: keyword by keyword', () => {
  it('drops $schema, $id and $comment silently and additionalProperties with a warning', () => {
    const input = { $schema: 'http://json-schema.org/draft-07/schema#', $id: 'x', $comment: 'c', type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };
    expect(sanitizeToolSchema(input).schema).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(features(input)).toEqual(['dropped:tool-schema.additionalProperties']);
  });

  it('folds an integer exclusiveMinimum/Maximum into minimum/maximum exactly', () => {
    expect(property({ type: 'integer', exclusiveMinimum: 0 })).toEqual({ type: 'integer', minimum: 1 });
    expect(property({ type: 'integer', exclusiveMaximum: 10, maximum: 5 })).toEqual({ type: 'integer', maximum: 5 });
    expect(property({ type: 'integer', exclusiveMaximum: 10, maximum: 50 })).toEqual({ type: 'integer', maximum: 9 });
    // draft 4 boolean form
    expect(property({ type: 'integer', minimum: 3, exclusiveMinimum: true })).toEqual({ type: 'integer', minimum: 4 });
    expect(features(inObject({ type: 'integer', exclusiveMinimum: 0 }))).toEqual([]);
  });

  it('tells the model about a non-integer exclusive bound it cannot express', () => {
    expect(property({ type: 'number', exclusiveMinimum: 0.5, description: 'Ratio' })).toEqual({ type: 'number', description: 'Ratio (> 0.5)' });
    expect(features(inObject({ type: 'number', exclusiveMinimum: 0.5 }))).toEqual(['coerced:tool-schema.exclusiveMinimum']);
  });

  it('turns const into a one-value enum, and non-string enums into a description note', () => {
    expect(property({ const: 'issue' })).toEqual({ type: 'string', enum: ['issue'] });
    expect(property({ type: 'integer', enum: [1, 2, 3] })).toEqual({ type: 'integer', description: '(one of: 1, 2, 3)' });
    expect(property({ type: 'boolean', const: true, description: 'Flag' })).toEqual({ type: 'boolean', description: 'Flag (must be true)' });
    expect(property({ type: 'string', enum: ['a', null] })).toEqual({ type: 'string', enum: ['a'], nullable: true });
  });

  it('keeps only the formats Gemini supports', () => {
    expect(property({ type: 'string', format: 'date-time' })).toEqual({ type: 'string', format: 'date-time' });
    expect(property({ type: 'string', format: 'enum', enum: ['x'] })).toEqual({ type: 'string', format: 'enum', enum: ['x'] });
    expect(property({ type: 'integer', format: 'int64' })).toEqual({ type: 'integer', format: 'int64' });
    expect(property({ type: 'number', format: 'double' })).toEqual({ type: 'number', format: 'double' });
    expect(property({ type: 'string', format: 'uri' })).toEqual({ type: 'string' });
    expect(property({ type: 'string', format: 'email' })).toEqual({ type: 'string' });
    expect(property({ type: 'integer', format: 'float' })).toEqual({ type: 'integer' });
    expect(features(inObject({ type: 'string', format: 'uri' }))).toEqual(['dropped:tool-schema.format']);
  });

  it('drops default, turns examples into example, keeps title', () => {
    expect(property({ type: 'string', title: 'Name', default: 'x', examples: ['a', 'b'] })).toEqual({ type: 'string', title: 'Name', example: 'a' });
    expect(features(inObject({ type: 'string', default: 'x', examples: ['a', 'b'] }))).toEqual(['coerced:tool-schema.examples', 'dropped:tool-schema.default']);
  });

  it('turns type [T, null] into nullable, and a multi-type array into anyOf', () => {
    expect(property({ type: ['string', 'null'], description: 'd' })).toEqual({ type: 'string', description: 'd', nullable: true });
    expect(property({ type: ['string', 'number'] })).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(property({ type: ['string', 'integer', 'null'] })).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }], nullable: true });
  });

  it('turns anyOf/oneOf with null into nullable, merging a single remaining member', () => {
    expect(property({ anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }], description: 'Milestone' })).toEqual({
      type: 'integer',
      minimum: 1,
      description: 'Milestone',
      nullable: true,
    });
    expect(property({ oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'integer' }],
      nullable: true,
    });
    expect(features(inObject({ oneOf: [{ type: 'string' }, { type: 'integer' }] }))).toEqual(['coerced:tool-schema.oneOf']);
  });

  it('merges allOf members', () => {
    const input = inObject({ allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'integer' } }, required: ['b'] }] });
    expect(property(input.properties.p)).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'integer' } }, required: ['a', 'b'] });
  });

  it('drops an empty properties map, and the whole root when it is an empty object schema', () => {
    expect(property({ type: 'object', properties: {} })).toEqual({ type: 'object' });
    expect(sanitizeToolSchema({ type: 'object', properties: {}, additionalProperties: false }).schema).toBeUndefined();
    expect(sanitizeToolSchema({ type: 'object' }).schema).toBeUndefined();
    expect(sanitizeToolSchema({ type: 'object', properties: {} }, { keepEmptyRoot: true }).schema).toEqual({ type: 'object' });
  });

  it('drops patternProperties, propertyNames, unevaluatedProperties, dependentRequired, if/then/else, not', () => {
    const input = {
      type: 'object',
      properties: { a: { type: 'string' } },
      patternProperties: { '^x-': { type: 'string' } },
      propertyNames: { pattern: '^[a-z]+$' },
      unevaluatedProperties: false,
      dependentRequired: { a: ['b'] },
      if: { properties: { a: { const: 'x' } } },
      then: { required: ['a'] },
      not: { required: ['z'] },
      uniqueItems: true,
      multipleOf: 2,
    };
    expect(sanitizeToolSchema(input).schema).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(features(input)).toEqual([
      'dropped:tool-schema.dependentRequired',
      'dropped:tool-schema.if',
      'dropped:tool-schema.multipleOf',
      'dropped:tool-schema.not',
      'dropped:tool-schema.patternProperties',
      'dropped:tool-schema.propertyNames',
      'dropped:tool-schema.then',
      'dropped:tool-schema.unevaluatedProperties',
      'dropped:tool-schema.uniqueItems',
    ]);
  });

  it('removes required entries naming no property', () => {
    const input = { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost', 'a'] };
    expect(sanitizeToolSchema(input).schema).toEqual({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    expect(features(input)).toEqual(['dropped:tool-schema.required-unknown-property']);
  });

  it('inlines $ref into $defs/definitions, with siblings winning', () => {
    const input = {
      type: 'object',
      properties: { user: { $ref: '#/definitions/User', description: 'The assignee' }, other: { $ref: '#/$defs/Id' } },
      definitions: { User: { type: 'object', description: 'A user', properties: { login: { type: 'string' } }, additionalProperties: false } },
      $defs: { Id: { type: 'string', pattern: '^[0-9]+$' } },
    };
    expect(sanitizeToolSchema(input).schema).toEqual({
      type: 'object',
      properties: {
        user: { type: 'object', description: 'The assignee', properties: { login: { type: 'string' } } },
        other: { type: 'string', pattern: '^[0-9]+$' },
      },
    });
  });

  it('stubs a recursive $ref with a warning instead of looping', () => {
    const input = {
      type: 'object',
      properties: { root: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', description: 'A node', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
    };
    const result = sanitizeToolSchema(input);
    expect(result.schema).toEqual({
      type: 'object',
      properties: {
        root: {
          type: 'object',
          description: 'A node',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { type: 'object', description: 'A node' } } },
        },
      },
    });
    expect(result.warnings.map((w) => w.feature)).toEqual(['tool-schema.$ref-cycle']);
  });

  it('limits the depth of nested (non-recursive) $ref expansions', () => {
    const $defs: Record<string, unknown> = {};
    for (let level = 0; level < 5; level++) $defs[`L${level}`] = { type: 'object', properties: { next: { $ref: `#/$defs/L${level + 1}` } } };
    $defs['L5'] = { type: 'string' };
    const result = sanitizeToolSchema({ type: 'object', properties: { start: { $ref: '#/$defs/L0' } }, $defs }, { maxRefDepth: 3 });
    expect(result.warnings.map((w) => w.feature)).toEqual(['tool-schema.$ref-depth']);
    expect(JSON.stringify(result.schema)).not.toContain('$ref');
  });

  it('drops an unresolvable or remote $ref with a warning', () => {
    expect(property({ $ref: 'https://example.com/schema.json' })).toEqual({});
    expect(features(inObject({ $ref: '#/$defs/Missing' }))).toEqual(['dropped:tool-schema.$ref-unresolved']);
  });

  it('turns tuple items into one items schema', () => {
    expect(property({ type: 'array', items: [{ type: 'number' }, { type: 'number' }] })).toEqual({ type: 'array', items: { type: 'number' } });
    expect(property({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] })).toEqual({
      type: 'array',
      items: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    });
  });

  it('infers the type Gemini needs when JSON Schema leaves it implicit', () => {
    expect(property({ properties: { a: { type: 'string' } } })).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(property({ items: { type: 'string' } })).toEqual({ type: 'array', items: { type: 'string' } });
    expect(property({ enum: ['a', 'b'] })).toEqual({ type: 'string', enum: ['a', 'b'] });
  });

  it('never treats property names as keywords', () => {
    const input = { type: 'object', properties: { default: { type: 'string' }, $ref: { type: 'string' }, additionalProperties: { type: 'boolean' } }, required: ['default', '$ref'] };
    expect(sanitizeToolSchema(input).schema).toEqual(input);
    expect(sanitizeToolSchema(input).warnings).toEqual([]);
  });
});

describe('sanitizeToolSchema: nesting', () => {
  const dirty = { type: ['integer', 'null'], exclusiveMinimum: 0, format: 'uint32', default: 3, additionalProperties: false };
  const clean = { type: 'integer', minimum: 1, nullable: true };

  it('cleans inside properties, items, anyOf members and $defs alike', () => {
    const input = {
      type: 'object',
      properties: {
        direct: dirty,
        list: { type: 'array', items: dirty },
        nested: { type: 'object', properties: { deeper: { type: 'array', items: { type: 'object', properties: { x: dirty } } } } },
        union: { anyOf: [{ type: 'object', properties: { x: dirty } }, { type: 'string', format: 'uri' }] },
        viaRef: { $ref: '#/$defs/D' },
      },
      $defs: { D: dirty },
    };
    const { schema } = sanitizeToolSchema(input);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        direct: clean,
        list: { type: 'array', items: clean },
        nested: { type: 'object', properties: { deeper: { type: 'array', items: { type: 'object', properties: { x: clean } } } } },
        union: { anyOf: [{ type: 'object', properties: { x: clean } }, { type: 'string' }] },
        viaRef: clean,
      },
    });
    assertGeminiSubset(schema);
  });

  it('reports one warning per keyword with the first paths', () => {
    const input = { type: 'object', properties: { a: { type: 'string', format: 'uri' }, b: { type: 'string', format: 'email' } } };
    expect(sanitizeToolSchema(input, { label: 'tool "x"' }).warnings).toEqual([
      { type: 'dropped', feature: 'tool-schema.format', details: 'tool "x": at /properties/a, /properties/b' },
    ]);
  });

  it('never mutates its input', () => {
    const tools = fixture('claude-code-tools.json');
    const before = JSON.stringify(tools);
    for (const tool of tools) sanitizeToolSchema(tool.input_schema);
    expect(JSON.stringify(tools)).toBe(before);
  });

  it('leaves only Gemini keywords in any JSON value it is given', () => {
    const keyword = fc.constantFrom('type', 'format', 'properties', 'items', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'required', 'additionalProperties', '$ref', 'exclusiveMinimum', 'default', 'title', 'minimum', 'not', 'nullable');
    const schema = fc.letrec((tie) => ({
      node: fc.dictionary(keyword, fc.oneof(fc.constantFrom('string', 'integer', 'number', 'object', 'array', 'null', 'uri'), fc.integer(), fc.boolean(), fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }), tie('node'), fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 3 }), fc.array(tie('node'), { maxLength: 3 })), { maxKeys: 6 }),
    })).node;
    fc.assert(
      fc.property(schema, (input) => {
        const copy = JSON.stringify(input);
        const { schema: output } = sanitizeToolSchema(input);
        expect(JSON.stringify(input)).toBe(copy);
        if (output) assertGeminiSubsetLoose(output);
      }),
      { numRuns: 300 },
    );
  });
});

/** Like assertGeminiSubset, but tolerant of the garbage shapes fast-check makes (non-object property maps). */
function assertGeminiSubsetLoose(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    expect(GEMINI_KEYWORDS.has(key), `${key} is not a Gemini keyword`).toBe(true);
    if (key === 'properties' && typeof value === 'object' && value !== null) for (const child of Object.values(value)) assertGeminiSubsetLoose(child);
    if (key === 'items') assertGeminiSubsetLoose(value);
    if (key === 'anyOf' && Array.isArray(value)) value.forEach(assertGeminiSubsetLoose);
  }
}

describe('sanitizeToolSchema: realistic Claude Code / MCP tools', () => {
  const tools = fixture('claude-code-tools.json') as Array<{ name: string; input_schema: unknown }>;
  const byName = (name: string) => sanitizeToolSchema(tools.find((tool) => tool.name === name)!.input_schema, { label: `tool "${name}"` });

  it('yields only Gemini keywords for every tool', () => {
    for (const tool of tools) assertGeminiSubset(sanitizeToolSchema(tool.input_schema).schema);
  });

  it('keeps descriptions, enums and required fields intact', () => {
    expect(byName('TodoWrite').schema).toEqual({
      type: 'object',
      properties: {
        todos: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              content: { type: 'string', minLength: 1 },
              status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
              activeForm: { type: 'string', minLength: 1 },
            },
            required: ['content', 'status', 'activeForm'],
          },
          description: 'The updated todo list',
        },
      },
      required: ['todos'],
    });
  });

  it('rewrites the MCP GitHub tool: nullable, refs, const, integer enum, exclusive bounds', () => {
    const { schema, warnings } = byName('mcp__github__create_issue');
    expect(schema).toEqual({
      type: 'object',
      properties: {
        owner: { type: 'string', description: 'Repository owner' },
        repo: { type: 'string', description: 'Repository name' },
        title: { type: 'string', description: 'Issue title' },
        body: { type: 'string', description: 'Issue body content', nullable: true },
        labels: { type: 'array', items: { type: 'string' }, description: 'Labels to apply' },
        milestone: { type: 'integer', minimum: 1, title: 'Milestone', nullable: true },
        assignee: { type: 'object', title: 'User', properties: { login: { type: 'string' }, id: { type: 'integer', format: 'int64' } }, required: ['login'] },
        metadata: { type: 'object' },
        kind: { type: 'string', enum: ['issue'] },
        priority: { type: 'integer', description: '(one of: 1, 2, 3)' },
        due: { type: 'string', format: 'date-time' },
      },
      required: ['owner', 'repo', 'title'],
    });
    expect(warnings.map((w) => `${w.type}:${w.feature}`).sort()).toEqual([
      'coerced:tool-schema.const',
      'coerced:tool-schema.enum-non-string',
      'dropped:tool-schema.additionalProperties',
      'dropped:tool-schema.default',
      'dropped:tool-schema.propertyNames',
      'dropped:tool-schema.required-unknown-property',
    ]);
    expect(warnings.every((w) => w.details?.startsWith('tool "mcp__github__create_issue": at '))).toBe(true);
  });

  it('handles the recursive MCP memory schema and the parameterless tool', () => {
    const memory = byName('mcp__memory__create_entities');
    expect(JSON.stringify(memory.schema)).not.toMatch(/\$ref|\$defs/);
    expect(memory.warnings.map((w) => w.feature)).toEqual(['tool-schema.$ref-cycle']);
    expect(byName('ExitPlanMode').schema).toBeUndefined();
    expect(byName('Read').schema?.['properties']).toEqual({
      file_path: { type: 'string', description: 'The absolute path to the file to read' },
      offset: { type: 'integer', minimum: 1, maximum: 9007199254740991, description: 'The line number to start reading from.' },
      limit: { type: 'integer', minimum: 1, maximum: 9007199254740991 },
    });
  });
});
