import { Connection } from '@temporalio/client';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

export interface DevServerProcess {
  address: string;
  stop(): Promise<void>;
}

/** How long the dev server may take to answer gRPC once started (a first start creates the SQLite schema). */
const readyTimeoutMs = 30_000;
/** How long a stopping dev server may take to exit after SIGTERM before it is killed. */
const stopTimeoutMs = 10_000;

/** Resolves with the port when nothing listens on it; rejects with a clear message when something does. */
export async function claimPort(ip: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      reject(
        new Error(
          `Port ${port} on ${ip} is already in use, so the embedded Temporal dev server cannot start there. ` +
            `It may be a dev server left behind by an earlier run (find it with \`ss -ltnp 'sport = :${port}'\`). ` +
            `Stop it, choose another port with TEMPORAL_PORT, or use that server on purpose with TEMPORAL_ADDRESS=${ip}:${port}.`,
        ),
      );
    });
    probe.listen({ host: ip, port, exclusive: true }, () => {
      const { port: bound } = probe.address() as AddressInfo;
      probe.close(() => resolve(bound));
    });
  });
}

/**
 * `setpriv --pdeathsig` makes the kernel send SIGTERM to the dev server when the process that
 * spawned it dies, however it dies (kill -9 included). Node spawns from its main thread, the one
 * whose death the kernel watches, so the signal comes exactly when the gateway process ends.
 */
function deathSignalPrefix(): string[] {
  if (process.platform !== 'linux') return [];
  const found = spawnSync('setpriv', ['--version'], { stdio: 'ignore' });
  return found.status === 0 ? ['setpriv', '--pdeathsig', 'SIGTERM', '--'] : [];
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/**
 * Starts `temporal server start-dev` as a child of this process that dies with it. Fails clearly
 * when the port is taken (never attaching to whatever listens there) or the server exits before it
 * answers; stop() sends SIGTERM and waits for the exit.
 */
export async function startDevServerProcess(
  cliPath: string,
  options: { ip: string; port?: number; args: string[]; log: (line: string) => void },
): Promise<DevServerProcess> {
  // A port it chose itself may be taken by the time the server binds it (or one of the ports the
  // server picks beside it): the next tries choose afresh. A port it was given is tried once.
  const tries = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(cliPath, options);
    } catch (error) {
      if (!(error instanceof DevServerExitedEarly) || attempt >= tries) throw error;
      options.log(
        `The Temporal dev server exited while starting (try ${attempt} of ${tries}); starting it again on another port.`,
      );
    }
  }
}

/** The server process ended before it answered. */
class DevServerExitedEarly extends Error {
  override name = 'DevServerExitedEarly';
}

async function startOnce(
  cliPath: string,
  options: { ip: string; port?: number; args: string[]; log: (line: string) => void },
): Promise<DevServerProcess> {
  const port = await claimPort(options.ip, options.port ?? 0);
  const [command, ...prefix] = [...deathSignalPrefix(), cliPath];
  const child = spawn(
    command!,
    [...prefix, 'server', 'start-dev', '--ip', options.ip, '--port', String(port), ...options.args],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // The head says why (a Go panic's message comes first), the tail where.
  let head = '';
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    if (head.length < 2_000) head += text.slice(0, 2_000 - head.length);
    tail = (tail + text).slice(-2_000);
  });
  const stderrText = () => (head.length < 2_000 ? head : `${head}\n…\n${tail}`).trim();
  const address = `${options.ip}:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
    await exited(child);
    clearTimeout(timer);
  };
  const failure = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`Could not run the Temporal CLI at ${cliPath}: ${error.message}`)));
    child.once('exit', (code, signal) =>
      reject(
        new DevServerExitedEarly(
          `The Temporal dev server exited (${signal ?? `code ${code}`}) before it was ready:\n${stderrText()}`,
        ),
      ),
    );
  });
  const deadline = Date.now() + readyTimeoutMs;
  const ready = (async () => {
    for (;;) {
      try {
        const connection = await Connection.connect({ address, connectTimeout: 1_000 });
        await connection.workflowService.getSystemInfo({});
        await connection.close();
        return;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(
            `The Temporal dev server at ${address} did not answer within ${readyTimeoutMs / 1000} s: ${(error as Error).message}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  })();
  try {
    await Promise.race([ready, failure]);
  } catch (error) {
    await stop();
    throw error;
  }
  failure.catch(() => undefined);
  if (command !== 'setpriv')
    options.log(
      'setpriv is not available: the Temporal dev server will outlive this process if it is killed with SIGKILL.',
    );
  return { address, stop };
}
