import { parseCookie } from 'cookie';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { authenticate } from './authenticate';
import { codecSessionLifetimeMs, CodecSessions } from './codec-sessions';
import type { GatewayKeyring } from './gateway-keys';

export const codecSessionCookie = 'gateway_codec_session';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>${title}</h1>
${body}
</body></html>
`;

const signInForm = page('Sign the Temporal UI in to the gateway codec', `
<p>The Temporal UI decodes encrypted prompts and completions through this gateway's <code>/codec</code>
endpoint, which needs a gateway key. The UI cannot send one itself, so sign this browser in here:
the gateway keeps the key and gives the browser a cookie for <code>/codec</code> only, for 8 hours.</p>
<form method="post" action="session">
  <label>Gateway key <input type="password" name="key" autocomplete="off" required></label>
  <button type="submit">Sign in</button>
</form>`);

const signedIn = page('Signed in', `
<p>In the Temporal UI, open the codec server settings (the “Codec Server” item in the navigation) and turn on
<strong>Include cross-origin credentials</strong>. Open the UI under the same host name as this page
(for example both on 127.0.0.1): the cookie is not sent across host names.</p>`);

/** The gateway key a caller presents: the header, else the browser session's cookie. */
export function authenticateCodecCaller(keyring: GatewayKeyring, sessions: CodecSessions) {
  const byHeader = authenticate(keyring);
  return (request: Request, response: Response, next: NextFunction): void => {
    const presentsKey = request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
    const sessionId = presentsKey || !request.headers.cookie ? undefined : parseCookie(request.headers.cookie)[codecSessionCookie];
    const sessionKey = sessionId ? sessions.keyOf(sessionId) : undefined;
    const owner = sessionKey ? keyring.find(sessionKey) : undefined;
    if (owner) {
      request.keyOwner = owner;
      next();
      return;
    }
    byHeader(request, response, next);
  };
}

/** `GET /codec/session`: a sign-in form; `POST /codec/session`: checks the key and sets the cookie. */
export function codecSessionRoutes(keyring: GatewayKeyring, sessions: CodecSessions): Router {
  const router = express.Router();
  router.get('/session', (_request: Request, response: Response) => {
    response.type('html').send(signInForm);
  });
  router.post('/session', express.urlencoded({ extended: false, limit: 4096 }), (request: Request, response: Response) => {
    // A form on another site must not sign this browser in (with a key of its choosing).
    // Host only, not scheme: behind a TLS proxy this process sees http.
    const { origin, host } = request.headers;
    if (origin !== undefined && !(URL.canParse(origin) && new URL(origin).host === host)) {
      response.status(403).type('html').send(page('Refused', '<p>Sign in from this gateway\'s own page.</p>'));
      return;
    }
    const key = typeof request.body?.key === 'string' ? request.body.key.trim() : '';
    if (!key || !keyring.find(key)?.admin) {
      response.status(401).type('html').send(page('Wrong key', '<p>That is not an admin gateway key. <a href="session">Try again</a>.</p>'));
      return;
    }
    response.cookie(codecSessionCookie, sessions.open(key), {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.secure,
      path: '/codec',
      maxAge: codecSessionLifetimeMs,
    });
    response.type('html').send(signedIn);
  });
  return router;
}
