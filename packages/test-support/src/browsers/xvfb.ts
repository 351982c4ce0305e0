import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A virtual X display for a browser that needs one (WebKitGTK's MiniBrowser). */
export interface XDisplay {
  /** For DISPLAY, e.g. ":3". */
  display: string;
  stop(): Promise<void>;
  /** Ends Xvfb at once, synchronously (for a process 'exit' handler). */
  kill(): void;
}

/**
 * Starts Xvfb on a display number it picks itself: `-displayfd` makes Xvfb claim the first
 * free display and write its number, so parallel runs on one machine never race for one.
 */
export async function startXvfb(binary = '/usr/bin/Xvfb'): Promise<XDisplay> {
  const child: ChildProcess = spawn(
    binary,
    ['-displayfd', '3', '-screen', '0', '1920x1200x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const fd3 = child.stdio[3];
  if (!fd3) throw new Error('Xvfb: no display pipe');
  const number = await new Promise<string>((resolve, reject) => {
    let text = '';
    fd3.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}: ${stderr.trim()}`)));
    child.once('error', reject);
  });
  return {
    display: `:${number}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
