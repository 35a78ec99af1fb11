import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Callers log ids, routes, types and timings only: never prompts,
 * completions or keys. Headers that carry keys are redacted in case one is ever passed.
 */
export function createLogger(destination?: pino.DestinationStream, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { service: 'inference-gateway' },
      redact: {
        paths: ['authorization', '*.authorization', '["x-api-key"]', '*["x-api-key"]', 'apiKey', '*.apiKey'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export const logger = createLogger();
