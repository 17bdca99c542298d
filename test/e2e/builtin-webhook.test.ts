/**
 * Proves the harness itself with n8n's built-in Webhook node (header auth): install, import,
 * publish, start, HTTP, executions read back from the DB, clean stop. Independent of our nodes.
 */
import { e2eVersions } from '../helpers/n8nVersions';
import { N8nInstance, nodeOutputs } from './harness';

const VERSIONS = e2eVersions('E2E_N8N_VERSIONS');
const WEBHOOK_ID = '0b7c6f1e-1d1a-4c59-9a43-0d9b1c2f3a01';
// The built-in Webhook node declares isFullPath, so its URL is /webhook/<path> (no webhookId prefix).
const HOOK = '/webhook/e2e-builtin-hook';

describe.each(VERSIONS)('harness on n8n %s (built-in Webhook node)', (version) => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await N8nInstance.start({
			version,
			webhookPaths: [HOOK],
			credentials: [
				{
					id: 'hdrauth00000001',
					name: 'Header',
					type: 'httpHeaderAuth',
					data: { name: 'X-Key', value: 's3cret' },
				},
			],
			workflows: [
				{
					id: 'wfBuiltinHook01',
					name: 'built-in webhook',
					nodes: [
						{
							id: 'a0f3c5d2-0000-4000-8000-000000000001',
							name: 'Webhook',
							type: 'n8n-nodes-base.webhook',
							typeVersion: 2,
							position: [0, 0],
							webhookId: WEBHOOK_ID,
							parameters: {
								httpMethod: 'POST',
								path: 'e2e-builtin-hook',
								authentication: 'headerAuth',
								options: {},
							},
							credentials: { httpHeaderAuth: { id: 'hdrauth00000001', name: 'Header' } },
						},
					],
					connections: {},
					settings: { executionOrder: 'v1' },
				},
			],
		});
	}, 20 * 60_000);

	afterAll(async () => {
		await n8n?.stop();
	});

	it('runs the workflow for a correct key and records one execution', async () => {
		const mark = n8n.mark();
		const res = await fetch(n8n.url(HOOK), {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-key': 's3cret' },
			body: JSON.stringify({ hello: 'world' }),
		});
		expect(res.status).toBe(200);
		const [exec, ...more] = await n8n.waitForExecutions(1, { after: mark });
		expect(more).toHaveLength(0);
		expect(exec.status).toBe('success');
		expect(exec.mode).toBe('webhook');
		const [items] = nodeOutputs(exec, 'Webhook');
		expect(items).toHaveLength(1);
		expect(items[0].json.body).toEqual({ hello: 'world' });
	});

	it('answers 403 for a wrong key and records nothing', async () => {
		const mark = n8n.mark();
		const res = await fetch(n8n.url(HOOK), {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-key': 'nope' },
			body: '{}',
		});
		expect(res.status).toBe(403);
		expect(await n8n.executionsAfterSettle(mark)).toHaveLength(0);
	});

	it('survives a restart with the workflow still active', async () => {
		await n8n.restart();
		const mark = n8n.mark();
		const res = await fetch(n8n.url(HOOK), {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-key': 's3cret' },
			body: '{"again":true}',
		});
		expect(res.status).toBe(200);
		await n8n.waitForExecutions(1, { after: mark });
	});
});
