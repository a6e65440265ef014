import type { IrWarning } from '../../ir/ir-warning.js';

/**
 * JSON Schema (as MCP servers, Claude Code and OpenAI clients write it) → the OpenAPI 3.0 subset
 * Gemini accepts in `functionDeclarations[].parameters` and `responseSchema`. Gemini answers 400
 * to keywords outside its Schema object (`$schema`, `additionalProperties`, `exclusiveMinimum`,
 * unknown `format`s…), so they are removed, or rewritten into an equivalent form it accepts:
 * - `$ref` into `$defs`/`definitions` is inlined (depth-limited; a cycle becomes a stub);
 * - `type: [T, 'null']`, `anyOf/oneOf [.., {type: null}]` → `nullable: true`;
 * - `type: [A, B]` → `anyOf`, `oneOf` → `anyOf`, `allOf` → merged;
 * - `const` → one-value `enum`; non-string enums/consts (Gemini enums are strings) and exclusive
 *   bounds it cannot express move into the description so the model still sees them;
 * - integer `exclusiveMinimum: n` → `minimum: n + 1` (exact);
 * - `required` entries naming no property are removed (Gemini rejects them);
 * - an object schema with no properties at the top level becomes `undefined` (send no
 *   `parameters` at all, as Gemini rejects an OBJECT with empty properties).
 * Everything else outside the allow-list below is dropped with a warning. Property *names* are
 * never treated as keywords (a property called `default` or `$ref` survives).
 *
 * Pure: the input is never mutated. Warnings come one per keyword, with the first paths.
 *
 * Strategy note: Gemini also accepts full JSON Schema in `parametersJsonSchema`, but only on
 * newer models; the sanitised `parameters` form works on every Gemini model, so the encoder
 * always uses it (see encode-request.ts).
 * @see https://ai.google.dev/api/caching#Schema
 * @see https://ai.google.dev/gemini-api/docs/function-calling#function_declarations
 */
export interface SanitizedToolSchema {
  /** `undefined` when the schema is an object with no properties (send no `parameters`). */
  schema: Record<string, unknown> | undefined;
  warnings: IrWarning[];
}

export interface SanitizeToolSchemaOptions {
  /** Prefix for warning details, e.g. `tool "search"`. */
  label?: string;
  /** How many `$ref` expansions may nest before the rest is stubbed (default 8). */
  maxRefDepth?: number;
  /** Keep an empty top-level object schema as `{type: 'object'}` instead of `undefined`. */
  keepEmptyRoot?: boolean;
}

/** Keywords of Gemini's Schema object kept as they are (after recursion where they nest). */
const SCALAR_KEYWORDS = new Set([
  'title',
  'description',
  'nullable',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'pattern',
  'propertyOrdering',
  'example',
]);

/** Keywords with no meaning for the model once the schema is inlined: removed without a warning. */
const SILENT_KEYWORDS = new Set(['$schema', '$id', '$comment', '$anchor', '$dynamicAnchor', '$defs', 'definitions', '$vocabulary']);

const STRING_FORMATS = new Set(['enum', 'date-time']);
const NUMBER_FORMATS = new Set(['float', 'double']);
const INTEGER_FORMATS = new Set(['int32', 'int64']);
const MAX_NESTING = 64;

type Schema = Record<string, unknown>;

interface Context {
  root: unknown;
  maxRefDepth: number;
  /** keyword → paths where it was dropped/coerced. */
  dropped: Map<string, string[]>;
  coerced: Map<string, string[]>;
}

export function sanitizeToolSchema(schema: unknown, options: SanitizeToolSchemaOptions = {}): SanitizedToolSchema {
  const context: Context = { root: schema, maxRefDepth: options.maxRefDepth ?? 8, dropped: new Map(), coerced: new Map() };
  let result: Schema | undefined = convert(schema, '', context, [], 0);
  if (!options.keepEmptyRoot && isEmptyObjectSchema(result)) result = undefined;
  return { schema: result, warnings: collectWarnings(context, options.label) };
}

function collectWarnings(context: Context, label: string | undefined): IrWarning[] {
  const warnings: IrWarning[] = [];
  const describe = (paths: string[]) => {
    const shown = paths.slice(0, 3).map((path) => path || '/').join(', ');
    const more = paths.length > 3 ? ` (+${paths.length - 3} more)` : '';
    return `${label ? `${label}: ` : ''}at ${shown}${more}`;
  };
  for (const [keyword, paths] of context.dropped) warnings.push({ type: 'dropped', feature: `tool-schema.${keyword}`, details: describe(paths) });
  for (const [keyword, paths] of context.coerced) warnings.push({ type: 'coerced', feature: `tool-schema.${keyword}`, details: describe(paths) });
  return warnings;
}

