// Reads Linux /proc: a process's CPU time, parent and start time, and the processes under it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessStat {
  pid: number;
  /** The executable's name, at most 15 characters (`temporal`, `node`, `redis-server`). */
  command: string;
  parentPid: number;
  /** User plus system CPU time in clock ticks, all threads. */
  cpuTicks: number;
  /** Clock ticks after boot when the process started: with the pid, names one process for good. */
  startTicks: number;
}

/** One process's /proc/<pid>/stat, or undefined when it is gone. */
export function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command sits in parentheses and may hold spaces or parentheses itself: split after the last ')'.
  const close = text.lastIndexOf(')');
  const command = text.slice(text.indexOf('(') + 1, close);
  // Fields from the 3rd on: state, ppid, …; utime and stime are the 14th and 15th, starttime the 22nd.
  const fields = text.slice(close + 2).split(' ');
  const field = (position: number) => Number(fields[position - 3]);
  return { pid, command, parentPid: field(4), cpuTicks: field(14) + field(15), startTicks: field(22) };
}

export function listProcesses(): ProcessStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcessStat(Number(name)))
    .filter((stat): stat is ProcessStat => stat !== undefined);
}

/** Every live process below `pid` (children, their children, …). */
export function descendantsOf(pid: number, processes = listProcesses()): ProcessStat[] {
  const found: ProcessStat[] = [];
  let parents = new Set([pid]);
  for (let depth = 0; depth < 32 && parents.size > 0; depth++) {
    const children = processes.filter((stat) => parents.has(stat.parentPid));
    found.push(...children);
    parents = new Set(children.map((stat) => stat.pid));
  }
  return found;
}

let ticksPerSecond: number | undefined;

/** `getconf CLK_TCK`: the unit of /proc CPU times (100 on Linux almost everywhere). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isFinite(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

/** CPU milliseconds used so far by a process, with its live descendants when `tree` is set. */
export function cpuMilliseconds(pid: number, tree = false): number {
  const processes = tree ? listProcesses() : [];
  const stats = [readProcessStat(pid), ...(tree ? descendantsOf(pid, processes) : [])];
  const ticks = stats.reduce((sum, stat) => sum + (stat?.cpuTicks ?? 0), 0);
  return (ticks * 1000) / clockTicksPerSecond();
}

/** Resident memory in MiB (VmRSS), or undefined when the process is gone. */
export function residentMebibytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
