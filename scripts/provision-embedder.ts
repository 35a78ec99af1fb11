// Finds or fetches (with Maven, into tools/) the local embedder's model and tokenizer and prints
// their folder; the semantic cache's tests and a gateway with a local semantic cache use the same logic.
import { dirname } from 'node:path';
import { findOrProvisionMinilm } from '../src/embedders/minilm-files';

try {
  const files = findOrProvisionMinilm(process.env, (line) => console.error(line));
  console.log(dirname(files.model));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
