// Building blocks for running a real n8n with this package installed, shared by the end-to-end
// harness (test/e2e/harness.ts, through scripts/e2e-prepare.mjs) and `npm run dev` (scripts/dev.mjs).
//
// The package is installed the way n8n's own community-package installer does it (n8n 2.40.7
// modules/community-packages/community-packages.service.js, `downloadPackage`), from the tarball
// `npm pack` makes, so the tests exercise exactly what users get from the registry:
//   tar -xzf <tgz> -C <user>/.n8n/nodes/node_modules/<name> --strip-components=1
//   package.json rewritten without devDependencies / peerDependencies / optionalDependencies
//   npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
//               --ignore-scripts=true --package-lock=false        (in the package folder)
//   "<name>": "<version>" added to <user>/.n8n/nodes/package.json dependencies
// At start-up n8n loads <user>/.n8n/nodes/node_modules/n8n-nodes-* and resolves the peer
// dependencies (n8n-workflow, zod) from its own node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmEnv } from './n8n-install.mjs';

export const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `npm pack` of the repository (expects `npm run build` to have run). Returns the .tgz path. */
export function packPackage(outDir, repoDir = REPO_DIR) {
	mkdirSync(outDir, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
		cwd: repoDir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [info] = JSON.parse(out);
	return { tarball: join(outDir, info.filename), files: info.files.map((f) => f.path), info };
}

/** Installs a packed tarball into `<userFolder>/.n8n/nodes` as n8n's community installer does. */
export function installPackageTarball(userFolder, tarball) {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	// The package name is read from the tarball itself, not from the working tree.
	const manifest = JSON.parse(
		execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
	);
	const pkgDir = join(nodesDir, 'node_modules', manifest.name);
	rmSync(pkgDir, { recursive: true, force: true }); // reinstall: no stale files from an old build
	mkdirSync(pkgDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);

	const pkgJsonPath = join(pkgDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...kept } = JSON.parse(
		readFileSync(pkgJsonPath, 'utf8'),
	);
	writeFileSync(pkgJsonPath, JSON.stringify(kept, null, 2), 'utf8');
	execFileSync(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: pkgDir, stdio: ['ignore', 'ignore', 'inherit'], env: npmEnv() },
	);

	const ledgerPath = join(nodesDir, 'package.json');
	const ledger = existsSync(ledgerPath)
		? JSON.parse(readFileSync(ledgerPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	ledger.dependencies = { ...(ledger.dependencies ?? {}), [kept.name]: kept.version };
	writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return { name: kept.name, version: kept.version, dir: pkgDir };
}

/**
 * Environment for every n8n process (CLI commands and `n8n start`) on one user folder.
 * Offline: no telemetry, version checks, templates; plain http on loopback.
 */
export function n8nEnv(n8n, userFolder, { port, brokerPort, extra = {} } = {}) {
	const env = {
		...n8n.env,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_HIDE_USAGE_PAGE: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		// 1.x warns unless runners are enabled explicitly; 2.x always has them and warns if it is set.
		...(n8n.version.startsWith('1.')
			? {
					N8N_RUNNERS_ENABLED: 'true',
					// 1.123's default 'vm' expression engine needs isolated-vm, which only ships prebuilt
					// binaries for Node 22/24 and is not compiled here (install scripts are skipped).
					// On Node 20 use the 'legacy' engine (in-process; the 1.x default until late 1.x).
					N8N_EXPRESSION_ENGINE: 'legacy',
				}
			: {}),
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		// n8n 3.0 removes the in-memory mode (1.x's default): test with one that stays.
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		...extra,
	};
	// Never inherit a developer's own n8n settings into the isolated instance. NODE_ENV matters:
	// jest sets NODE_ENV=test, and n8n then runs as in its own unit tests (in-memory DB, no server).
	for (const k of [
		'N8N_PORT',
		'N8N_LISTEN_ADDRESS',
		'N8N_RUNNERS_BROKER_PORT',
		'WEBHOOK_URL',
		'N8N_HOST',
		'NODE_ENV',
	])
		if (!(k in extra)) delete env[k];
	for (const k of Object.keys(env)) if (k.startsWith('JEST_')) delete env[k];
	if (port !== undefined) env.N8N_PORT = String(port);
	if (brokerPort !== undefined) env.N8N_RUNNERS_BROKER_PORT = String(brokerPort);
	return env;
}

/** Runs one n8n CLI command (`import:workflow`, `publish:workflow`, ...) to completion. */
export function runN8nCli(n8n, env, args) {
	try {
		return execFileSync(n8n.nodeBin, [n8n.n8nBin, ...args], {
			env,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			timeout: 180_000,
		});
	} catch (e) {
		throw new Error(
			`n8n ${args.join(' ')} failed (${e.status ?? e.signal}):\n${e.stdout}\n${e.stderr}`,
		);
	}
}

/**
 * Imports credentials and workflows into the user folder's SQLite DB and activates every workflow:
 * `publish:workflow` on 2.x, `update:workflow --active=true` on 1.x (2.x deprecated that one).
 * These commands write the DB directly, so they must run before `n8n start`.
 */
export function importAndActivate(n8n, env, userFolder, { credentials = [], workflows = [] }) {
	const dir = join(userFolder, 'import');
	mkdirSync(dir, { recursive: true });
	if (credentials.length) {
		const f = join(dir, 'credentials.json');
		writeFileSync(f, JSON.stringify(credentials, null, 2));
		runN8nCli(n8n, env, ['import:credentials', `--input=${f}`]);
	}
	if (workflows.length) {
		const f = join(dir, 'workflows.json');
		writeFileSync(
			f,
			JSON.stringify(
				workflows.map((w) => ({ active: false, ...w })),
				null,
				2,
			),
		);
		runN8nCli(n8n, env, ['import:workflow', `--input=${f}`]);
	}
	const major = Number(n8n.version.split('.')[0]);
	if (major < 2 && workflows.length) {
		// 1.x can activate all imported workflows in one CLI run.
		runN8nCli(n8n, env, ['update:workflow', '--all', '--active=true']);
	} else {
		// 2.x: one process per workflow (publish:workflow no longer accepts --all).
		for (const w of workflows) runN8nCli(n8n, env, ['publish:workflow', `--id=${w.id}`]);
	}
}

/** A free TCP port on 127.0.0.1 (asks the kernel, then releases it). */
export function freePort() {
	return new Promise((res, rej) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => res(port));
		});
	});
}

/** Polls `<baseUrl>/healthz` until n8n answers `{"status":"ok"}`; fails early if `isDead()`. */
export async function waitHealthy(baseUrl, { timeoutMs = 120_000, isDead = () => false } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (isDead()) throw new Error('n8n exited before it became healthy');
		try {
			const r = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
			if (r.ok && (await r.json()).status === 'ok') return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`n8n at ${baseUrl} not healthy after ${timeoutMs} ms`);
}
