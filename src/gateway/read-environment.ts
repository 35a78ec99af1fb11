/** Reads a port from the environment, failing with a message that names the variable. */
export function readPort(name: string, fallback: number, environment: NodeJS.ProcessEnv = process.env): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${name} must be a port number from 0 to 65535, got "${raw}"`);
  }
  return port;
}

/** Reads a comma-separated list, or the fallback when the variable is unset or empty. */
export function readList(name: string, fallback: string[], environment: NodeJS.ProcessEnv = process.env): string[] {
  const items = (environment[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : fallback;
}

/** Reads a variable that must be set, failing with a message that names it. */
export function requireVariable(name: string, purpose: string, environment: NodeJS.ProcessEnv = process.env): string {
  const value = environment[name];
  if (!value) throw new Error(`Set ${name}: ${purpose}`);
  return value;
}
