#!/usr/bin/env node
// The two test tiers, each one command, each ending with one summary line:
//
//   npm test            build, lint (source, tarball, GitHub workflows), the tested n8n versions
//                       installed into ~/.cache on first use, unit, property and CLI tests, then
//                       the end-to-end tier: every trigger and credential in one real n8n per
//                       version (test/e2e/suite.test.ts). Needs nothing but Node and npm.
//   npm run test:long   build, then the load, fault and queue-mode files (jest.long.config.js);
//                       the queue mode needs PostgreSQL, Redis and nginx (.ci/run installs them).
//
// The last line is `N passed, N failed, N skipped`. A skipped test fails the run unless
// test/skips-allowed.json lists it (full name → reason): nothing is skipped silently.
// E2E_N8N_VERSIONS=2.40.7 limits the n8n versions.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const resultsDir = join(root, 'test-results');
const long = process.argv.includes('--long');
mkdirSync(resultsDir, { recursive: true });

const failures = [];
/** Failed tests with the start of their messages, repeated at the end where a truncated CI log still shows them. */
const failedTests = [];
const skippedTests = [];
const plain = (text) => text.replace(/\x1b\[[0-9;]*m/g, '').slice(0, 1500);
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(label, cmd, args) {
	console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
	const started = Date.now();
	const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
	const ok = r.status === 0;
	console.log(
		`=== ${label}: ${ok ? 'ok' : `FAILED (${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
	);
	if (!ok) failures.push(label);
	return ok;
}

/** Runs jest with a JSON report and adds its totals, failures and skips. */
function jest(label, extraArgs) {
	const out = join(resultsDir, `${label}.json`);
	rmSync(out, { force: true });
	const ok = run(label, 'npx', ['jest', ...extraArgs, '--json', `--outputFile=${out}`]);
	if (!existsSync(out)) {
		if (!ok) totals.failed += 1;
		return ok;
	}
	const report = JSON.parse(readFileSync(out, 'utf8'));
	totals.passed += report.numPassedTests;
	totals.failed += report.numFailedTests;
	totals.skipped += report.numPendingTests + report.numTodoTests;
	for (const suite of report.testResults ?? []) {
		const file = suite.name.slice(root.length + 1);
		if (suite.status === 'failed' && !suite.assertionResults?.some((t) => t.status === 'failed'))
			failedTests.push(`${file}: ${plain(suite.message)}`);
		for (const t of suite.assertionResults ?? []) {
			if (t.status === 'failed')
				failedTests.push(`${file} › ${t.fullName}\n${plain(t.failureMessages.join('\n'))}`);
			if (t.status === 'pending' || t.status === 'todo' || t.status === 'skipped')
				skippedTests.push(t.fullName);
		}
	}
	// A suite that fails to run (syntax error, beforeAll crash without tests) has no failed tests.
	if (!ok && report.numFailedTests === 0)
		totals.failed += Math.max(1, report.numRuntimeErrorTestSuites ?? 0);
	return ok;
}

function checkSkips() {
	const allowed = JSON.parse(readFileSync(join(root, 'test', 'skips-allowed.json'), 'utf8'));
	const unexplained = skippedTests.filter((name) => !(name in allowed));
	for (const name of skippedTests)
		console.log(`- skipped: ${name}${name in allowed ? ` (allowed: ${allowed[name]})` : ''}`);
	if (unexplained.length) {
		failures.push('skips');
		console.log(
			`\n${unexplained.length} test(s) skipped without a reason in test/skips-allowed.json: a test that needs something absent must install it or fail saying how.`,
		);
	}
}

// The lint checks the packed tarball too, so it needs the build.
if (run('build', 'npm', ['run', 'build'])) {
	if (long) {
		jest('long', ['--config', 'jest.long.config.js', '--runInBand']);
	} else {
		run('lint', 'npm', ['run', 'lint']);
		// Before the tests that read n8n's own node types (test/cli/examples.test.ts) and the e2e tier.
		run('n8n install', process.execPath, [join(root, 'scripts', 'n8n-install.mjs')]);
		jest('unit', []);
		jest('e2e', ['--config', 'jest.e2e.config.js', '--runInBand']);
	}
} else {
	console.log('\n=== tests: skipped because the build failed');
}
checkSkips();

for (const t of failedTests) console.log(`\n✕ ${t}`);
if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
