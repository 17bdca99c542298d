/** Duplicate memory: which deliveries count as the same, where it applies, persistence and bounds. */
import { ObservableObject, type IDataObject } from 'n8n-workflow';

import {
	DUPLICATE_MEMORY,
	forgetProcessMemory,
	markChangedAfterHandOver,
	rememberDelivery,
} from '../../nodes/shared/duplicates';
import { sample } from '../helpers/fixtures';
import {
	expectNotStarted,
	expectOneDocument,
	freshWorkflowId,
	send,
	type NodeKind,
	type SendOptions,
} from '../helpers/unit';

/** Sends deliveries that share one node (workflow + node id) and one persisted static data object. */
function sameNode(kind: NodeKind, extra: SendOptions = {}) {
	const staticData: IDataObject = {};
	const workflowId = freshWorkflowId();
	return {
		staticData,
		send: (body: unknown, opts: SendOptions = {}) =>
			send(kind, body, { staticData, workflowId, ...extra, ...opts }),
	};
}

afterEach(() => {
	jest.restoreAllMocks();
});

describe('iLink new document: key is the document id', () => {
	test('the same id twice: second is a duplicate (200, not started)', async () => {
		const node = sameNode('iLinkNew');
		expectOneDocument(await node.send(sample('ilink-new-document')));
		const again = await node.send(sample('ilink-new-document'));
		expectNotStarted(again, 200);
		expect(again.body).toEqual({ message: expect.stringMatching(/duplicate/i) });
		expect(
			again.logs.some((line) => line.level === 'info' && /repeated delivery/.test(line.message)),
		).toBe(true);
	});

	test('the same id with other content is still a duplicate; another id is not', async () => {
		const node = sameNode('iLinkNew');
		expectOneDocument(await node.send(sample('ilink-new-document')));
		expectNotStarted(
			await node.send({ ...sample('ilink-new-document'), number: 'FT 2025/999' }),
			200,
		);
		expectOneDocument(await node.send({ ...sample('ilink-new-document'), id: 'another.1' }));
	});

	test('the same document inside the API envelope is the same key', async () => {
		const node = sameNode('iLinkNew');
		expectOneDocument(await node.send(sample('ilink-new-document')));
		expectNotStarted(
			await node.send({ success: true, response: { data: sample('ilink-new-document') } }),
			200,
		);
	});

	test('in an envelope list, only the new documents become items', async () => {
		const node = sameNode('iLinkNew');
		expectOneDocument(await node.send(sample('ilink-new-document')));
		const result = await node.send({
			success: true,
			response: {
				data: [sample('ilink-new-document'), { ...sample('ilink-new-document'), id: 'fresh.2' }],
			},
		});
		expect(result.started).toBe(true);
		expect(result.outputs[0].map((item) => item.json.documentId)).toEqual(['fresh.2']);
	});

	test('two nodes (different node ids) remember separately', async () => {
		const workflowId = freshWorkflowId();
		expectOneDocument(
			await send('iLinkNew', sample('ilink-new-document'), {
				workflowId,
				nodeId: 'a',
				staticData: {},
			}),
		);
		expectOneDocument(
			await send('iLinkNew', sample('ilink-new-document'), {
				workflowId,
				nodeId: 'b',
				staticData: {},
			}),
		);
	});
});

