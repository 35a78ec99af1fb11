import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
const spec = parse(readFileSync('../shared/specs/openai-openapi.yaml', 'utf8'));
const schemas = spec.components.schemas;
const strip = (s: any, depth = 0): any => {
  if (Array.isArray(s)) return s.map((x) => strip(x, depth));
  if (s && typeof s === 'object') {
    const o: any = {};
    for (const [k, v] of Object.entries(s)) if (!['description', 'title', 'x-oaiMeta', 'example', 'examples', 'x-stainless-const'].includes(k)) o[k] = strip(v, depth + 1);
    return o;
  }
  return s;
};
for (const name of process.argv.slice(2)) console.log(name, JSON.stringify(strip(schemas[name])));
