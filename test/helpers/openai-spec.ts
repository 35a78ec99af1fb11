import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** OpenAI's OpenAPI description, read from the team workspace beside the repository (never copied into it). */
export const openAISpecPath = join(resolve(__dirname, '../..'), '../shared/specs/openai-openapi.yaml');

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  nullable?: boolean;
  type?: string | string[];
};

/** Every property of a request schema (its `allOf` parts merged, later parts winning) and whether the spec lets it be null. */
export function requestProperties(schemaName: string): Array<{ name: string; nullable: boolean }> {
  const spec = parse(readFileSync(openAISpecPath, 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const schemas = spec.components.schemas;
  const resolveRef = (schema: Schema): Schema =>
    schema.$ref ? resolveRef(schemas[schema.$ref.split('/').pop()!]!) : schema;
  const isNullable = (schema: Schema): boolean => {
    const resolved = resolveRef(schema);
    if (schema.nullable || resolved.nullable) return true;
    if (resolved.type === 'null' || (Array.isArray(resolved.type) && resolved.type.includes('null'))) return true;
    return [...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])].some(
      (variant) => resolveRef(variant).type === 'null',
    );
  };
  const collect = (schema: Schema): Record<string, Schema> => {
    const resolved = resolveRef(schema);
    let properties: Record<string, Schema> = {};
    for (const part of resolved.allOf ?? []) properties = { ...properties, ...collect(part) };
    return { ...properties, ...resolved.properties };
  };
  return Object.entries(collect(schemas[schemaName]!)).map(([name, schema]) => ({
    name,
    nullable: isNullable(schema),
  }));
}
