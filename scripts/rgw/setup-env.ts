import { inject } from 'vitest';

// Runs in each test worker of the RGW pass before its test file: every emulator the file
// starts (startEmulator reads ATAI_EMULATOR_STORAGE and ATAI_S3_*) stores on the cluster.
Object.assign(process.env, inject('rgwEnv'));