function note(map: Map<string, string[]>, keyword: string, path: string): void {
  const paths = map.get(keyword);
  if (paths) paths.push(path);
  else map.set(keyword, [path]);
}

function isPlainObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmptyObjectSchema(schema: Schema | undefined): boolean {
  if (!schema) return false;
  const keys = Object.keys(schema).filter((key) => key !== 'title' && key !== 'description');
  return schema['type'] === 'object' && keys.length === 1;
}

/** One schema node → Gemini's subset. `refs` holds the `$ref`s being expanded (cycle check). */
function convert(node: unknown, path: string, context: Context, refs: string[], depth: number): Schema {
  if (node === true || node === undefined) return {};
  if (node === false || !isPlainObject(node)) {
    note(context.dropped, typeof node === 'boolean' ? 'false-schema' : 'invalid-schema', path);
    return {};
  }
  if (depth > MAX_NESTING) {
    note(context.dropped, 'nesting-depth', path);
    return {};
  }
  if (typeof node['$ref'] === 'string') return convertRef(node, path, context, refs, depth);

  const result: Schema = {};
  const descriptionNotes: string[] = [];
  let nullable = false;

  for (const [key, value] of Object.entries(node)) {
    switch (key) {
      case 'type':
        nullable = applyType(result, value, path, context) || nullable;
        break;
      case 'format':
        // Decided after the type is known (below).
        break;
      case 'properties':
        if (isPlainObject(value)) {
          const properties: Schema = {};
          for (const [name, property] of Object.entries(value)) {
            properties[name] = convert(property, `${path}/properties/${escapePointer(name)}`, context, refs, depth + 1);
          }
          if (Object.keys(properties).length > 0) result['properties'] = properties;
        }
        break;
      case 'required':
        // Filtered against the final properties (below).
        break;
      case 'items':
        if (Array.isArray(value)) result['items'] = tupleItems(value, `${path}/items`, context, refs, depth);
        else if (value !== undefined) result['items'] = convert(value, `${path}/items`, context, refs, depth + 1);
        break;
      case 'prefixItems':
        if (Array.isArray(value) && node['items'] === undefined) result['items'] = tupleItems(value, `${path}/prefixItems`, context, refs, depth);
        else note(context.dropped, 'prefixItems', path);
        break;
      case 'anyOf':
      case 'oneOf':
        if (key === 'oneOf') note(context.coerced, 'oneOf', path);
        nullable = applyUnion(result, value, `${path}/${key}`, context, refs, depth) || nullable;
        break;
      case 'allOf':
        applyAllOf(result, value, `${path}/allOf`, context, refs, depth);
        break;
      case 'enum':
        nullable = applyEnum(result, value, path, context, descriptionNotes) || nullable;
        break;
      case 'const':
        if (node['enum'] === undefined) nullable = applyEnum(result, [value], path, context, descriptionNotes, 'const') || nullable;
        break;
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        applyExclusiveBound(result, node, key, path, context, descriptionNotes);
        break;
      case 'examples':
        if (Array.isArray(value) && value.length > 0 && node['example'] === undefined) {
          result['example'] = value[0];
          if (value.length > 1) note(context.coerced, 'examples', path);
        } else {
          note(context.dropped, 'examples', path);
        }
        break;
      case 'minimum':
      case 'maximum':
        // Written by applyExclusiveBound when it already tightened them.
        if (result[key] === undefined && typeof value === 'number') result[key] = value;
        break;
      default:
        if (SCALAR_KEYWORDS.has(key)) {
          if (value !== undefined) result[key] = value;
        } else if (!SILENT_KEYWORDS.has(key)) {
          note(context.dropped, key, path);
        }
    }
  }

  // Infer the type Gemini needs when JSON Schema left it implicit.
  if (result['type'] === undefined && result['anyOf'] === undefined) {
    if (result['properties'] !== undefined) result['type'] = 'object';
    else if (result['items'] !== undefined) result['type'] = 'array';
    else if (Array.isArray(result['enum'])) result['type'] = 'string';
  }

  if (node['format'] !== undefined) applyFormat(result, node['format'], path, context);
  if (node['required'] !== undefined) applyRequired(result, node['required'], path, context);
  if (nullable) result['nullable'] = true;
  if (descriptionNotes.length > 0) {
    const description = typeof result['description'] === 'string' && result['description'] ? `${result['description']} ` : '';
    result['description'] = `${description}(${descriptionNotes.join('; ')})`;
  }
  return result;
}

