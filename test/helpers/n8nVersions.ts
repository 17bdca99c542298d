/** The n8n versions the package is tested against (scripts/n8n-versions.json), newest 2.x first. */
import matrix from '../../scripts/n8n-versions.json';

export const N8N_VERSIONS: string[] = Object.keys(matrix.versions);

/** The Node a tested n8n runs on ("24", or "system": the Node running the tests). */
export const nodeOf = (version: string): string =>
	(matrix.versions as Record<string, { node: string }>)[version].node;

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
