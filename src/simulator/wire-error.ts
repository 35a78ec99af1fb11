/** An error response in a provider's wire format. */
export interface WireError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