/** Returns true when the type admits null. */
function applyType(result: Schema, value: unknown, path: string, context: Context): boolean {
  if (typeof value === 'string') {
    result['type'] = value;
    return false;
  }
  if (!Array.isArray(value)) {
    note(context.dropped, 'type', path);
    return false;
  }
  const types = value.filter((type): type is string => typeof type === 'string');
  const nonNull = types.filter((type) => type !== 'null');
  const nullable = nonNull.length < types.length;
  if (nonNull.length === 1) result['type'] = nonNull[0];
  else if (nonNull.length > 1) {
    result['anyOf'] = nonNull.map((type) => ({ type }));
    note(context.coerced, 'type-array', path);
  } else if (nullable) result['type'] = 'null';
  return nullable && nonNull.length > 0;
}

function applyFormat(result: Schema, format: unknown, path: string, context: Context): void {
  const type = result['type'];
  const allowed =
    typeof format === 'string' &&
    ((type === 'string' && STRING_FORMATS.has(format)) || (type === 'number' && NUMBER_FORMATS.has(format)) || (type === 'integer' && INTEGER_FORMATS.has(format)));
  if (allowed) result['format'] = format;
  else note(context.dropped, 'format', path);
}

function applyRequired(result: Schema, required: unknown, path: string, context: Context): void {
  if (!Array.isArray(required)) {
    note(context.dropped, 'required', path);
    return;
  }
  const properties = isPlainObject(result['properties']) ? result['properties'] : {};
  const kept = required.filter((name): name is string => typeof name === 'string' && Object.hasOwn(properties, name));
  const unique = [...new Set(kept)];
  if (unique.length < required.length) note(context.dropped, 'required-unknown-property', path);
  if (unique.length > 0) result['required'] = unique;
}

/** Gemini enums are strings. String values stay; others move into the description. */
function applyEnum(result: Schema, value: unknown, path: string, context: Context, notes: string[], keyword = 'enum'): boolean {
  if (!Array.isArray(value)) {
    note(context.dropped, keyword, path);
    return false;
  }
  const nullable = value.includes(null);
  const values = value.filter((item) => item !== null);
  if (values.length === 0) return nullable;
  if (values.every((item) => typeof item === 'string')) {
    result['enum'] = values;
    if (keyword === 'const') note(context.coerced, 'const', path);
  } else {
    const list = values.map((item) => JSON.stringify(item)).join(', ');
    notes.push(keyword === 'const' || values.length === 1 ? `must be ${list}` : `one of: ${list}`);
    note(context.coerced, `${keyword}-non-string`, path);
  }
  return nullable;
}

/** Draft 6+ numeric `exclusiveMinimum: n`, or draft 4 boolean `exclusiveMinimum: true` + `minimum`. */
function applyExclusiveBound(result: Schema, node: Schema, key: 'exclusiveMinimum' | 'exclusiveMaximum', path: string, context: Context, notes: string[]): void {
  const inclusiveKey = key === 'exclusiveMinimum' ? 'minimum' : 'maximum';
  const raw = node[key];
  const bound = typeof raw === 'number' ? raw : raw === true && typeof node[inclusiveKey] === 'number' ? (node[inclusiveKey] as number) : undefined;
  if (bound === undefined) {
    if (raw !== false) note(context.dropped, key, path);
    return;
  }
  const isInteger = node['type'] === 'integer' || (Array.isArray(node['type']) && node['type'].includes('integer') && !node['type'].includes('number'));
  if (isInteger && Number.isInteger(bound)) {
    const tightened = key === 'exclusiveMinimum' ? bound + 1 : bound - 1;
    const existing = node[inclusiveKey];
    const stricter =
      typeof existing === 'number' && raw !== true ? (key === 'exclusiveMinimum' ? Math.max(existing, tightened) : Math.min(existing, tightened)) : tightened;
    result[inclusiveKey] = stricter;
    return;
  }
  // A non-integer exclusive bound has no Gemini form: keep the inclusive bound if any, tell the model.
  notes.push(`${key === 'exclusiveMinimum' ? '>' : '<'} ${bound}`);
  note(context.coerced, key, path);
}

