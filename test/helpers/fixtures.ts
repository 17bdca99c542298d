import { readFileSync } from 'node:fs';

import { sampleOwner, TRIGGERS } from './senders';

/** Every registered sender's sample deliveries (copies of ../shared/spec/samples), by name. */
export const SAMPLE_NAMES = TRIGGERS.flatMap(({ trigger }) => trigger.samples);

/** Where a sample delivery lives: in its sender's folder, nodes/<Sender>/samples/<name>.json. */
export const samplePath = (name: string) => sampleOwner(name).path;

/** A sample payload, freshly parsed. */
export function sample(name: string): Record<string, any> {
	return JSON.parse(readFileSync(samplePath(name), 'utf8'));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
