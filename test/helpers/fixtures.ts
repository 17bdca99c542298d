import { readFileSync } from 'node:fs';
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

/** A sample payload from test/fixtures (copies of ../shared/spec/samples), freshly parsed. */
export function sample(name: (typeof SAMPLE_NAMES)[number]): Record<string, any> {
	return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', `${name}.json`), 'utf8'));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
