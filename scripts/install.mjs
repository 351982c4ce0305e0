#!/usr/bin/env node
// Installs the workspace with pnpm (found on PATH or run through npx).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './workspace.mjs';

ensureInstalled(join(dirname(fileURLToPath(import.meta.url)), '..'));
