/**
 * The editor's trigger panel of each node (built by nodes/shared/triggerPanel.ts): the send-sample
 * command it shows, typed as shown with the placeholders filled in, posts a delivery that the same node
 * accepts and turns into one item; and its texts name the editor's real button.
 */
import type { INodeType } from 'n8n-workflow';

import { TRIGGERS, triggerNode } from '../helpers/senders';
import { deliver } from '../helpers/webhookContext';
import { asDelivery, captureServer, runCli } from './harness';

jest.setTimeout(30_000);

const SECRET = 'panel-Secret-0123456789';

/**
 * Every registered trigger, its node set up with its sender's dev credential holding SECRET
 * (the placeholder the test fills in), and otherwise the node's defaults.
 */
const PANELS = TRIGGERS.map(({ sender, trigger }) => {
	const [credential] = sender.dev.credentials;
	const secretData = Object.fromEntries(
		Object.keys(credential.data).map((field) => [field, SECRET]),
	);
	return {
		name: trigger.displayName,
		node: triggerNode(sender, trigger),
		setup: { credentials: { [credential.type]: secretData } },
		cli: trigger.cli,
	};
});

/** The panel's HTML as the editor shows it, as plain text. */
function shownText(html: string): string {
	return html
		.replace(/<[^>]+>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

function panelOf(node: INodeType) {
	const panel = node.description.triggerPanel;
	if (typeof panel !== 'object') throw new Error(`${node.description.name} has no trigger panel`);
	return panel;
}

describe.each(PANELS)('$name', ({ node, setup, cli }) => {
	const panel = panelOf(node);
	const hints = panel.activationHint as { active: string; inactive: string };
	const help = panel.executionsHelp as { active: string; inactive: string };

	test('the panel says which button to click and where the Test URL is (n8n 1.x and 2.x)', () => {
		expect(panel.header).toMatch(/^Test with a sample \S+ delivery$/);
		for (const text of [hints.inactive, hints.active, help.inactive, help.active]) {
			expect(text).toContain('Click <b>Execute step</b>');
			expect(text).toContain('<b>Test URL</b> under <b>Webhook URLs</b>');
			expect(text).not.toMatch(/<(?!\/?(b|code|br)\b)/); // only tags n8n's sanitizer keeps
		}
		expect(help.inactive).toContain('<b>Production URL</b>');
		expect(help.inactive).toContain('publish the workflow (n8n 1.x: activate it)');
	});

	test('its send-sample command, as typed from the panel, is accepted by this node', async () => {
		const command = /<code>(npx n8n-nodes-ilink-invoicy send-sample [^<]+)<\/code>/.exec(
			hints.inactive,
		)?.[1];
		expect(command).toBeDefined();
		const results: Awaited<ReturnType<typeof deliver>>[] = [];
		const capture = await captureServer(async (captured) => {
			const result = await deliver(node, asDelivery(captured), setup);
			results.push(result);
			return { status: result.status, body: result.body, headers: result.headers };
		});
		try {
			const args = shownText(command!)
				.replace('npx n8n-nodes-ilink-invoicy ', '')
				.replace('<Test URL>', capture.url())
				.replace(/<[^>]+>/g, SECRET) // the credential's secret
				.split(' ');
			const result = await runCli(args);
			expect(result.stderr).not.toMatch(/usage|unknown/i);
			expect(result.code).toBe(0);
			expect(results).toHaveLength(1);
			expect(results[0].started).toBe(true);
			expect(results[0].outputs[0]).toHaveLength(1);
			// The status the command asks for, else its kind's default.
			const status = / --status (\S+)/.exec(args.join(' '))?.[1] ?? cli.defaultStatus;
			expect(args[1]).toBe(cli.kind);
			expect(results[0].outputs[0][0].json.status).toBe(status);
		} finally {
			await capture.close();
		}
	});
});