describe('iLink status change: key is id + state (+ latest reason time)', () => {
	test('accepted then rejected are both delivered; the same rejected twice is not', async () => {
		const node = sameNode('iLinkStatus');
		expectOneDocument(await node.send(sample('ilink-status-change-accepted')));
		expectOneDocument(await node.send(sample('ilink-status-change-rejected')));
		expectNotStarted(await node.send(sample('ilink-status-change-rejected')), 200);
		expectNotStarted(await node.send(sample('ilink-status-change-accepted')), 200);
	});

	test('sent, accepted, rejected of one document all start', async () => {
		const node = sameNode('iLinkStatus');
		for (const name of [
			'ilink-status-change-sent',
			'ilink-status-change-accepted',
			'ilink-status-change-rejected',
		] as const) {
			expectOneDocument(await node.send(sample(name)));
		}
	});

	test('a second rejection with a newer reason is delivered', async () => {
		const node = sameNode('iLinkStatus');
		expectOneDocument(await node.send(sample('ilink-status-change-rejected')));
		const again = sample('ilink-status-change-rejected');
		again.reasons.push({ reason: 'Ainda falta o compromisso.', created_at: '2025-06-10 08:00:00' });
		expectOneDocument(await node.send(again));
		expectNotStarted(await node.send(again), 200);
	});

	test('a filtered-out state is not remembered', async () => {
		const node = sameNode('iLinkStatus');
		expectNotStarted(
			await node.send(sample('ilink-status-change-sent'), { parameters: { states: ['accepted'] } }),
			200,
		);
		expectOneDocument(await node.send(sample('ilink-status-change-sent')));
	});

	test('the status node and the new-document node do not share memory', async () => {
		const workflowId = freshWorkflowId();
		const body = sample('ilink-status-change-sent');
		expectOneDocument(await send('iLinkNew', body, { workflowId, nodeId: 'new', staticData: {} }));
		expectOneDocument(
			await send('iLinkStatus', body, { workflowId, nodeId: 'status', staticData: {} }),
		);
	});
});

describe('InvoiCy: key includes the issuer CNPJ, model, series, number and status', () => {
	test('same number from two issuers: both delivered', async () => {
		const node = sameNode('invoiCy');
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized')));
		const otherIssuer = sample('invoicy-nfse-authorized');
		otherIssuer.documento.Resumo.DocCNPJEmitente = '99888777000166';
		expectOneDocument(await node.send(otherIssuer));
		expectNotStarted(await node.send(otherIssuer), 200);
	});

	test('authorized then cancelled of one NFS-e: both delivered; each retry is a duplicate', async () => {
		const node = sameNode('invoiCy');
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized')));
		expectOneDocument(await node.send(sample('invoicy-nfse-cancelled')));
		expectNotStarted(await node.send(sample('invoicy-nfse-authorized')), 200);
		expectNotStarted(await node.send(sample('invoicy-nfse-cancelled')), 200);
	});

	test('another series or number is another document', async () => {
		const node = sameNode('invoiCy');
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized')));
		const otherSeries = sample('invoicy-nfse-authorized');
		otherSeries.documento.DocSerie = '2';
		expectOneDocument(await node.send(otherSeries));
		const otherNumber = sample('invoicy-nfse-authorized');
		otherNumber.documento.DocNumero = 1022;
		expectOneDocument(await node.send(otherNumber));
	});

	test('DocNumero as a string is the same delivery as DocNumero as a number', async () => {
		const node = sameNode('invoiCy');
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized')));
		const asString = sample('invoicy-nfse-authorized');
		asString.documento.DocNumero = '1021';
		asString.documento.DocStatus = '2';
		expectNotStarted(await node.send(asString), 200);
	});
});

