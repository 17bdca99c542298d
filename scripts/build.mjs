#!/usr/bin/env node
// `npm run build`: a clean dist/ with the compiled nodes and credentials, plus the files n8n reads
// as they are: icons (SVG/PNG) and the codex files (*.node.json) beside each node; and the senders'
// sample modules (nodes/<Sender>/*.mjs) that the send-sample command line runs (tsc emits the
// JSON it reads: the registry, each sender.json and its samples).
// Not `n8n-node build`: it compiles tsconfig.json (tests and benchmarks too), copies every PNG of
// the repository (docs/images) into dist/ and leaves the codex files out.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist');
const STATIC_FILE = /\.(png|svg|node\.json|mjs)$/;

rmSync(dist, { recursive: true, force: true }); // no stale files from moved or deleted sources
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
for (const folder of ['nodes', 'icons']) {
	cpSync(join(root, folder), join(dist, folder), {
		recursive: true,
		filter: (source) => statSync(source).isDirectory() || STATIC_FILE.test(source),
	});
}
