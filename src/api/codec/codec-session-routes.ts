import type { Router } from 'express';
import { authenticateBrowserCaller, browserSignInRoutes, htmlPage } from './browser-sign-in';
import type { CodecSessions } from './codec-sessions';
import type { GatewayKeyring } from '../admission/gateway-keys';

export const codecSessionCookie = 'gateway_codec_session';

const codecSignIn = {
  cookie: codecSessionCookie,
  path: '/codec',
  title: 'Sign the Temporal UI in to the gateway codec',
  explanation: `<p>The Temporal UI decodes encrypted prompts and completions through this gateway's <code>/codec</code>
endpoint, which needs a gateway key. The UI cannot send one itself, so sign this browser in here:
the gateway keeps the key and gives the browser a cookie for <code>/codec</code> only, for 8 hours.</p>`,
  signedIn: htmlPage(
    'Signed in',
    `
<p>In the Temporal UI, open the codec server settings (the “Codec Server” item in the navigation) and turn on
<strong>Include cross-origin credentials</strong>. Open the UI under the same host name as this page
(for example both on 127.0.0.1): the cookie is not sent across host names.</p>`,
  ),
};

/** The gateway key a codec caller presents: the header, else the browser session's cookie. */
export function authenticateCodecCaller(keyring: GatewayKeyring, sessions: CodecSessions) {
  return authenticateBrowserCaller(keyring, sessions, codecSessionCookie);
}

/** `GET /codec/session`: a sign-in form; `POST /codec/session`: checks the key and sets the cookie. */
export function codecSessionRoutes(keyring: GatewayKeyring, sessions: CodecSessions): Router {
  return browserSignInRoutes(keyring, sessions, codecSignIn);
}
