/**
 * The seam a new sender plugs into, proven with a made-up sender that lives only in this folder
 * and is registered with one line (register.mjs; jest reads it with the registry's readSender):
 * it passes the checks every registered sender passes, its trigger runs through the shared
 * delivery pipeline, and the send-sample command line builds its deliveries.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { checkSenderTrigger } from '../helpers/senderChecks';
import { readSender, ROOT, triggerNode } from '../helpers/senders';
import { deliver } from '../helpers/webhookContext';

const SENDER = readSender(__dirname);
const [TRIGGER] = SENDER.triggers;
const NODE = triggerNode(SENDER, TRIGGER);
const SECRET = 'example-Secret-0123456789';
const SETUP = { credentials: { exampleSecretApi: { secret: SECRET } } };
const sample = () =>
	JSON.parse(readFileSync(join(__dirname, 'samples', 'example-event.json'), 'utf8'));

/** The command line with the example sender registered (the test-only hook of bin/lib/senders.mjs). */
function sendSample(args: string[]) {
	const register = pathToFileURL(join(__dirname, 'register.mjs')).href;
	const cli = join(ROOT, 'bin', 'n8n-nodes-ilink-invoicy.mjs');
	return spawnSync(process.execPath, ['--import', register, cli, ...args], {
		cwd: ROOT,
		encoding: 'utf8',
	});
}

describe('Example Event Trigger, like every registered trigger', () => {
	checkSenderTrigger(SENDER, TRIGGER);
});

describe('through the shared delivery pipeline', () => {
	test('a sample delivery with the right secret becomes one item with the core fields', async () => {
		const result = await deliver(
			NODE,
			{ body: sample(), headers: { authorization: `Bearer ${SECRET}` } },
			SETUP,
		);
		expect(result.status).toBe(200);
		expect(result.outputs[1]).toEqual([]);
		expect(result.outputs[0]).toHaveLength(1);
		expect(result.outputs[0][0].json).toMatchObject({
			source: 'example',
			event: 'example.event',
			documentId: 'evt-0001',
			documentNumber: 'EX 2025/1',
			status: 'created',
			recipient: { taxId: 'PT123456789', name: 'Example Customer, Lda.' },
			totalAmount: 12.3,
			currency: 'EUR',
			raw: sample(),
		});
	});

	test('a wrong secret is answered 401 with the sender as realm, and starts nothing', async () => {
		const result = await deliver(
			NODE,
			{ body: sample(), headers: { authorization: 'Bearer not-the-secret' } },
			SETUP,
		);
		expect(result.status).toBe(401);
		expect(result.headers['www-authenticate']).toBe('Bearer realm="Example"');
		expect(result.started).toBe(false);
	});

	test('an event without an id goes to the Invalid output', async () => {
		const result = await deliver(
			NODE,
			{ body: { event: { status: 'paid' } }, headers: { authorization: `Bearer ${SECRET}` } },
			SETUP,
		);
		expect(result.status).toBe(200);
		expect(result.outputs[0]).toEqual([]);
		expect(result.outputs[1][0].json.errors).toEqual([
			{ path: 'event.id', message: 'The event has no id' },
		]);
	});
});

describe('send-sample, with the example sender registered', () => {
	test('--help lists its kind, its statuses and its flag', () => {
		const { status, stdout } = sendSample(['--help']);
		expect(status).toBe(0);
		expect(stdout).toMatch(
			/^ {2}example-event +Example event webhook +\(Example Event Trigger\)$/m,
		);
		expect(stdout).toMatch(/^ +example-event: +created \(default\) \| paid$/m);
		expect(stdout).toContain('  --secret <secret>         Example: Authorization: Bearer <secret>');
	});

	test('--dry-run prints its delivery, which its trigger accepts', async () => {
		const url =
			'http://127.0.0.1:9/webhook-test/00000000-0000-4000-8000-000000000000/example-event';
		const args = ['send-sample', 'example-event', '--url', url, '--secret', SECRET];
		const result = sendSample([...args, '--status', 'paid', '--id', 'evt-cli-1', '--dry-run']);
		expect(result.stderr).toMatch(
			/^dry run: example-event \(status paid\): document id evt-cli-1, number EX \d+; nothing is sent$/m,
		);
		expect(result.status).toBe(0);
		const request = JSON.parse(result.stdout);
		expect(request).toMatchObject({
			method: 'POST',
			url,
			headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ********' },
		});
		expect(request.headers['User-Agent']).toMatch(/\(simulating Example webhooks\)$/);
		const delivered = await deliver(
			NODE,
			{ body: request.body, headers: { authorization: `Bearer ${SECRET}` } },
			SETUP,
		);
		expect(delivered.outputs[0][0].json).toMatchObject({ documentId: 'evt-cli-1', status: 'paid' });
	});

	test("its own auth rule applies: another sender's flag is refused", () => {
		const url = 'http://127.0.0.1:9/webhook-test/x/example-event';
		const result = sendSample(['send-sample', 'example-event', '--url', url, '--key', 'k']);
		expect(result.status).toBe(2);
		expect(result.stderr).toContain(
			'the example sender sends only "Authorization: Bearer <secret>"',
		);
	});
});
