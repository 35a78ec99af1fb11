/** Why the gateway refuses a request before starting an inference; each API renders it in its own error shape. */
export interface AdmissionRefusal {
  status: number;
  code: string;
  message: string;
  param?: string;
  retryAfterSeconds?: number;
}
