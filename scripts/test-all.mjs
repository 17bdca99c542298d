#!/usr/bin/env node
// `npm test`: build, lint (source and tarball), unit tests, then the end-to-end suite against real n8n 2.x and 1.x
// (installed into ~/.cache on first use, see scripts/n8n-install.mjs). Exits non-zero if any step
// fails. The last line is `N passed, N failed`, summed over both jest runs.
//
// Pass-through: E2E_N8N_VERSIONS=2.40.7 limits the e2e suite to one n8n; SKIP_E2E=1 skips it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });

const failures = [];
/** Failed tests with the start of their messages, repeated at the end where a truncated CI log still shows them. */
const failedTests = [];
const plain = (text) => text.replace(/\x1b\[[0-9;]*m/g, '').slice(0, 1500);
let passed = 0;
let failed = 0;

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

/** Runs jest with a JSON report and adds its totals. */
function jest(label, extraArgs) {
	const out = join(resultsDir, `${label}.json`);
	rmSync(out, { force: true });
	const ok = run(label, 'npx', ['jest', ...extraArgs, '--json', `--outputFile=${out}`]);
	if (existsSync(out)) {
		const report = JSON.parse(readFileSync(out, 'utf8'));
		passed += report.numPassedTests;
		failed += report.numFailedTests;
		for (const suite of report.testResults ?? []) {
			const file = suite.name.slice(root.length + 1);
			if (suite.status === 'failed' && !suite.assertionResults?.some((t) => t.status === 'failed'))
				failedTests.push(`${file}: ${plain(suite.message)}`);
			for (const t of suite.assertionResults ?? [])
				if (t.status === 'failed')
					failedTests.push(`${file} › ${t.fullName}\n${plain(t.failureMessages.join('\n'))}`);
		}
		// A suite that fails to run (syntax error, beforeAll crash without tests) has no failed tests.
		if (!ok && report.numFailedTests === 0)
			failed += Math.max(1, report.numRuntimeErrorTestSuites ?? 0);
	} else if (!ok) {
		failed += 1;
	}
	return ok;
}

// The lint checks the packed tarball too, so it needs the build.
if (run('build', 'npm', ['run', 'build'])) {
	run('lint', 'npm', ['run', 'lint']);
	jest('unit', []);
	if (process.env.SKIP_E2E === '1') console.log('\n=== e2e: skipped (SKIP_E2E=1)');
	else jest('e2e', ['--config', 'jest.e2e.config.js', '--runInBand']);
} else {
	console.log('\n=== unit and e2e: skipped because the build failed');
}

for (const t of failedTests) console.log(`\n✕ ${t}`);
if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
