import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const SAMPLE_NAMES = [
	'ilink-new-document',
	'ilink-status-change-accepted',
	'ilink-status-change-rejected',
	'ilink-status-change-sent',
	'invoicy-nfse-authorized',
	'invoicy-nfse-cancelled',
	'invoicy-nfse-rejected',
] as const;

const NODES_DIR = join(__dirname, '..', '..', 'nodes');

/** Where a sample delivery lives: in its sender's folder, nodes/<Sender>/samples/<name>.json. */
export function samplePath(name: string): string {
	for (const folder of readdirSync(NODES_DIR)) {
		const path = join(NODES_DIR, folder, 'samples', `${name}.json`);
		if (existsSync(path)) return path;
	}
	throw new Error(`no sender folder has a sample named ${name}`);
}

/** A sample payload (copies of ../shared/spec/samples), freshly parsed. */
export function sample(name: (typeof SAMPLE_NAMES)[number]): Record<string, any> {
	return JSON.parse(readFileSync(samplePath(name), 'utf8'));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
