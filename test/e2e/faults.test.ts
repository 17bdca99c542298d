/**
 * No document lost to a failed first attempt, in a real n8n: a fault on a delivery's first
 * attempt (in the node, in n8n's binary data store, in n8n's database), then the sender's retry,
 * with n8n's own database as the witness of what ran. Each document must run exactly once,
 * except where RELIABILITY.md says n8n itself loses it (1.x answering before it writes).
 *
 *   npm run build
 *   npx jest --config jest.long.config.js test/e2e/faults.test.ts --runInBand
 *
 * FAULTS_N8N_VERSIONS (default: E2E_N8N_VERSIONS, else every tested version) picks the n8n.
 */
import {
	appendFileSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startFileServer, type FileServer } from '../helpers/fileServer';
import { e2eVersions } from '../helpers/n8nVersions';
import { MINIMAL_PDF, MINIMAL_XML } from '../helpers/unit';
import { type Execution, N8nInstance, nodeOutputs, packPackage, REPO_DIR } from './harness';
import {
	REL_HOOKS,
	relHookPath,
	RELIABILITY_CREDENTIALS,
	reliabilityWorkflows,
} from './reliabilityWorkflows';
import { abortInFlight, documentBody, send, untilRouted } from './sender';
import { startSink } from './sink';

const VERSIONS = e2eVersions('FAULTS_N8N_VERSIONS', 'E2E_N8N_VERSIONS').filter(Boolean);

/**
 * A test-only fault inside webhook(), after the duplicate check: the installed package's
 * attachFiles throws once for each document whose id starts with `fault-node-`.
 */
const THROW_ONCE_IN_NODE = `
;(() => {
	const original = exports.attachFiles;
	const failed = new Set();
	exports.attachFiles = async (ctx, sources, fields, options) => {
		const id = String(fields.documentId);
		if (id.startsWith('fault-node-') && !failed.has(id)) {
			failed.add(id);
			throw new Error('injected fault after the duplicate check');
		}
		return original(ctx, sources, fields, options);
	};
})();
`;

/**
 * Test-only instrumentation of the installed package: when n8n serialises a delivery's items
 * into the execution and when it serialises the memory to save it, each delivery writes the time
 * between the two (milliseconds; positive when the save comes after the execution) to a file.
 */
function timeHandOver(duplicatesJs: string, timings: string): void {
	const source = readFileSync(duplicatesJs, 'utf8');
	const note = (at: string) =>
		`{ seen.${at} ??= globalThis.performance.now(); if (seen.savedAt !== undefined && seen.writtenAt !== undefined && !seen.timed) { seen.timed = true; require('node:fs').appendFileSync(${JSON.stringify(timings)}, String(seen.savedAt - seen.writtenAt) + '\\n'); } }`;
	const patched = source
		.replace('seen.saved = true;', `seen.saved = true; ${note('savedAt')}`)
		.replace('seen.executionWritten = true;', `seen.executionWritten = true; ${note('writtenAt')}`);
	if (!patched.includes('seen.savedAt ??=') || !patched.includes('seen.writtenAt ??='))
		throw new Error('duplicates.js changed: update timeHandOver');
	writeFileSync(duplicatesJs, patched);
}

afterEach(() => abortInFlight());

