/**
 * The registry (nodes/senders.json) and each sender.json agree with the nodes themselves: what
 * the send-sample command line, npm run dev and the tests read there is what n8n gets from the
 * node descriptions and package.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { checkSenderTrigger } from '../helpers/senderChecks';
import { nodeFile, ROOT, SENDERS, TRIGGERS } from '../helpers/senders';

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test("package.json's n8n.nodes are exactly the registered triggers", () => {
	expect([...PACKAGE.n8n.nodes].sort()).toEqual(
		TRIGGERS.map(({ sender, trigger }) => `dist/${nodeFile(sender, trigger)}.js`).sort(),
	);
});

test('trigger keys, CLI kinds, webhook paths, sample names and auth flags are each used once', () => {
	for (const values of [
		TRIGGERS.map(({ trigger }) => trigger.key),
		TRIGGERS.map(({ trigger }) => trigger.cli.kind),
		TRIGGERS.map(({ trigger }) => trigger.webhookPath),
		TRIGGERS.flatMap(({ trigger }) => trigger.samples),
		SENDERS.flatMap((sender) => sender.cli.authFlags),
	])
		expect(new Set(values).size).toBe(values.length);
});

describe.each(TRIGGERS.map(({ sender, trigger }) => [trigger.key, sender, trigger] as const))(
	'%s',
	(_key, sender, trigger) => checkSenderTrigger(sender, trigger),
);
