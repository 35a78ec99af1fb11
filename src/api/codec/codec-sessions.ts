import { randomBytes } from 'node:crypto';

/**
 * How long a browser sign-in for the codec endpoints lasts.
 * @default 8 hours
 */
export const codecSessionLifetimeMs = 8 * 60 * 60 * 1000;

/**
 * Browser sessions for the codec endpoints, in this process's memory: a random id (the cookie's
 * value) → the gateway key it was opened with. The key is checked again on every use, so revoking
 * it ends its sessions; a restart ends them all.
 */
export class CodecSessions {
  private readonly sessions = new Map<string, { key: string; expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  open(key: string): string {
    for (const [id, session] of this.sessions) if (session.expiresAt <= this.now()) this.sessions.delete(id);
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, { key, expiresAt: this.now() + codecSessionLifetimeMs });
    return id;
  }

  /** The gateway key of a live session. */
  keyOf(id: string): string | undefined {
    const session = this.sessions.get(id);
    if (session && session.expiresAt > this.now()) return session.key;
    this.sessions.delete(id);
    return undefined;
  }
}
