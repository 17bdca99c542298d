/**
 * What every sender's trigger must satisfy, as tests: its sender.json agrees with its node (name,
 * display name, webhook path, trigger panel) and its folder holds what sender.json names. Used for
 * every registered trigger (test/unit/senders.test.ts) and for the example sender.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { nodeTypeName, ROOT, triggerNode, type Sender, type SenderTrigger } from './senders';

const PACKAGE_NAME: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).name;

export function checkSenderTrigger(sender: Sender, trigger: SenderTrigger) {
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
		) as {
			nodes: Array<{ type: string; credentials?: Record<string, unknown> }>;
		};
		const node = workflow.nodes.find(
			(n) => n.type === `${PACKAGE_NAME}.${nodeTypeName(trigger.key)}`,
		);
		expect(node).toBeDefined();
		const credentialTypes = sender.dev.credentials.map((credential) => credential.type);
		for (const type of Object.keys(node?.credentials ?? {}))
			expect(credentialTypes).toContain(type);
		const nodeCredentials = (description.credentials ?? []).map((credential) => credential.name);
		for (const type of credentialTypes) expect(nodeCredentials).toContain(type);
	});

	test("its sender's CLI module is beside its sender.json", () => {
		expect(existsSync(join(sender.folder, sender.cli.module))).toBe(true);
	});
}