describe.each(VERSIONS)('n8n %s: a failed first attempt, then the retry', (version) => {
	let n8n: N8nInstance;
	let files: FileServer;
	let sink: Awaited<ReturnType<typeof startSink>>;
	const binaryStore = mkdtempSync(join(tmpdir(), 'n8n-binary-store-'));
	/** The fault documents that ran, once each. */
	const ranOnce = new Set(['fault-node-1', 'fault-store-1', 'fault-db-1']);
	const timings = join(binaryStore, '..', `${binaryStore.split('/').pop()}-handover.txt`);

	const url = () => n8n.url(relHookPath(REL_HOOKS.immediate));
	const withFiles = (id: string) =>
		documentBody(id, {
			attachments: [
				{ type: 'pdf', url: files.url('/invoice.pdf') },
				{ type: 'xml', url: files.url('/invoice.xml') },
			],
		});
	const deliver = (id: string, body = withFiles(id)) => send({ label: id, url: url(), body });
	const documentIds = (executions: Execution[]) =>
		executions.flatMap((e) =>
			nodeOutputs(e, REL_HOOKS.immediate.node)[0]?.map((item) => item.json.documentId),
		);

	beforeAll(async () => {
		files = await startFileServer({
			'/invoice.pdf': { contentType: 'application/pdf', body: MINIMAL_PDF },
			'/invoice.xml': { contentType: 'application/xml', body: MINIMAL_XML },
		});
		sink = await startSink();
		const { tarball } = packPackage();
		const workflows = reliabilityWorkflows(sink.url).map((workflow) =>
			workflow.id === REL_HOOKS.immediate.id
				? {
						...workflow,
						nodes: workflow.nodes.map((node) =>
							node.name === REL_HOOKS.immediate.node
								? {
										...node,
										// The file server is on 127.0.0.1.
										parameters: {
											responseMode: 'onReceived',
											options: { allowPrivateAddresses: true },
										},
									}
								: node,
						),
					}
				: workflow,
		);
		n8n = await N8nInstance.start({
			version,
			tarball,
			credentials: RELIABILITY_CREDENTIALS,
			workflows,
			env: {
				// A mode n8n 3.0 keeps; files go to a folder this test can break.
				N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
				N8N_BINARY_DATA_STORAGE_PATH: binaryStore,
			},
			webhookPaths: Object.values(REL_HOOKS).map(relHookPath),
		});
		appendFileSync(join(n8n.packageDir, 'dist', 'nodes', 'shared', 'files.js'), THROW_ONCE_IN_NODE);
		timeHandOver(join(n8n.packageDir, 'dist', 'nodes', 'shared', 'duplicates.js'), timings);
		await n8n.restart();
		for (const hook of Object.values(REL_HOOKS)) await untilRouted(n8n.url(relHookPath(hook)));
	}, 20 * 60_000);

	afterAll(async () => {
		rmSync(timings, { force: true });
		await n8n?.stop();
		await files?.close();
		sink?.server.close();
		rmSync(binaryStore, { recursive: true, force: true });
	});

	it('an exception inside the node after the duplicate check → 500; the retry runs once', async () => {
		const mark = n8n.mark();
		const first = await deliver('fault-node-1');
		expect(first.status).toBe(500);
		expect(await n8n.executionsAfterSettle(mark, 1000, { withData: false })).toEqual([]);
		const retry = await deliver('fault-node-1');
		expect(retry.status).toBe(200);
		const again = await deliver('fault-node-1');
		expect([again.status, again.text]).toEqual([200, expect.stringMatching(/duplicate/i)]);
		const runs = await n8n.waitForExecutions(1, { after: mark });
		expect(documentIds(await n8n.executionsAfterSettle(mark, 1500))).toEqual(['fault-node-1']);
		expect(runs[0].status).toBe('success');
	});

	it("n8n's binary data store fails on the first attempt (its folder is a file) → 500; the retry runs once", async () => {
		const mark = n8n.mark();
		const aside = `${binaryStore}.aside`;
		renameSync(binaryStore, aside);
		writeFileSync(binaryStore, 'not a folder'); // every write under it fails with ENOTDIR
		let first;
		try {
			first = await deliver('fault-store-1');
		} finally {
			rmSync(binaryStore, { force: true });
			renameSync(aside, binaryStore);
		}
		expect(first.status).toBe(500);
		expect(n8n.logs()).toMatch(/failed on an unexpected error \(HTTP 500\)/);
		const retry = await deliver('fault-store-1');
		expect(retry.status).toBe(200);
		expect((await deliver('fault-store-1')).text).toMatch(/duplicate/i);
		await n8n.waitForExecutions(1, { after: mark });
		const runs = await n8n.executionsAfterSettle(mark, 1500);
		expect(documentIds(runs)).toEqual(['fault-store-1']);
		const stored = runs[0].data.resultData.runData[REL_HOOKS.immediate.node][0].data.main[0][0];
		expect(Object.keys(stored.binary ?? {}).sort()).toEqual(['pdf', 'xml']);
	});

	it('n8n cannot write the execution (database locked) → 500, nothing remembered; the retry runs once; When Workflow Finishes too', async () => {
		const mark = n8n.mark();
		await n8n.lockDatabase(8000);
		const first = await deliver('fault-db-1');
		const lastNode = await send({
			label: 'fault-db-2',
			url: n8n.url(relHookPath(REL_HOOKS.lastNode)),
			body: documentBody('fault-db-2'),
		});
		await n8n.lockReleased;
		const retry = await deliver('fault-db-1');
		// The sender retries until 200 (the sink also fails each document's first processing).
		const lastNodeRetries = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			const answer = await send({
				label: 'fault-db-2',
				url: n8n.url(relHookPath(REL_HOOKS.lastNode)),
				body: documentBody('fault-db-2'),
			});
			lastNodeRetries.push(answer.status);
			if (answer.status === 200) break;
		}
		const runs = () =>
			n8n
				.executionsAfterSettle(mark, 3000)
				.then((all) => documentIds(all.filter((e) => e.workflowId === REL_HOOKS.immediate.id)));
		if (version.startsWith('1.') && first.status === 200) {
			// n8n 1.x answered Respond Immediately before its write failed: the document is lost,
			// whatever the node does (RELIABILITY.md; use When Workflow Finishes on 1.x). Seen in
			// some runs; in others its static-data save, slowed by the lock, lost the race to the
			// failed write and n8n answered 500, as 2.x always does.
			expect(retry.text).toMatch(/duplicate/i);
			expect(await runs()).toEqual([]);
			ranOnce.delete('fault-db-1');
		} else {
			expect(first.status).toBe(500);
			expect([retry.status, retry.text]).toEqual([200, expect.not.stringMatching(/duplicate/i)]);
			expect((await deliver('fault-db-1')).text).toMatch(/duplicate/i);
			expect(await runs()).toEqual(['fault-db-1']);
		}
		expect(lastNode.status).toBe(500);
		expect(lastNodeRetries[lastNodeRetries.length - 1]).toBe(200);
		expect(sink.processed.get('fault-db-2')).toBe(1);
	}, 120_000);

	it('the window between n8n writing the execution and saving the memory, measured on 200 deliveries', async () => {
		rmSync(timings, { force: true });
		const ids = Array.from({ length: 200 }, (_, i) => `window-${i}`);
		const mark = n8n.mark();
		for (let i = 0; i < ids.length; i += 10)
			await Promise.all(ids.slice(i, i + 10).map((id) => deliver(id, documentBody(id))));
		await n8n.waitForExecutions(ids.length, { after: mark, timeoutMs: 120_000 });
		const windows = readFileSync(timings, 'utf8').trim().split('\n').map(Number);
		const sorted = [...windows].sort((a, b) => a - b);
		const at = (p: number) =>
			sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
		const figures = {
			version,
			deliveries: windows.length,
			// ms from n8n serialising the execution's items to serialising the memory it saves
			p50: at(50),
			p99: at(99),
			max: sorted[sorted.length - 1],
			saveAfterExecution: windows.filter((w) => w > 0).length,
		};
		console.log(`hand-over window (n8n ${version}): ${JSON.stringify(figures)}`);
		mkdirSync(join(REPO_DIR, '.e2e'), { recursive: true });
		writeFileSync(
			join(REPO_DIR, '.e2e', `handover-window-${version}.json`),
			JSON.stringify(figures, null, 2),
		);
		expect(windows).toHaveLength(ids.length);
		// 2.x saves only after it wrote the execution. (1.x starts saving before it writes the
		// execution, but serialises the memory a few promise steps later: the order seen here is
		// not the order of the two writes there.)
		if (version.startsWith('2.')) expect(figures.saveAfterExecution).toBe(ids.length);
	}, 300_000);

	it('after all of it, n8n restarts and every document received is still a repeat', async () => {
		await n8n.restart();
		await untilRouted(url());
		const mark = n8n.mark();
		for (const id of ranOnce) expect((await deliver(id)).text).toMatch(/duplicate/i);
		expect(await n8n.executionsAfterSettle(mark, 1500, { withData: false })).toEqual([]);
	});
});
