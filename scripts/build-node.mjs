#!/usr/bin/env node
// The Node build (npm run build:node): src/ compiled by tsc into lib/ (ES
// modules, declarations, source maps; tsconfig.build.json), which is what
// package.json "exports" and the bin run, without tsx. lib/ is emptied first
// so a deleted source leaves no module behind.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('lib', { recursive: true, force: true });
// A type error fails the build (tsc has printed it), as it fails npm run typecheck.
const { status } = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (status !== 0) process.exit(status ?? 1);
