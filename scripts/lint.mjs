#!/usr/bin/env node
// The check n8n's verification runs on a community package (@n8n/scan-community-package), here
// without the network: its own analyzePackage() with its own rule set, on
//   1. the source it would fetch from the provenance commit (package.json, nodes/, credentials/)
//   2. the packed tarball: its compiled **/*.js and package.json (needs `npm run build` first).
// The provenance check itself needs a published version; publish.yml provides it.
// Usage: node scripts/lint.mjs   (part of `npm run lint`, after n8n-node lint and prettier)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
	SOURCE_FILE_PATTERNS,
	analyzePackage,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '..');

/** Runs the scanner on one folder; true when it passes. */
async function scan(label, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	if (result.details) console.log(result.details);
	console.log(`scanner ${label}: ${result.passed ? 'passed' : `FAILED (${result.message})`}`);
	return result.passed;
}

const work = mkdtempSync(join(tmpdir(), 'ilink-invoicy-lint-'));
let passed;
try {
	const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
		cwd: root,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop();
	const unpacked = join(work, 'package');
	execFileSync('tar', ['-xzf', join(work, packed), '-C', work]);
	if (!readdirSync(unpacked).includes('dist'))
		throw new Error('the tarball has no dist/: run npm run build first');
	// The same two legs as the scanner's analyzePackageByName().
	const sourcePassed = await scan('source', root, SOURCE_FILE_PATTERNS);
	const tarballPassed = await scan('tarball', unpacked, ['**/*.js', 'package.json']);
	passed = sourcePassed && tarballPassed;
} finally {
	rmSync(work, { recursive: true, force: true });
}

process.exitCode = passed ? 0 : 1;
