#!/usr/bin/env node
// Prepares an isolated n8n user folder for one end-to-end run and prints, as JSON on stdout, how
// to start n8n on it. Called by test/e2e/harness.ts in a child process: the harness is CommonJS
// TypeScript under jest, which cannot import these ES modules, and this work is all blocking
// child processes anyway.
//
//   node scripts/e2e-prepare.mjs <spec.json>
//   spec: { version, userFolder, tarball, port, brokerPort, env?, credentials[], workflows[] }
//
// Everything n8n prints while installing/importing goes to stderr; stdout carries only the JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureN8n, ensureNode24 } from './n8n-install.mjs';
import { importAndActivate, installPackageTarball, n8nEnv } from './n8n-instance.mjs';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// ensureN8n prints its progress with stdio inherited; keep our stdout clean for the JSON answer.
const log = console.log;
console.log = console.error;
const n8n = ensureN8n(spec.version);
const node24Bin = join(ensureNode24(), 'bin', 'node');
const installed = spec.tarball ? installPackageTarball(spec.userFolder, spec.tarball) : null;
const env = n8nEnv(n8n, spec.userFolder, {
	port: spec.port,
	brokerPort: spec.brokerPort,
	extra: spec.env ?? {},
});
importAndActivate(n8n, env, spec.userFolder, spec);
console.log = log;
process.stdout.write(
	JSON.stringify({
		nodeBin: n8n.nodeBin,
		n8nBin: n8n.n8nBin,
		n8nDir: n8n.dir,
		node24Bin,
		env,
		installed,
	}),
);