describe('where duplicate memory applies', () => {
	test('persisted across a restart: the static data alone recognises the retry', async () => {
		const node = sameNode('iLinkNew');
		const first = await node.send(sample('ilink-new-document'));
		expectOneDocument(first);
		expect(first.staticDataChanged).toBe(true);
		forgetProcessMemory();
		const afterRestart = await node.send(sample('ilink-new-document'));
		expectNotStarted(afterRestart, 200);
		expect(afterRestart.staticDataChanged).toBe(false);
	});

	test('after a restart with empty static data the delivery is new again (memory is the static data)', async () => {
		const workflowId = freshWorkflowId();
		expectOneDocument(
			await send('invoiCy', sample('invoicy-nfse-authorized'), { workflowId, staticData: {} }),
		);
		forgetProcessMemory();
		expectOneDocument(
			await send('invoiCy', sample('invoicy-nfse-authorized'), { workflowId, staticData: {} }),
		);
	});

	test('concurrent calls each get their own copy of the static data; the last save still knows every key', async () => {
		const workflowId = freshWorkflowId();
		const saved: IDataObject = {};
		// n8n gives each webhook call its own copy of the saved static data and saves it after the call.
		const copyA = JSON.parse(JSON.stringify(saved));
		const copyB = JSON.parse(JSON.stringify(saved));
		const doc1 = sample('ilink-new-document');
		const doc2 = { ...sample('ilink-new-document'), id: 'concurrent.2' };
		const [first, second] = await Promise.all([
			send('iLinkNew', doc1, { workflowId, staticData: copyA }),
			send('iLinkNew', doc2, { workflowId, staticData: copyB }),
		]);
		expectOneDocument(first);
		expectOneDocument(second);
		// Whichever call n8n saves last, its copy must carry both keys.
		for (const lastSave of [JSON.stringify(copyA), JSON.stringify(copyB)]) {
			for (const doc of [doc1, doc2]) {
				forgetProcessMemory();
				expectNotStarted(
					await send('iLinkNew', doc, { workflowId, staticData: JSON.parse(lastSave) }),
					200,
				);
			}
		}
	});

	test("a repeat that comes with an older save of this process's own writes back every key", async () => {
		const workflowId = freshWorkflowId();
		const doc1 = sample('ilink-new-document');
		const doc2 = { ...sample('ilink-new-document'), id: 'later.2' };
		const firstSave: IDataObject = {};
		expectOneDocument(await send('iLinkNew', doc1, { workflowId, staticData: firstSave }));
		const older = JSON.stringify(firstSave); // knows doc1 only
		expectOneDocument(await send('iLinkNew', doc2, { workflowId, staticData: JSON.parse(older) }));
		// A retry of doc1 gets the older save; n8n saves what the call leaves: it must know doc2 too.
		const retryCopy = JSON.parse(older) as IDataObject;
		expectNotStarted(await send('iLinkNew', doc1, { workflowId, staticData: retryCopy }), 200);
		forgetProcessMemory();
		expectNotStarted(await send('iLinkNew', doc2, { workflowId, staticData: retryCopy }), 200);
	});

	test('two concurrent copies of one delivery start the workflow once', async () => {
		const workflowId = freshWorkflowId();
		const results = await Promise.all(
			[{}, {}, {}].map((staticData) =>
				send('invoiCy', sample('invoicy-nfse-authorized'), { workflowId, staticData }),
			),
		);
		expect(results.map((result) => result.started).sort()).toEqual([false, false, true]);
		expect(results.every((result) => result.status === 200)).toBe(true);
	});

	test('the static data holds hashes, not document ids', async () => {
		const node = sameNode('iLinkNew');
		await node.send(sample('ilink-new-document'));
		const stored = JSON.stringify(node.staticData);
		expect(stored).not.toContain('66a1f0c2b3d4e5');
		expect(stored).not.toContain('ilink');
	});

	test.each(['iLinkNew', 'iLinkStatus', 'invoiCy'] as NodeKind[])(
		'%s: not applied in manual (test) mode',
		async (kind) => {
			const body =
				kind === 'invoiCy'
					? sample('invoicy-nfse-authorized')
					: sample('ilink-status-change-accepted');
			const node = sameNode(kind, { mode: 'manual' });
			expectOneDocument(await node.send(body));
			const second = await node.send(body);
			expectOneDocument(second);
			expect(second.staticDataChanged).toBe(false);
			// test deliveries are not remembered either: the first production delivery starts
			expectOneDocument(await node.send(body, { mode: 'webhook' }));
		},
	);

	test.each(['iLinkNew', 'iLinkStatus', 'invoiCy'] as NodeKind[])(
		'%s: not applied when responding after the workflow (responseMode lastNode)',
		async (kind) => {
			const body =
				kind === 'invoiCy'
					? sample('invoicy-nfse-authorized')
					: sample('ilink-status-change-accepted');
			const node = sameNode(kind, { parameters: { responseMode: 'lastNode' } });
			for (let attempt = 0; attempt < 3; attempt++) expectOneDocument(await node.send(body));
		},
	);

	test.each(['iLinkNew', 'iLinkStatus', 'invoiCy'] as NodeKind[])(
		'%s: disabled by ignoreDuplicates false',
		async (kind) => {
			const body =
				kind === 'invoiCy'
					? sample('invoicy-nfse-authorized')
					: sample('ilink-status-change-accepted');
			const node = sameNode(kind, { options: { ignoreDuplicates: false } });
			expectOneDocument(await node.send(body));
			expectOneDocument(await node.send(body));
		},
	);

	test('an Invalid delivery is never a duplicate', async () => {
		const node = sameNode('iLinkNew');
		const invalid = { ...sample('ilink-new-document'), id: '', number: null };
		for (let attempt = 0; attempt < 2; attempt++) {
			const result = await node.send(invalid);
			expect(result.started).toBe(true);
			expect(result.outputs[1]).toHaveLength(1);
		}
	});
});

