/**
 * The registry (nodes/senders.json) and each sender.json agree with the nodes themselves: what
 * the send-sample command line, npm run dev and the tests read there is what n8n gets from the
 * node descriptions and package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { nodeFile, nodeTypeName, ROOT, SENDERS, TRIGGERS, triggerNode } from '../helpers/senders';

const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

test("package.json's n8n.nodes are exactly the registered triggers", () => {
	expect([...PACKAGE.n8n.nodes].sort()).toEqual(
		TRIGGERS.map(({ sender, trigger }) => `dist/${nodeFile(sender, trigger)}.js`).sort(),
	);
});

test('trigger keys, CLI kinds, webhook paths and sample names are each used once', () => {
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
	(_key, sender, trigger) => {
		const { description } = triggerNode(sender, trigger);

		test('its node is named after it and has the display name and webhook path sender.json says', () => {
			expect(description.name).toBe(nodeTypeName(trigger.key));
			expect(description.displayName).toBe(trigger.displayName);
			expect(description.webhooks?.map((webhook) => webhook.path)).toEqual([trigger.webhookPath]);
		});

		test("its trigger panel's send-sample command is for its CLI kind, with a status it has", () => {
			const panel = description.triggerPanel as { activationHint: { inactive: string } };
			const command = /send-sample (\S+)(?: --status (\S+))?/.exec(panel.activationHint.inactive);
			expect(command?.[1]).toBe(trigger.cli.kind);
			expect(trigger.cli.statuses).toContain(command?.[2] ?? trigger.cli.defaultStatus);
		});

		test('its samples and its dev workflow are in the folder, the workflow with its node and a dev credential', () => {
			for (const name of trigger.samples)
				expect(existsSync(join(sender.folder, 'samples', `${name}.json`))).toBe(true);
			const workflow = JSON.parse(
				readFileSync(join(sender.folder, trigger.dev.workflow), 'utf8'),
			) as { nodes: Array<{ type: string; credentials?: Record<string, unknown> }> };
			const node = workflow.nodes.find(
				(n) => n.type === `${PACKAGE.name}.${nodeTypeName(trigger.key)}`,
			);
			expect(node).toBeDefined();
			const credentialTypes = sender.dev.credentials.map((credential) => credential.type);
			for (const type of Object.keys(node?.credentials ?? {}))
				expect(credentialTypes).toContain(type);
			const nodeCredentials = (description.credentials ?? []).map((credential) => credential.name);
			for (const type of credentialTypes) expect(nodeCredentials).toContain(type);
		});
	},
);

test("each sender's CLI module exists beside its sender.json", () => {
	for (const sender of SENDERS)
		expect(existsSync(join(sender.folder, sender.cli.module))).toBe(true);
});
