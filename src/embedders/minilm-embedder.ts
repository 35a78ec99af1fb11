import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { MinilmFiles } from './minilm-files';
import type { TextEmbedder } from './text-embedder';

/** Word pieces the model reads at most, [CLS] and [SEP] included (its model card trains on 256). */
export const minilmMaximumTokens = 256;

/**
 * all-MiniLM-L6-v2 (quantised) in this process, offline: the tokenizer from its tokenizer.json,
 * the ONNX model on onnxruntime's CPU provider, then mean pooling over the tokens and L2
 * normalisation, as the model card says. 384 dimensions, a few milliseconds per short text.
 */
export class MinilmEmbedder implements TextEmbedder {
  readonly name = 'local:all-minilm-l6-v2-q';

  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly session: InferenceSession,
  ) {}

  static async load(files: MinilmFiles): Promise<MinilmEmbedder> {
    const tokenizer = new Tokenizer(JSON.parse(readFileSync(files.tokenizer, 'utf8')), {});
    // One thread: the gateway serves many requests at once, and a short text gains nothing from more.
    const session = await InferenceSession.create(files.model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new MinilmEmbedder(tokenizer, session);
  }

  /** The word-piece ids of a text, between [CLS] and [SEP], cut to the model's length. */
  tokenIds(text: string): number[] {
    const { ids } = this.tokenizer.encode(text);
    return ids.length <= minilmMaximumTokens ? ids : [...ids.slice(0, minilmMaximumTokens - 1), ids.at(-1)!];
  }

  async embed(text: string): Promise<number[]> {
    const ids = this.tokenIds(text);
    const shape = [1, ids.length];
    const outputs = await this.session.run({
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), shape),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), shape),
      token_type_ids: new Tensor('int64', new BigInt64Array(ids.length), shape),
    });
    const hidden = outputs[this.session.outputNames[0]!]!;
    const dimensions = hidden.dims[2]!;
    const values = hidden.data as Float32Array;
    const mean = new Array<number>(dimensions).fill(0);
    for (let token = 0; token < ids.length; token++) {
      for (let dimension = 0; dimension < dimensions; dimension++)
        mean[dimension]! += values[token * dimensions + dimension]! / ids.length;
    }
    const length = Math.hypot(...mean);
    return mean.map((value) => value / length);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
