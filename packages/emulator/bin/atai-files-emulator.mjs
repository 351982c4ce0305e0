#!/usr/bin/env node
// Runs the built CLI (dist/ is produced by `pnpm build`).
import '../dist/cli.js';
