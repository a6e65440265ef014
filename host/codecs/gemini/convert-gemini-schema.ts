/**
 * Gemini's Schema object (an OpenAPI 3.0 subset, often with upper-case types such as `STRING`)
 * → JSON Schema, which is what the IR carries for tool parameters and response schemas. Types
 * become lower case, `nullable: true` becomes a `null` member of `type`, `example` becomes
 * `examples`, int64 counts sent as strings (`"minItems": "1"`) become numbers, and Gemini-only
 * hints (`format: enum`, `propertyOrdering`) are removed. Everything else is JSON Schema already.
 * Pure: the input is never mutated.
 * @see https://ai.google.dev/api/caching#Schema
 */
export function geminiSchemaToJsonSchema(schema: unknown): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {};
  const source = schema as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    switch (key) {
      case 'type':
        result['type'] = typeof value === 'string' ? value.toLowerCase() : value;
        break;
      case 'nullable':
      case 'propertyOrdering':
      case 'property_ordering':
        break;
      case 'format':
        if (value !== 'enum') result['format'] = value;
        break;
      case 'properties':
        if (typeof value === 'object' && value !== null) {
          result['properties'] = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, geminiSchemaToJsonSchema(property)]));
        }
        break;
      case 'items':
        result['items'] = geminiSchemaToJsonSchema(value);
        break;
      case 'anyOf':
      case 'any_of':
        result['anyOf'] = Array.isArray(value) ? value.map(geminiSchemaToJsonSchema) : value;
        break;
      case 'example':
        result['examples'] = [value];
        break;
      case 'minItems':
      case 'maxItems':
      case 'minLength':
      case 'maxLength':
      case 'minProperties':
      case 'maxProperties':
      case 'min_items':
      case 'max_items':
      case 'min_length':
      case 'max_length':
      case 'min_properties':
      case 'max_properties':
        result[camel(key)] = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
        break;
      default:
        result[camel(key)] = value;
    }
  }
  if (source['nullable'] === true) {
    const type = result['type'];
    if (typeof type === 'string') result['type'] = type === 'null' ? 'null' : [type, 'null'];
    else if (Array.isArray(result['anyOf'])) result['anyOf'] = [...(result['anyOf'] as unknown[]), { type: 'null' }];
  }
  return result;
}

/** Only Gemini's own snake_case keywords are renamed; JSON Schema keywords have no underscores. */
function camel(key: string): string {
  return /^[a-z]+(_[a-z]+)+$/.test(key) ? key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()) : key;
}
