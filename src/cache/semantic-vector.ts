/**
 * A packed vector (encodeVector: little-endian float32 in base64) read in one copy, without a call
 * per number. Float32Array is little-endian on every platform the gateway runs on (x86-64, arm64).
 */
export function unpackVector(packed: string): Float32Array {
  const bytes = Buffer.from(packed, 'base64');
  const aligned = new Uint8Array(bytes.length - (bytes.length % 4));
  aligned.set(bytes.subarray(0, aligned.length));
  return new Float32Array(aligned.buffer);
}
