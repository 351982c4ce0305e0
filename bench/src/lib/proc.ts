/** Process-tree figures from /proc (Linux): RSS and CPU time of a process and its descendants. */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ProcStat {
  pid: number;
  ppid: number;
  /** user + system CPU time, in ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      ticks: Number(fields[11]) + Number(fields[12]),
    };
  } catch {
    return undefined; // the process exited meanwhile
  }
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** `root` and every process below it. */
export function processTree(root: number): ProcStat[] {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) {
    const list = children.get(s.ppid) ?? [];
    list.push(s);
    children.set(s.ppid, list);
  }
  const self = stats.find((s) => s.pid === root);
  if (!self) return [];
  const out: ProcStat[] = [];
  const queue = [self];
  while (queue.length > 0) {
    const s = queue.shift()!;
    out.push(s);
    queue.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** A `Field:  N kB` line of a /proc file of one process, in bytes (0 when it is gone). */
function procKiBField(pid: number, file: string, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(
      readFileSync(`/proc/${pid}/${file}`, 'utf8'),
    );
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** VmRSS of one process in bytes. */
export const rssBytes = (pid: number): number => procKiBField(pid, 'status', 'VmRSS');

/**
 * Anonymous resident memory of one process in bytes (`RssAnon`): what the process itself
 * allocated. VmRSS adds file-backed pages (the program and its libraries), which the kernel
 * drops and reads again as the page cache needs room, as it does while a huge file is read.
 */
export const anonBytes = (pid: number): number => procKiBField(pid, 'status', 'RssAnon');

/** Proportional set size of one process in bytes (shared pages split among their users). */
export const pssBytes = (pid: number): number => procKiBField(pid, 'smaps_rollup', 'Pss');

/** Sum of `perProcess` over a process tree. */
const treeSum = (root: number, perProcess: (pid: number) => number): number =>
  processTree(root).reduce((sum, s) => sum + perProcess(s.pid), 0);

/** Summed PSS of a process tree, in bytes: unlike summed RSS, shared pages count once. */
export const treePssBytes = (root: number): number => treeSum(root, pssBytes);

/** Summed VmRSS of a process tree, in bytes. */
export const treeRssBytes = (root: number): number => treeSum(root, rssBytes);

/** CPU seconds (user + system) used so far by a process tree (live processes only). */
export function treeCpuSeconds(root: number): number {
  let ticks = 0;
  for (const s of processTree(root)) ticks += s.ticks;
  return ticks / TICKS_PER_SECOND;
}

/** CPU seconds of one process. */
export function cpuSeconds(pid: number): number {
  return (readStat(pid)?.ticks ?? 0) / TICKS_PER_SECOND;
}

/** Direct children of `pid`, with their command line's first word. */
export function childProcesses(pid: number): Array<{ pid: number; command: string }> {
  const out: Array<{ pid: number; command: string }> = [];
  for (const s of allStats()) {
    if (s.ppid !== pid) continue;
    try {
      const cmd = readFileSync(`/proc/${s.pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
      out.push({ pid: s.pid, command: cmd });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** The kernel's name of a process (`comm`, at most 15 characters), or '' when it is gone. */
function processName(pid: number): string {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
  } catch {
    return '';
  }
}

/**
 * What a browser process is. Chromium says it in its command line (`--type=…`, the network
 * and storage services apart). Firefox ESR's child processes carry the parent's command line
 * plus `-contentproc … <type>` in some builds and nothing telling in others, but always rename
 * their main thread ("Isolated Web Co", "Socket Process", "RDD Process", "Utility Process"…),
 * which is the process's `comm`: a name unlike the program's own is taken as the role.
 */
function processRole(pid: number): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const args = cmd.split('\0').filter(Boolean);
    if (args.includes('-contentproc')) return args.at(-1) ?? 'content';
    if (cmd.includes('NetworkService')) return 'network service';
    if (cmd.includes('StorageService')) return 'storage service';
    const type = /--type=([\w-]+)/.exec(cmd)?.[1];
    if (type) return type;
    const name = processName(pid);
    const program = (args[0] ?? '').split('/').at(-1)?.slice(0, 15) ?? '';
    return name && name !== program ? name : 'browser';
  } catch {
    return 'gone';
  }
}

/** Every process of a browser's tree with what it is, its VmRSS and its RssAnon in bytes. */
export function browserProcesses(
  root: number,
): Array<{ pid: number; role: string; rss: number; anon: number }> {
  return processTree(root).map((p) => ({
    pid: p.pid,
    role: p.pid === root ? 'browser' : processRole(p.pid),
    rss: rssBytes(p.pid),
    anon: anonBytes(p.pid),
  }));
}

/**
 * CPU ticks of every thread of a process tree, keyed "process role / thread name"
 * (Linux `comm`, 15 characters: CrRendererMain, DedicatedWorker, ThreadPoolForeg…),
 * to diff two readings into where a browser spent its CPU.
 */
export function threadCpuSeconds(root: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of processTree(root)) {
    const role = processRole(p.pid);
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${p.pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const text = readFileSync(`/proc/${p.pid}/task/${tid}/stat`, 'utf8');
        const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
        const key = `${role} / ${name.replace(/\d+$/, '')}`;
        out.set(key, (out.get(key) ?? 0) + (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND);
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return out;
}
