#!/usr/bin/env node
// `npm run build`: a clean dist/ with the compiled nodes and credentials (tsc; it also emits the
// JSON the send-sample command line reads: the registry, each sender.json and its samples), then
// gulpfile.js's asset step: icons, codex files (*.node.json) and the senders' sample modules.
// Not `n8n-node build`: it compiles tsconfig.json (tests and benchmarks too), copies every PNG of
// the repository (docs/images) into dist/ and leaves the codex files out.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

rmSync(join(root, 'dist'), { recursive: true, force: true }); // no stale files from moved or deleted sources
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
execFileSync('npx', ['gulp', '--silent', 'build:assets'], { cwd: root, stdio: 'inherit' });
