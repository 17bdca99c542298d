/**
 * The n8n versions the package is tested against: N8N_VERSIONS of scripts/n8n-install.mjs, newest
 * 2.x first. Read through a node child process because jest runs these tests as CommonJS, which
 * cannot import that ES module.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const INSTALL_SCRIPT = pathToFileURL(
	join(__dirname, '..', '..', 'scripts', 'n8n-install.mjs'),
).href;

export const N8N_VERSIONS: string[] = JSON.parse(
	execFileSync(
		process.execPath,
		[
			'--input-type=module',
			'-e',
			`const { N8N_VERSIONS } = await import(${JSON.stringify(INSTALL_SCRIPT)}); console.log(JSON.stringify(Object.keys(N8N_VERSIONS)));`,
		],
		{ encoding: 'utf8' },
	),
);

/** The newest tested version of an n8n major line ('1', '2'). */
export function newestOfLine(major: string): string {
	const version = N8N_VERSIONS.find((v) => v.split('.')[0] === major);
	if (!version) throw new Error(`N8N_VERSIONS has no n8n ${major}.x`);
	return version;
}

/** The versions an e2e suite runs on: the first of these variables that is set (comma-separated), else all. */
export function e2eVersions(...variables: string[]): string[] {
	const chosen = variables.map((name) => process.env[name]).find((value) => value);
	return chosen ? chosen.split(',').map((v) => v.trim()) : N8N_VERSIONS;
}