/** anyOf/oneOf: null members become `nullable`; a single remaining member is merged in. */
function applyUnion(result: Schema, value: unknown, path: string, context: Context, refs: string[], depth: number): boolean {
  if (!Array.isArray(value)) {
    note(context.dropped, 'anyOf', path);
    return false;
  }
  const isNull = (member: unknown) =>
    isPlainObject(member) && (member['type'] === 'null' || (Array.isArray(member['enum']) && member['enum'].length === 1 && member['enum'][0] === null));
  const members = value.filter((member) => !isNull(member));
  const nullable = members.length < value.length;
  const converted = members.map((member, index) => convert(member, `${path}/${index}`, context, refs, depth + 1));
  if (converted.length === 1) mergeInto(result, converted[0]!);
  else if (converted.length > 1) {
    const existing = Array.isArray(result['anyOf']) ? (result['anyOf'] as Schema[]) : [];
    result['anyOf'] = [...existing, ...converted];
  } else if (nullable && result['type'] === undefined) result['type'] = 'null';
  return nullable && converted.length > 0;
}

/** allOf: object members merge (properties and required united); other keywords, first wins. */
function applyAllOf(result: Schema, value: unknown, path: string, context: Context, refs: string[], depth: number): void {
  if (!Array.isArray(value)) {
    note(context.dropped, 'allOf', path);
    return;
  }
  if (value.length > 1) note(context.coerced, 'allOf', path);
  value.forEach((member, index) => mergeInto(result, convert(member, `${path}/${index}`, context, refs, depth + 1)));
}

/** Merges a converted schema into `target`; `target`'s own keywords win, properties/required unite. */
function mergeInto(target: Schema, source: Schema): void {
  for (const [key, value] of Object.entries(source)) {
    if (key === 'properties' && isPlainObject(value)) {
      target['properties'] = { ...value, ...(isPlainObject(target['properties']) ? target['properties'] : {}) };
    } else if (key === 'required' && Array.isArray(value)) {
      const existing = Array.isArray(target['required']) ? (target['required'] as string[]) : [];
      target['required'] = [...new Set([...existing, ...(value as string[])])];
    } else if (target[key] === undefined) {
      target[key] = value;
    }
  }
}

/** Tuple `items: [A, B]` / `prefixItems` → one `items` schema (the common one, else anyOf). */
function tupleItems(members: unknown[], path: string, context: Context, refs: string[], depth: number): Schema {
  note(context.coerced, 'tuple-items', path);
  const converted = members.map((member, index) => convert(member, `${path}/${index}`, context, refs, depth + 1));
  const unique = [...new Map(converted.map((schema) => [JSON.stringify(schema), schema])).values()];
  if (unique.length === 0) return {};
  if (unique.length === 1) return unique[0]!;
  return { anyOf: unique };
}

/** `$ref` → the target, converted in place; siblings of `$ref` (description…) win over the target's. */
function convertRef(node: Schema, path: string, context: Context, refs: string[], depth: number): Schema {
  const ref = node['$ref'] as string;
  const { $ref: _ref, ...siblings } = node;
  const target = resolvePointer(context.root, ref);
  let inlined: Schema;
  if (target === undefined) {
    note(context.dropped, '$ref-unresolved', path);
    inlined = {};
  } else if (refs.includes(ref) || refs.length >= context.maxRefDepth) {
    // A recursive schema (a tree node containing nodes) cannot be inlined: keep the kind of value
    // and its description, drop the structure below.
    note(context.dropped, refs.includes(ref) ? '$ref-cycle' : '$ref-depth', path);
    inlined = stub(target);
  } else {
    inlined = convert(target, path, context, [...refs, ref], depth + 1);
  }
  if (Object.keys(siblings).length === 0) return inlined;
  const own = convert(siblings, path, context, refs, depth + 1);
  mergeInto(own, inlined);
  return own;
}

function stub(target: unknown): Schema {
  if (!isPlainObject(target)) return {};
  const result: Schema = {};
  const type = target['type'];
  if (typeof type === 'string') result['type'] = type;
  else if (Array.isArray(type)) {
    const nonNull = type.filter((item) => item !== 'null');
    if (nonNull.length === 1 && typeof nonNull[0] === 'string') result['type'] = nonNull[0];
  } else if (target['properties'] !== undefined) result['type'] = 'object';
  if (typeof target['description'] === 'string') result['description'] = target['description'];
  return result;
}

/** Local JSON pointer (`#`, `#/$defs/Name`, `#/definitions/a~1b`); remote refs are not fetched. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  const pointer = ref.slice(1);
  if (pointer === '') return root;
  if (!pointer.startsWith('/')) return undefined;
  let current: unknown = root;
  for (const rawSegment of pointer.slice(1).split('/')) {
    const segment = decodeURIComponent(rawSegment).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) current = current[Number(segment)];
    else if (isPlainObject(current)) current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    else return undefined;
  }
  return current;
}

function escapePointer(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