describe('bounds', () => {
	const saved = { ...DUPLICATE_MEMORY };
	afterEach(() => {
		Object.assign(DUPLICATE_MEMORY, saved);
	});

	const doc = (prefix: string, n: number) => ({
		...sample('ilink-new-document'),
		id: `${prefix}.${n}`,
	});

	/**
	 * How many of the newest documents 1..count the node still remembers: probes from the newest
	 * down and stops at the first one it delivers again (eviction is oldest first).
	 */
	async function rememberedNewest(
		node: ReturnType<typeof sameNode>,
		prefix: string,
		count: number,
	): Promise<number> {
		let remembered = 0;
		for (let n = count; n >= 1; n--) {
			const result = await node.send(doc(prefix, n));
			if (result.started) break;
			expectNotStarted(result, 200);
			remembered++;
		}
		return remembered;
	}

	test('remembers at most maxKeys keys: the oldest are forgotten, the newest remembered', async () => {
		DUPLICATE_MEMORY.maxKeys = 10;
		const node = sameNode('iLinkNew');
		for (let n = 1; n <= 25; n++) expectOneDocument(await node.send(doc('cap', n)));
		const remembered = await rememberedNewest(node, 'cap', 25);
		expect(remembered).toBeLessThanOrEqual(10);
		expect(remembered).toBeGreaterThanOrEqual(5);
	});

	test('the first document is forgotten once maxKeys newer ones arrived', async () => {
		DUPLICATE_MEMORY.maxKeys = 3;
		const node = sameNode('iLinkNew');
		for (let n = 1; n <= 4; n++) expectOneDocument(await node.send(doc('small', n)));
		expectNotStarted(await node.send(doc('small', 4)), 200);
		expectOneDocument(await node.send(doc('small', 1)));
	});

	test('the persisted static data stays bounded too', async () => {
		DUPLICATE_MEMORY.maxKeys = 10;
		const node = sameNode('iLinkNew');
		for (let n = 1; n <= 10; n++) await node.send(doc('size', n));
		const sizeAtCap = JSON.stringify(node.staticData).length;
		for (let n = 11; n <= 200; n++) await node.send(doc('size', n));
		expect(JSON.stringify(node.staticData).length).toBeLessThanOrEqual(sizeAtCap + 64);
	});

	test('the bound also holds after a restart from a static data larger than maxKeys', async () => {
		const node = sameNode('iLinkNew');
		for (let n = 1; n <= 30; n++) expectOneDocument(await node.send(doc('big', n)));
		DUPLICATE_MEMORY.maxKeys = 8;
		forgetProcessMemory();
		expectOneDocument(await node.send(doc('big', 31)));
		forgetProcessMemory();
		const remembered = await rememberedNewest(node, 'big', 31);
		expect(remembered).toBeLessThanOrEqual(8);
		expect(remembered).toBeGreaterThanOrEqual(4);
	});

	test('a key older than maxAgeMs is forgotten', async () => {
		const node = sameNode('iLinkNew');
		const start = Date.now();
		const now = jest.spyOn(Date, 'now').mockReturnValue(start);
		expectOneDocument(await node.send(sample('ilink-new-document')));
		now.mockReturnValue(start + DUPLICATE_MEMORY.maxAgeMs);
		expectNotStarted(await node.send(sample('ilink-new-document')), 200);
		now.mockReturnValue(start + DUPLICATE_MEMORY.maxAgeMs + 1);
		expectOneDocument(await node.send(sample('ilink-new-document')));
	});

	test('iLink retries span up to 7 days: a retry 7 days later, after a restart, is still a duplicate', async () => {
		const node = sameNode('iLinkStatus');
		const start = Date.now();
		const now = jest.spyOn(Date, 'now').mockReturnValue(start);
		expectOneDocument(await node.send(sample('ilink-status-change-rejected')));
		forgetProcessMemory();
		now.mockReturnValue(start + 7 * 24 * 3600 * 1000);
		expectNotStarted(await node.send(sample('ilink-status-change-rejected')), 200);
	});
});

