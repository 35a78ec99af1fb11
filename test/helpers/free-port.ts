import { createServer, type AddressInfo, type Server } from 'node:net';

/** A loopback port that was free a moment ago (nothing listens on it once this returns). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

/**
 * `count` distinct loopback ports that were free a moment ago. They are held together until all
 * are chosen: ports taken one after another may come back the same, as a closed probe's port is
 * free again at once.
 */
export async function freePorts(count: number): Promise<number[]> {
  const probes: Server[] = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const probe = createServer();
      probes.push(probe);
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    }
    return probes.map((probe) => (probe.address() as AddressInfo).port);
  } finally {
    await Promise.all(probes.map((probe) => new Promise<void>((resolve) => probe.close(() => resolve()))));
  }
}
