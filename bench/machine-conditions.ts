import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { clockTicksPerSecond } from './process-table';

export interface MachineConditions {
  date: string;
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  temporalCli: string;
  autocannon: string;
  clockTicks: number;
  loadAtStart: string;
}

export const loadAverage = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

function versionOf(executable: string): string {
  try {
    return execFileSync(executable, ['--version'], { encoding: 'utf8', timeout: 10_000 })
      .trim()
      .replace(/^temporal version /, '');
  } catch (error) {
    return `unknown (${(error as Error).message.split('\n')[0]})`;
  }
}

function autocannonVersion(): string {
  try {
    return (JSON.parse(readFileSync(require.resolve('autocannon/package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

export function readMachineConditions(temporalExecutable: string, loadAtStart: string): MachineConditions {
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown CPU',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    temporalCli: versionOf(temporalExecutable),
    autocannon: autocannonVersion(),
    clockTicks: clockTicksPerSecond(),
    loadAtStart,
  };
}
