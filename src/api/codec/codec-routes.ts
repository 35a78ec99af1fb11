import cors from 'cors';
import type { PayloadCodec } from '@temporalio/common';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { PayloadDecryptionError } from '../../temporal/aes-gcm-payload-codec';
import type { ApiDependencies } from '../api-dependencies';
import { codecRequestSchema, fromJsonPayload, toJsonPayload } from './codec-payload-json';
import { authenticateCodecCaller, codecSessionRoutes } from './codec-session-routes';
import { CodecSessions } from './codec-sessions';
import { sendOpenAIError } from '../openai-chat/openai-error-response';
import { describeZodError } from '../zod-error-message';

/**
 * Browser origins allowed to call the codec endpoints: the Temporal UI of the embedded stack.
 * @default http://127.0.0.1:8233 and http://localhost:8233
 */
export const defaultCodecCorsOrigins = ['http://127.0.0.1:8233', 'http://localhost:8233'];

/** Largest codec request body, in bytes: a 2 MB payload (Temporal's default limit) grows by a third in base64. */
const codecBodyLimitBytes = 4 * 1024 * 1024;

function codecDisabled(_request: Request, response: Response): void {
  sendOpenAIError(response, 404, {
    message:
      'Payload encryption is off on this gateway, so there is nothing to encode or decode: set GATEWAY_PAYLOAD_KEY on the gateway and its workers to turn it on.',
    type: 'invalid_request_error',
    code: 'codec_disabled',
  });
}

function convertRoute(payloadCodec: PayloadCodec, direction: 'encode' | 'decode') {
  return async (request: Request, response: Response): Promise<void> => {
    const parsed = codecRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      sendOpenAIError(response, 400, {
        ...describeZodError(parsed.error),
        type: 'invalid_request_error',
        code: 'invalid_request',
      });
      return;
    }
    try {
      const payloads = await payloadCodec[direction](parsed.data.payloads.map(fromJsonPayload));
      response.json({ payloads: payloads.map(toJsonPayload) });
    } catch (error) {
      if (!(error instanceof PayloadDecryptionError)) throw error;
      sendOpenAIError(response, 400, {
        message: error.message,
        type: 'invalid_request_error',
        code: 'payload_not_decryptable',
      });
    }
  };
}

/**
 * The Temporal codec server protocol, for the Temporal UI and CLI: `POST /codec/encode` and
 * `POST /codec/decode`. CORS lets the UI call it from the browser. A gateway key is required, as a
 * header (CLI, scripts) or through a browser session opened at `/codec/session` (the UI).
 */
export function codecRouter(dependencies: ApiDependencies): Router {
  const router = express.Router();
  router.use(
    cors({
      origin: dependencies.codecCorsOrigins ?? defaultCodecCorsOrigins,
      methods: ['POST'],
      allowedHeaders: ['Authorization', 'Content-Type', 'X-Namespace', 'X-Api-Key'],
      credentials: true,
      maxAge: 600,
    }),
  );
  const { payloadCodec, keyring } = dependencies;
  if (!payloadCodec) {
    router.use(codecDisabled);
    return router;
  }
  const sessions = new CodecSessions();
  router.use(codecSessionRoutes(keyring, sessions));
  router.use(authenticateCodecCaller(keyring, sessions));
  // Payloads hold every tenant's prompts and answers: only an admin key may decode them.
  router.use((request: Request, response: Response, next: NextFunction) => {
    if (request.keyOwner?.admin) {
      next();
      return;
    }
    sendOpenAIError(response, 403, {
      message: 'Decoding payloads needs an admin gateway key (admin: true in the config, or the development key).',
      type: 'permission_error',
      code: 'admin_required',
    });
  });
  router.use(express.json({ limit: codecBodyLimitBytes, type: () => true }));
  router.post('/encode', convertRoute(payloadCodec, 'encode'));
  router.post('/decode', convertRoute(payloadCodec, 'decode'));
  return router;
}