describe('rememberDelivery directly', () => {
	test('records, recognises, and writes the memory into static data', () => {
		const staticData: IDataObject = {};
		const scope = `direct-${Math.random()}`;
		expect(rememberDelivery(scope, staticData, 'k1', 1000)).toEqual({ duplicate: false });
		expect(rememberDelivery(scope, staticData, 'k1', 2000)).toEqual({ duplicate: true });
		expect(rememberDelivery(scope, staticData, 'k2', 3000)).toEqual({ duplicate: false });
		expect(staticData.recentDeliveries).toBeDefined();
		// a restart: only the static data is left, and it still knows both keys
		forgetProcessMemory();
		expect(rememberDelivery(scope, staticData, 'k1', 4000)).toEqual({ duplicate: true });
		expect(rememberDelivery(scope, staticData, 'k2', 4000)).toEqual({ duplicate: true });
		expect(rememberDelivery(scope, staticData, 'k3', 4000)).toEqual({ duplicate: false });
	});

	test('ignores garbage in stored static data', () => {
		const staticData: IDataObject = { recentDeliveries: { bad: 'x', worse: null } as IDataObject };
		const scope = `garbage-${Math.random()}`;
		expect(rememberDelivery(scope, staticData, 'k', 1)).toEqual({ duplicate: false });
		expect(rememberDelivery(scope, staticData, 'k', 2)).toEqual({ duplicate: true });
		for (const garbage of ['text', 42, null, { 1: 42, x: 'y' }]) {
			expect(
				rememberDelivery(
					`garbage-${Math.random()}`,
					{ recentDeliveries: garbage as IDataObject },
					'k',
					1,
				),
			).toEqual({
				duplicate: false,
			});
		}
		const arrayData: IDataObject = { recentDeliveries: [1, 2, 3] };
		expect(rememberDelivery(`array-${Math.random()}`, arrayData, 'k', 1)).toEqual({
			duplicate: false,
		});
	});
});

describe('n8n 2.x static-data hand-over', () => {
	/**
	 * n8n 2.40.7, for a webhook call that starts an execution: the webhook's Workflow wraps the
	 * static data in an ObservableObject; a few promise steps after webhook() returns,
	 * WorkflowRunner.establishContextForPersistence wraps the same raw object again, which clears
	 * its change mark; n8n saves it (only if marked) after the execution's database writes.
	 */
	test('the memory is marked changed again after n8n clears the mark, before it saves', async () => {
		const raw: IDataObject = {};
		const root = ObservableObject.create(raw) as IDataObject & { __dataChanged: boolean };
		root['node:Trigger'] = ObservableObject.create({}, root); // as getWorkflowStaticData('node') does
		const nodeData = root['node:Trigger'] as IDataObject;
		const scope = `handover-${Math.random()}`;

		expect(rememberDelivery(scope, nodeData, 'document-1', Date.now()).duplicate).toBe(false);
		expect(root.__dataChanged).toBe(true);
		void markChangedAfterHandOver(scope, nodeData);

		for (let step = 0; step < 10; step++) await Promise.resolve();
		ObservableObject.create(raw); // the second Workflow over the same static data
		expect(root.__dataChanged).toBe(false);

		await new Promise((resolve) => setTimeout(resolve, 5)); // the execution's database writes
		expect(root.__dataChanged).toBe(true);
		expect(JSON.stringify(raw)).toContain(
			Object.values(nodeData.recentDeliveries as IDataObject)[0] as string,
		);
	});

	test('after a restart (process memory gone) a late hand-over writes nothing stale', async () => {
		const staticData: IDataObject = {};
		const scope = `handover-${Math.random()}`;
		rememberDelivery(scope, staticData, 'document-1', Date.now());
		const pending = markChangedAfterHandOver(scope, staticData);
		forgetProcessMemory();
		staticData.recentDeliveries = { replaced: 'by the next process' };
		await pending;
		expect(staticData.recentDeliveries).toEqual({ replaced: 'by the next process' });
	});
});

