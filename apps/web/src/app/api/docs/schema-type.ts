/** Renders a JSON Schema as a compact TypeScript-like type, for the API reference page. */
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
  format?: string;
  maxLength?: number;
};

export function schemaType(
  schema: Schema | undefined,
  components: Record<string, Schema>,
  indent = 0,
): string {
  if (!schema) return 'unknown';
  if (schema.$ref) {
    const name = schema.$ref.split('/').at(-1) ?? '';
    return indent > 6 ? name : schemaType(components[name], components, indent);
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => schemaType(s, components, indent)).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const rendered = types.map((t) => {
    if (t === 'array') return `${wrap(schemaType(schema.items, components, indent))}[]`;
    if (t === 'object') {
      const props = Object.entries(schema.properties ?? {});
      if (props.length === 0) return schema.additionalProperties ? 'Record<string, unknown>' : '{}';
      const pad = '  '.repeat(indent + 1);
      const lines = props.map(
        ([k, v]) =>
          `${pad}${k}${schema.required?.includes(k) ? '' : '?'}: ${schemaType(v, components, indent + 1)}`,
      );
      return `{\n${lines.join('\n')}\n${'  '.repeat(indent)}}`;
    }
    return t;
  });
  return rendered.join(' | ') || 'unknown';
}

function wrap(type: string): string {
  return type.includes('|') ? `(${type})` : type;
}
