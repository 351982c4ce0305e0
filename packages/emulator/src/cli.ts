#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { CLI_USAGE, CliUsageError, parseCliArgs } from './cli-args.js';
import { DEFAULT_FAULTS, mergeFaults } from './faults.js';
import { startEmulator } from './server.js';
import type { DeepPartial, FaultConfig } from './types.js';

// stdout carries exactly one JSON line (for scripts to parse); everything else goes to stderr.
const err = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function loadFaults(path: string): Promise<DeepPartial<FaultConfig>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliUsageError(`--faults ${path}: ${(e as Error).message}`);
  }
  try {
    mergeFaults({ ...DEFAULT_FAULTS }, parsed); // validate now, with a CLI-style error
  } catch (e) {
    throw new CliUsageError(`--faults ${path}: ${(e as Error).message}`);
  }
  return parsed as DeepPartial<FaultConfig>;
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseCliArgs>;
  let faults: DeepPartial<FaultConfig> | undefined;
  try {
    args = parseCliArgs(process.argv.slice(2), process.env);
    if (args.help) {
      process.stdout.write(CLI_USAGE);
      return;
    }
    if (args.faultsFile) faults = await loadFaults(args.faultsFile);
  } catch (e) {
    if (e instanceof CliUsageError) {
      err(`atai-files-emulator: ${e.message}\nRun with --help for usage.`);
      process.exit(2);
    }
    throw e;
  }

  const emulator = await startEmulator({
    ...args.options,
    ...(faults ? { faults } : {}),
    ...(args.verbose ? { log: err } : {}),
  });
  process.stdout.write(
    `${JSON.stringify({ api: emulator.apiUrl, storage: emulator.storageUrl })}\n`,
  );
  err(
    `atai-files-emulator: API ${emulator.apiUrl} (key "${emulator.apiKey}"), storage ${emulator.storageUrl} (${emulator.storage}), admin ${emulator.adminUrl}, data ${emulator.dataDir}`,
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    err(`atai-files-emulator: ${signal}, stopping`);
    emulator.close().then(
      () => process.exit(0),
      (e: unknown) => {
        err(`atai-files-emulator: error while stopping: ${String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A launcher (pnpm, a shell) may die of SIGTERM without passing it on: when the process
  // that started us is gone, we are orphaned and stop too instead of holding the ports.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown('parent process exited');
  }, 500).unref();
}

main().catch((e: unknown) => {
  err(`atai-files-emulator: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
