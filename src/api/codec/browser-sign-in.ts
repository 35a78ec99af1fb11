import { parseCookie } from 'cookie';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { authenticate } from '../admission/authenticate';
import { codecSessionLifetimeMs, CodecSessions } from './codec-sessions';
import type { GatewayKeyring } from '../admission/gateway-keys';

/** A browser page of the gateway (sign-in forms, the route status). */
export const htmlPage = (title: string, body: string, width = '40rem') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: ${width}; margin: 3rem auto">
<h1>${title}</h1>
${body}
</body></html>
`;

/** Where a browser signs in with an admin key, and what the cookie it gets opens. */
export interface BrowserSignIn {
  /** The cookie's name. */
  cookie: string;
  /** The path the cookie is sent to (the router's mount point). */
  path: string;
  /** The sign-in page's title and explanation (HTML). */
  title: string;
  explanation: string;
  /** The page shown once signed in (HTML). */
  signedIn: string;
}

/** The gateway key a caller presents: the header, else the browser session's cookie. */
export function authenticateBrowserCaller(keyring: GatewayKeyring, sessions: CodecSessions, cookie: string) {
  const byHeader = authenticate(keyring);
  return (request: Request, response: Response, next: NextFunction): void => {
    const presentsKey = request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
    const sessionId = presentsKey || !request.headers.cookie ? undefined : parseCookie(request.headers.cookie)[cookie];
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

/** `GET <path>/session`: a sign-in form; `POST <path>/session`: checks the admin key and sets the cookie. */
export function browserSignInRoutes(keyring: GatewayKeyring, sessions: CodecSessions, signIn: BrowserSignIn): Router {
  const router = express.Router();
  const form = htmlPage(
    signIn.title,
    `${signIn.explanation}
<form method="post" action="session">
  <label>Gateway key <input type="password" name="key" autocomplete="off" required></label>
  <button type="submit">Sign in</button>
</form>`,
  );
  router.get('/session', (_request: Request, response: Response) => {
    response.type('html').send(form);
  });
  router.post(
    '/session',
    express.urlencoded({ extended: false, limit: 4096 }),
    (request: Request, response: Response) => {
      // A form on another site must not sign this browser in (with a key of its choosing).
      // Host only, not scheme: behind a TLS proxy this process sees http.
      const { origin, host } = request.headers;
      if (origin !== undefined && !(URL.canParse(origin) && new URL(origin).host === host)) {
        response.status(403).type('html').send(htmlPage('Refused', "<p>Sign in from this gateway's own page.</p>"));
        return;
      }
      const key = typeof request.body?.key === 'string' ? request.body.key.trim() : '';
      if (!key || !keyring.find(key)?.admin) {
        response
          .status(401)
          .type('html')
          .send(htmlPage('Wrong key', '<p>That is not an admin gateway key. <a href="session">Try again</a>.</p>'));
        return;
      }
      response.cookie(signIn.cookie, sessions.open(key), {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.secure,
        path: signIn.path,
        maxAge: codecSessionLifetimeMs,
      });
      response.type('html').send(signIn.signedIn);
    },
  );
  return router;
}
