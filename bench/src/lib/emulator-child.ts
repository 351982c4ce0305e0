/**
 * The emulator in a process of its own, so that it has its own event loop and
 * its CPU time can be measured apart from the client's. Options come as one
 * JSON argument; one JSON line with the URLs goes to stdout when ready. Stops on
 * SIGTERM or when the parent goes away (stdin closes).
 */
import { type EmulatorOptions, startEmulator } from '@atai-upload/emulator';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emu = await startEmulator(options);
process.stdout.write(
  `${JSON.stringify({ apiUrl: emu.apiUrl, storageUrl: emu.storageUrl, adminUrl: emu.adminUrl, apiKey: emu.apiKey })}\n`,
);
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  emu.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