describe('several n8n processes sharing one database (queue mode, multi-main)', () => {
	type Duplicates = typeof import('../../nodes/shared/duplicates');
	/** One n8n process: its own copy of the module, so its own process memory. */
	function process(): Duplicates {
		let loaded!: Duplicates;
		jest.isolateModules(() => {
			loaded = require('../../nodes/shared/duplicates');
		});
		return loaded;
	}

	/**
	 * The workflow's static data as n8n keeps it: every webhook call gets a fresh copy read from
	 * the database, and n8n writes the whole object back after the call (last writer wins).
	 */
	function database() {
		let saved = '{}';
		return {
			load: (): IDataObject => JSON.parse(saved),
			save: (staticData: IDataObject) => (saved = JSON.stringify(staticData)),
			hashes: () => Object.values(JSON.parse(saved).recentDeliveries ?? {}).join(''),
		};
	}

	const scope = 'workflow/node';
	const now = Date.now();

	/** One webhook call on process `p`: load, remember, save. */
	function call(p: Duplicates, db: ReturnType<typeof database>, key: string) {
		const staticData = db.load();
		const { duplicate } = p.rememberDelivery(scope, staticData, key, now);
		db.save(staticData);
		return duplicate;
	}

	test('a retry that reaches the other process is recognised', () => {
		const db = database();
		const [a, b] = [process(), process()];
		expect(call(a, db, 'document-1')).toBe(false);
		expect(call(b, db, 'document-1')).toBe(true);
		expect(call(a, db, 'document-1')).toBe(true);
	});

	test('a process that started earlier does not erase the keys another saved since', () => {
		const db = database();
		const [a, b] = [process(), process()];
		expect(call(b, db, 'document-b1')).toBe(false); // b's memory exists before a's key
		expect(call(a, db, 'document-a1')).toBe(false);
		expect(call(b, db, 'document-b2')).toBe(false);
		// b's save, the last, still holds a's key: a retry of it is a duplicate on either process,
		// also after both restart.
		expect(call(b, db, 'document-a1')).toBe(true);
		expect(call(process(), db, 'document-a1')).toBe(true);
	});

	test('concurrent calls: a key erased by the other process is written back by its next call', () => {
		const db = database();
		const [a, b] = [process(), process()];
		// Both load before either saves; b saves last and erases a's key from the database.
		const forA = db.load();
		const forB = db.load();
		expect(a.rememberDelivery(scope, forA, 'document-a', now).duplicate).toBe(false);
		expect(b.rememberDelivery(scope, forB, 'document-b', now).duplicate).toBe(false);
		db.save(forA);
		db.save(forB);
		const stored = db.hashes();
		// a's next call, even a repeat that starts nothing, saves a's key again.
		expect(call(a, db, 'document-b')).toBe(true);
		expect(db.hashes().length).toBeGreaterThan(stored.length);
		const restarted = process();
		expect(call(restarted, db, 'document-a')).toBe(true);
		expect(call(restarted, db, 'document-b')).toBe(true);
	});

	test('a repeat whose keys are all stored changes nothing (n8n then has nothing to save)', () => {
		const db = database();
		const [a, b] = [process(), process()];
		call(a, db, 'document-1');
		call(b, db, 'document-2');
		call(a, db, 'document-3');
		const staticData = db.load();
		const before = JSON.stringify(staticData);
		const observed = ObservableObject.create(staticData) as IDataObject & {
			__dataChanged: boolean;
		};
		expect(b.rememberDelivery(scope, observed, 'document-3', now).duplicate).toBe(true);
		expect(observed.__dataChanged).toBe(false);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	test('memory stays bounded when merging what other processes saved', () => {
		const db = database();
		const [a, b] = [process(), process()];
		a.DUPLICATE_MEMORY.maxKeys = 20; // each process has its own copy of the module
		b.DUPLICATE_MEMORY.maxKeys = 20;
		for (let n = 0; n < 100; n++) call(n % 2 ? a : b, db, `document-${n}`);
		expect(db.hashes().length / 17).toBeLessThanOrEqual(20);
		// The newest documents are remembered on both processes.
		expect(call(a, db, 'document-98')).toBe(true);
		expect(call(b, db, 'document-99')).toBe(true);
	});
});
