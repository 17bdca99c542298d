/** Duplicate memory: which deliveries count as the same, where it applies, persistence and bounds. */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ObservableObject, type IBinaryData, type IDataObject } from 'n8n-workflow';

import {
	DUPLICATE_MEMORY,
	claimDeliveries,
	forgetProcessMemory,
} from '../../nodes/shared/duplicates';
import { sample } from '../helpers/fixtures';
import {
	expectNotStarted,
	expectOneDocument,
	freshWorkflowId,
	NODE_KINDS,
	send,
	typicalSample,
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
		const node = sameNode('iLinkNewDocument');
		expectOneDocument(await node.send(sample('ilink-new-document')));
		const again = await node.send(sample('ilink-new-document'));
		expectNotStarted(again, 200);
		expect(again.body).toEqual({ message: expect.stringMatching(/duplicate/i) });
		expect(
			again.logs.some((line) => line.level === 'info' && /repeated delivery/.test(line.message)),
		).toBe(true);
	});

	test('the same id with other content is still a duplicate; another id is not', async () => {
		const node = sameNode('iLinkNewDocument');
		expectOneDocument(await node.send(sample('ilink-new-document')));
		expectNotStarted(
			await node.send({ ...sample('ilink-new-document'), number: 'FT 2025/999' }),
			200,
		);
		expectOneDocument(await node.send({ ...sample('ilink-new-document'), id: 'another.1' }));
	});

	test('the same document inside the API envelope is the same key', async () => {
		const node = sameNode('iLinkNewDocument');
		expectOneDocument(await node.send(sample('ilink-new-document')));
		expectNotStarted(
			await node.send({ success: true, response: { data: sample('ilink-new-document') } }),
			200,
		);
	});

	test('in an envelope list, only the new documents become items', async () => {
		const node = sameNode('iLinkNewDocument');
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

	test('without an id, one number from two suppliers is two documents', async () => {
		const node = sameNode('iLinkNewDocument');
		const withoutId = { ...sample('ilink-new-document'), id: null };
		const otherSupplier = sample('ilink-new-document');
		otherSupplier.id = null;
		otherSupplier.supplier.number = '501234567';
		expectOneDocument(await node.send(withoutId));
		expectOneDocument(await node.send(otherSupplier));
		expectNotStarted(await node.send(otherSupplier), 200);
	});

	test('deliveryKey: the same for a retry, another for another event, no document data', async () => {
		const first = expectOneDocument(await send('iLinkNewDocument', sample('ilink-new-document')));
		const retry = expectOneDocument(await send('iLinkNewDocument', sample('ilink-new-document')));
		const other = expectOneDocument(
			await send('iLinkNewDocument', { ...sample('ilink-new-document'), id: 'another.1' }),
		);
		expect(first.json.deliveryKey).toMatch(/^[\w-]{43}$/);
		expect(retry.json.deliveryKey).toBe(first.json.deliveryKey);
		expect(other.json.deliveryKey).not.toBe(first.json.deliveryKey);
	});

	test('two nodes (different node ids) remember separately', async () => {
		const workflowId = freshWorkflowId();
		expectOneDocument(
			await send('iLinkNewDocument', sample('ilink-new-document'), {
				workflowId,
				nodeId: 'a',
				staticData: {},
			}),
		);
		expectOneDocument(
			await send('iLinkNewDocument', sample('ilink-new-document'), {
				workflowId,
				nodeId: 'b',
				staticData: {},
			}),
		);
	});
});

describe('iLink status change: key is id + state (+ latest reason time)', () => {
	test('accepted then rejected are both delivered; the same rejected twice is not', async () => {
		const node = sameNode('iLinkStatusChange');
		expectOneDocument(await node.send(sample('ilink-status-change-accepted')));
		expectOneDocument(await node.send(sample('ilink-status-change-rejected')));
		expectNotStarted(await node.send(sample('ilink-status-change-rejected')), 200);
		expectNotStarted(await node.send(sample('ilink-status-change-accepted')), 200);
	});

	test('sent, accepted, rejected of one document all start', async () => {
		const node = sameNode('iLinkStatusChange');
		for (const name of [
			'ilink-status-change-sent',
			'ilink-status-change-accepted',
			'ilink-status-change-rejected',
		] as const) {
			expectOneDocument(await node.send(sample(name)));
		}
	});

	test('a second rejection with a newer reason is delivered', async () => {
		const node = sameNode('iLinkStatusChange');
		expectOneDocument(await node.send(sample('ilink-status-change-rejected')));
		const again = sample('ilink-status-change-rejected');
		again.reasons.push({ reason: 'Ainda falta o compromisso.', created_at: '2025-06-10 08:00:00' });
		expectOneDocument(await node.send(again));
		expectNotStarted(await node.send(again), 200);
	});

	test('a filtered-out state is not remembered', async () => {
		const node = sameNode('iLinkStatusChange');
		expectNotStarted(
			await node.send(sample('ilink-status-change-sent'), { parameters: { states: ['accepted'] } }),
			200,
		);
		expectOneDocument(await node.send(sample('ilink-status-change-sent')));
	});

	test('the status node and the new-document node do not share memory', async () => {
		const workflowId = freshWorkflowId();
		const body = sample('ilink-status-change-sent');
		expectOneDocument(
			await send('iLinkNewDocument', body, { workflowId, nodeId: 'new', staticData: {} }),
		);
		expectOneDocument(
			await send('iLinkStatusChange', body, { workflowId, nodeId: 'status', staticData: {} }),
		);
	});
});

describe('InvoiCy: key includes the issuer CNPJ, model, series, number and status', () => {
	test('same number from two issuers: both delivered', async () => {
		const node = sameNode('invoiCyNfse');
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized')));
		const otherIssuer = sample('invoicy-nfse-authorized');
		otherIssuer.documento.Resumo.DocCNPJEmitente = '99888777000166';
		expectOneDocument(await node.send(otherIssuer));
		expectNotStarted(await node.send(otherIssuer), 200);
	});

	test('authorized then cancelled of one NFS-e: both delivered; each retry is a duplicate', async () => {
		const node = sameNode('invoiCyNfse');
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized')));
		expectOneDocument(await node.send(sample('invoicy-nfse-cancelled')));
		expectNotStarted(await node.send(sample('invoicy-nfse-authorized')), 200);
		expectNotStarted(await node.send(sample('invoicy-nfse-cancelled')), 200);
	});

	test('another series or number is another document', async () => {
		const node = sameNode('invoiCyNfse');
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized')));
		const otherSeries = sample('invoicy-nfse-authorized');
		otherSeries.documento.DocSerie = '2';
		expectOneDocument(await node.send(otherSeries));
		const otherNumber = sample('invoicy-nfse-authorized');
		otherNumber.documento.DocNumero = 1022;
		expectOneDocument(await node.send(otherNumber));
	});

	test('rejected again with another reason by the city hall: a new event', async () => {
		const node = sameNode('invoiCyNfse');
		expectOneDocument(await node.send(sample('invoicy-nfse-rejected')));
		const again = sample('invoicy-nfse-rejected');
		again.documento.DocSitDescricao = 'Rejeição: código de serviço inválido para o município.';
		expectOneDocument(await node.send(again));
		expectNotStarted(await node.send(again), 200);
		expectNotStarted(await node.send(sample('invoicy-nfse-rejected')), 200);
	});

	test('a new event on a cancelled NFS-e (another protocol) is a new event', async () => {
		const node = sameNode('invoiCyNfse');
		expectOneDocument(await node.send(sample('invoicy-nfse-cancelled')));
		const again = sample('invoicy-nfse-cancelled');
		again.documento.Eventos[0].DocEveProtocolo = '999999999999999';
		expectOneDocument(await node.send(again));
	});

	test('DocNumero as a string is the same delivery as DocNumero as a number', async () => {
		const node = sameNode('invoiCyNfse');
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized')));
		const asString = sample('invoicy-nfse-authorized');
		asString.documento.DocNumero = '1021';
		asString.documento.DocStatus = '2';
		expectNotStarted(await node.send(asString), 200);
	});
});

describe('where duplicate memory applies', () => {
	test('persisted across a restart: the static data alone recognises the retry', async () => {
		const node = sameNode('iLinkNewDocument');
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
			await send('invoiCyNfse', sample('invoicy-nfse-authorized'), { workflowId, staticData: {} }),
		);
		forgetProcessMemory();
		expectOneDocument(
			await send('invoiCyNfse', sample('invoicy-nfse-authorized'), { workflowId, staticData: {} }),
		);
	});

	test('concurrent calls each read their own copy of the static data; the last save still knows every key', async () => {
		const workflowId = freshWorkflowId();
		const database: IDataObject = {}; // each call reads it when it starts, n8n writes it back after
		const doc1 = sample('ilink-new-document');
		const doc2 = { ...sample('ilink-new-document'), id: 'concurrent.2' };
		const [first, second] = await Promise.all([
			send('iLinkNewDocument', doc1, { workflowId, staticData: database }),
			send('iLinkNewDocument', doc2, { workflowId, staticData: database }),
		]);
		expectOneDocument(first);
		expectOneDocument(second);
		forgetProcessMemory();
		for (const doc of [doc1, doc2])
			expectNotStarted(
				await send('iLinkNewDocument', doc, { workflowId, staticData: database }),
				200,
			);
	});

	test("a repeat that comes with an older save of this process's own writes back every key", async () => {
		const workflowId = freshWorkflowId();
		const doc1 = sample('ilink-new-document');
		const doc2 = { ...sample('ilink-new-document'), id: 'later.2' };
		const firstSave: IDataObject = {};
		expectOneDocument(await send('iLinkNewDocument', doc1, { workflowId, staticData: firstSave }));
		const older = JSON.stringify(firstSave); // knows doc1 only
		expectOneDocument(
			await send('iLinkNewDocument', doc2, { workflowId, staticData: JSON.parse(older) }),
		);
		// A retry of doc1 gets the older save; n8n saves what the call leaves: it must know doc2 too.
		const retryCopy = JSON.parse(older) as IDataObject;
		expectNotStarted(
			await send('iLinkNewDocument', doc1, { workflowId, staticData: retryCopy }),
			200,
		);
		forgetProcessMemory();
		expectNotStarted(
			await send('iLinkNewDocument', doc2, { workflowId, staticData: retryCopy }),
			200,
		);
	});

	test('the static data holds hashes, not document ids', async () => {
		const node = sameNode('iLinkNewDocument');
		await node.send(sample('ilink-new-document'));
		const stored = JSON.stringify(node.staticData);
		expect(stored).not.toContain('66a1f0c2b3d4e5');
		expect(stored).not.toContain('ilink');
	});

	test.each(NODE_KINDS)('%s: not applied in manual (test) mode', async (kind) => {
		const body = typicalSample(kind);
		const node = sameNode(kind, { mode: 'manual' });
		expectOneDocument(await node.send(body));
		const second = await node.send(body);
		expectOneDocument(second);
		expect(second.staticDataChanged).toBe(false);
		// test deliveries are not remembered either: the first production delivery starts
		expectOneDocument(await node.send(body, { mode: 'webhook' }));
	});

	test.each(NODE_KINDS)(
		'%s: not applied when responding after the workflow (responseMode lastNode)',
		async (kind) => {
			const body = typicalSample(kind);
			const node = sameNode(kind, { parameters: { responseMode: 'lastNode' } });
			for (let attempt = 0; attempt < 3; attempt++) expectOneDocument(await node.send(body));
		},
	);

	test.each(NODE_KINDS)('%s: disabled by ignoreDuplicates false', async (kind) => {
		const body = typicalSample(kind);
		const node = sameNode(kind, { options: { ignoreDuplicates: false } });
		expectOneDocument(await node.send(body));
		expectOneDocument(await node.send(body));
	});

	test('an Invalid delivery is never a duplicate', async () => {
		const node = sameNode('iLinkNewDocument');
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
		const node = sameNode('iLinkNewDocument');
		for (let n = 1; n <= 25; n++) expectOneDocument(await node.send(doc('cap', n)));
		const remembered = await rememberedNewest(node, 'cap', 25);
		expect(remembered).toBeLessThanOrEqual(10);
		expect(remembered).toBeGreaterThanOrEqual(5);
	});

	test('the first document is forgotten once maxKeys newer ones arrived', async () => {
		DUPLICATE_MEMORY.maxKeys = 3;
		const node = sameNode('iLinkNewDocument');
		for (let n = 1; n <= 4; n++) expectOneDocument(await node.send(doc('small', n)));
		expectNotStarted(await node.send(doc('small', 4)), 200);
		expectOneDocument(await node.send(doc('small', 1)));
	});

	test('the persisted static data stays bounded too', async () => {
		DUPLICATE_MEMORY.maxKeys = 10;
		const node = sameNode('iLinkNewDocument');
		for (let n = 1; n <= 10; n++) await node.send(doc('size', n));
		const sizeAtCap = JSON.stringify(node.staticData).length;
		for (let n = 11; n <= 200; n++) await node.send(doc('size', n));
		expect(JSON.stringify(node.staticData).length).toBeLessThanOrEqual(sizeAtCap + 64);
	});

	test('the bound also holds after a restart from a static data larger than maxKeys', async () => {
		const node = sameNode('iLinkNewDocument');
		for (let n = 1; n <= 30; n++) expectOneDocument(await node.send(doc('big', n)));
		DUPLICATE_MEMORY.maxKeys = 8;
		forgetProcessMemory();
		expectOneDocument(await node.send(doc('big', 31)));
		forgetProcessMemory();
		const remembered = await rememberedNewest(node, 'big', 31);
		expect(remembered).toBeLessThanOrEqual(8);
		expect(remembered).toBeGreaterThanOrEqual(4);
	});

	test('what the bound forgot does not come back from stored copies a few saves old', async () => {
		DUPLICATE_MEMORY.maxKeys = 10;
		const scope = `stale-copies-${Math.random()}`;
		const answered = { statusCode: 200, writableFinished: true, closed: true };
		const saves = ['{}'];
		const held = () => Object.values(JSON.parse(saves.at(-1)!).deliveryMemory).join('').length / 8;
		const sizes: number[] = [];
		for (let n = 0; n < 40; n++) {
			// n8n re-reads the static data for each call: with deliveries in flight, an older save.
			const staticData = JSON.parse(saves[Math.max(0, saves.length - 5)]) as IDataObject;
			const claim = await claimDeliveries({ scope, staticData, maxAgeMs: 1e9 }, [
				{ key: `document-${n}` },
			]);
			claim.handOver([[{ json: {} }]], answered, () => undefined);
			saves.push(JSON.stringify(staticData));
			sizes.push(held());
		}
		expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
		const latest = JSON.parse(saves.at(-1)!) as IDataObject;
		const retry = await claimDeliveries({ scope, staticData: latest, maxAgeMs: 1e9 }, [
			{ key: 'document-0' },
			{ key: 'document-39' },
		]);
		expect(retry.repeats).toEqual([false, true]);
	});

	const DAY = 24 * 3600 * 1000;

	test.each([
		['iLinkStatusChange', 'ilink-status-change-rejected', 8],
		['invoiCyNfse', 'invoicy-nfse-rejected', 2],
	] as const)(
		"%s: remembered for the sender's retry window (%s, %i days), after a restart too",
		async (kind, name, days) => {
			const node = sameNode(kind);
			const start = Date.UTC(2026, 5, 1, 12);
			const now = jest.spyOn(Date, 'now').mockReturnValue(start);
			expectOneDocument(await node.send(sample(name)));
			forgetProcessMemory();
			now.mockReturnValue(start + (days - 1) * DAY);
			expectNotStarted(await node.send(sample(name)), 200);
			now.mockReturnValue(start + (days + 1) * DAY);
			expectOneDocument(await node.send(sample(name)));
		},
	);
});

describe('claimDeliveries directly', () => {
	const call = (staticData: IDataObject, scope = 'direct', now = 1000) => ({
		scope,
		staticData,
		maxAgeMs: 8 * 24 * 3600 * 1000,
		now,
	});
	const handedOver = { statusCode: 200, writableFinished: true, closed: true };

	test('a key counts once handed over; released keys are forgotten', async () => {
		const staticData: IDataObject = {};
		const first = await claimDeliveries(call(staticData), [{ key: 'k1' }, { key: 'k2' }]);
		expect(first.repeats).toEqual([false, false]);
		first.release();
		const second = await claimDeliveries(call(staticData), [{ key: 'k1' }]);
		expect(second.repeats).toEqual([false]);
		second.handOver([[{ json: {} }]], handedOver, () => undefined);
		expect((await claimDeliveries(call(staticData), [{ key: 'k1' }])).repeats).toEqual([true]);
	});

	test('one document twice in one delivery: the second is a repeat', async () => {
		const claim = await claimDeliveries(call({}, 'twice'), [{ key: 'k' }, { key: 'k' }]);
		expect(claim.repeats).toEqual([false, true]);
	});

	test('stores 8 characters per key, no document ids', async () => {
		const staticData: IDataObject = {};
		for (let n = 0; n < 10; n++) {
			const claim = await claimDeliveries(call(staticData, 'size'), [{ key: `document-${n}` }]);
			claim.handOver([[{ json: {} }]], handedOver, () => undefined);
		}
		const stored = JSON.parse(JSON.stringify(staticData)).deliveryMemory as Record<string, string>;
		expect(Object.values(stored).join('')).toHaveLength(80);
		expect(JSON.stringify(staticData)).not.toContain('document');
	});

	test('ignores garbage in stored static data', async () => {
		for (const garbage of ['text', 42, null, [1, 2], { 1: 42, x: 'y', 2: 'not base64!' }]) {
			const staticData = { deliveryMemory: garbage, recentDeliveries: garbage } as IDataObject;
			const scope = `garbage-${Math.random()}`;
			const claim = await claimDeliveries(call(staticData, scope), [{ key: 'k' }]);
			expect(claim.repeats).toEqual([false]);
			claim.handOver([[{ json: {} }]], handedOver, () => undefined);
			expect((await claimDeliveries(call(staticData, scope), [{ key: 'k' }])).repeats).toEqual([
				true,
			]);
		}
	});

	test("0.1.x's stored memory still recognises its keys, and legacy keys of changed ones", async () => {
		// What 0.1.x stored: per day, the first 16 characters of each key's SHA-256, base64url.
		const legacyHash = (key: string) =>
			createHash('sha256').update(key).digest('base64url').slice(0, 16);
		const staticData: IDataObject = {
			recentDeliveries: { 1: `${legacyHash('unchanged')} ${legacyHash('old form')} ` },
		};
		const claim = await claimDeliveries(call(staticData, 'legacy', 2 * 24 * 3600 * 1000), [
			{ key: 'unchanged' },
			{ key: 'new form', legacyKeys: ['old form'] },
			{ key: 'fresh', legacyKeys: ['never stored'] },
		]);
		expect(claim.repeats).toEqual([true, true, false]);
		claim.handOver([[{ json: {} }]], handedOver, () => undefined);
		const saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(saved.recentDeliveries).toBeUndefined(); // rewritten in the current form
		forgetProcessMemory();
		const after = await claimDeliveries(call(saved, 'legacy', 2 * 24 * 3600 * 1000), [
			{ key: 'unchanged' },
			{ key: 'fresh' },
		]);
		expect(after.repeats).toEqual([true, true]);
	});
});

describe('no document lost to a failed first attempt', () => {
	test('an error inside the node after the check (the binary store fails) → 500; the retry runs', async () => {
		const node = sameNode('invoiCyNfse');
		let failures = 1;
		const failingOnce: SendOptions['helpers'] = {
			prepareBinaryData: async () => {
				if (failures-- > 0) throw new Error('ENOSPC: no space left on device');
				return { data: '', mimeType: 'application/pdf' } as IBinaryData;
			},
		};
		const first = await node.send(sample('invoicy-nfse-authorized'), { helpers: failingOnce });
		expectNotStarted(first, 500);
		expectOneDocument(await node.send(sample('invoicy-nfse-authorized'), { helpers: failingOnce }));
		expectNotStarted(await node.send(sample('invoicy-nfse-authorized')), 200);
	});

	test('n8n cannot write the execution (2.x answers 500) → nothing saved; the retry runs once', async () => {
		const node = sameNode('iLinkNewDocument');
		const first = await node.send(sample('ilink-new-document'), {
			handOver: { executionWriteFails: true },
		});
		expect(first.status).toBe(500);
		expect(first.started).toBe(false);
		expect(first.staticDataChanged).toBe(false);
		forgetProcessMemory(); // also after a restart: nothing of it was saved
		expectOneDocument(await node.send(sample('ilink-new-document')));
		expectNotStarted(await node.send(sample('ilink-new-document')), 200);
	});

	test('the same fault in this process, without a restart: the retry runs', async () => {
		const node = sameNode('iLinkNewDocument');
		await node.send(sample('ilink-new-document'), { handOver: { executionWriteFails: true } });
		expectOneDocument(await node.send(sample('ilink-new-document')));
	});

	test('the connection drops after n8n holds the execution: the retry is a repeat', async () => {
		const node = sameNode('iLinkNewDocument');
		const first = await node.send(sample('ilink-new-document'), {
			handOver: { connectionDrops: true },
		});
		expect(first.started).toBe(true);
		expectNotStarted(await node.send(sample('ilink-new-document')), 200);
		forgetProcessMemory();
		expectNotStarted(await node.send(sample('ilink-new-document')), 200);
	});

	test('a copy arriving while the first is in flight waits for it: repeat if it succeeded', async () => {
		const workflowId = freshWorkflowId();
		const results = await Promise.all(
			[{}, {}, {}].map((staticData) =>
				send('invoiCyNfse', sample('invoicy-nfse-authorized'), { workflowId, staticData }),
			),
		);
		expect(results.map((result) => result.started).sort()).toEqual([false, false, true]);
		expect(results.every((result) => result.status === 200)).toBe(true);
	});

	test('... and runs if the first failed', async () => {
		const workflowId = freshWorkflowId();
		const [first, second] = await Promise.all([
			send('iLinkNewDocument', sample('ilink-new-document'), {
				workflowId,
				staticData: {},
				handOver: { executionWriteFails: true },
			}),
			send('iLinkNewDocument', sample('ilink-new-document'), { workflowId, staticData: {} }),
		]);
		expect([first.status, first.started]).toEqual([500, false]);
		expectOneDocument(second);
	});

	test('copies of a delivery of two documents in opposite orders do not wait on each other', async () => {
		const workflowId = freshWorkflowId();
		const a = sample('ilink-new-document');
		const b = { ...sample('ilink-new-document'), id: 'second.2' };
		const envelope = (data: unknown[]) => ({ success: true, response: { data } });
		const results = await Promise.all([
			send('iLinkNewDocument', envelope([a, b]), { workflowId, staticData: {} }),
			send('iLinkNewDocument', envelope([b, a]), { workflowId, staticData: {} }),
		]);
		const items = results.flatMap((result) => result.outputs[0] ?? []);
		expect(items.map((item) => item.json.documentId).sort()).toEqual([a.id, b.id].sort());
	});

	test('n8n 1.x answers before it writes the execution: there the node cannot save the document', async () => {
		// Documented in README (Delivery guarantees): on 1.x use Respond: When Workflow Finishes.
		const node = sameNode('iLinkNewDocument');
		const first = await node.send(sample('ilink-new-document'), {
			handOver: { n8n: '1.x', executionWriteFails: true },
		});
		expect([first.status, first.started]).toEqual([200, false]);
		expectNotStarted(
			await node.send(sample('ilink-new-document'), { handOver: { n8n: '1.x' } }),
			200,
		);
	});

	test('n8n 1.x saved before it failed to write the execution and answered 500: the retry runs', async () => {
		// 1.123.81 with its database locked: the static data save starts, the execution insert fails
		// first, and n8n answers 500 (seen in test/e2e/faults.test.ts).
		const staticData: IDataObject = {};
		const scope = `v1-race-${Math.random()}`;
		const call = { scope, staticData, maxAgeMs: 1e9 };
		const claim = await claimDeliveries(call, [{ key: 'document' }]);
		const response = Object.assign(new EventEmitter(), { statusCode: 500, writableFinished: true });
		const items = [[{ json: {} }]];
		claim.handOver(items, response, () => undefined);
		JSON.stringify(staticData); // the save n8n 1.x starts before it writes the execution
		JSON.stringify(items); // the execution's write, which fails
		response.emit('close');
		expect(
			(await claimDeliveries({ ...call, staticData: {} }, [{ key: 'document' }])).repeats,
		).toEqual([false]);
	});

	test('n8n 1.x hand-over: saved, remembered across a restart', async () => {
		const node = sameNode('invoiCyNfse');
		const first = await node.send(sample('invoicy-nfse-cancelled'), { handOver: { n8n: '1.x' } });
		expectOneDocument(first);
		expect(first.staticDataChanged).toBe(true);
		forgetProcessMemory();
		expectNotStarted(
			await node.send(sample('invoicy-nfse-cancelled'), { handOver: { n8n: '1.x' } }),
			200,
		);
	});
});

describe('n8n 2.x static-data hand-over', () => {
	test('n8n clears its change mark after webhook() returns; writing the execution marks it again', async () => {
		const node = sameNode('iLinkNewDocument');
		const first = await node.send(sample('ilink-new-document'));
		expect(first.staticDataChanged).toBe(true); // saved although the fake cleared the mark
		forgetProcessMemory();
		expectNotStarted(await node.send(sample('ilink-new-document')), 200);
	});

	test('the mark is a method nothing lists: the items are plain data for every later node', async () => {
		const item = expectOneDocument(await send('iLinkNewDocument', sample('ilink-new-document')));
		expect(Object.keys(item)).toEqual(expect.not.arrayContaining(['toJSON']));
		expect(JSON.parse(JSON.stringify(item))).toEqual({ json: item.json });
		expect(structuredClone(item)).toEqual({ json: item.json });
	});

	test('if n8n answers 2xx without saving the memory, the log says so', async () => {
		const answer = async (saveFirst: boolean) => {
			const staticData: IDataObject = {};
			const warnings: string[] = [];
			const claim = await claimDeliveries(
				{ scope: `unsaved-${Math.random()}`, staticData, maxAgeMs: 1e9 },
				[{ key: 'k' }],
			);
			const response = Object.assign(new EventEmitter(), {
				statusCode: 200,
				writableFinished: true,
			});
			claim.handOver([[{ json: {} }]], response, () => warnings.push('unsaved'));
			if (saveFirst) JSON.stringify(staticData);
			response.emit('close');
			return warnings;
		};
		expect(await answer(true)).toEqual([]);
		expect(await answer(false)).toEqual(['unsaved']);
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
			entries: () => Object.values(JSON.parse(saved).deliveryMemory ?? {}).join(''),
		};
	}

	const scope = 'workflow/node';
	const now = Date.now();
	const answered = { statusCode: 200, writableFinished: true, closed: true };
	const claim = (p: Duplicates, staticData: IDataObject, key: string) =>
		p.claimDeliveries({ scope, staticData, maxAgeMs: 8 * 24 * 3600 * 1000, now }, [{ key }]);

	/** One webhook call on process `p`: load, check, hand over, save. Returns whether it was a repeat. */
	async function call(p: Duplicates, db: ReturnType<typeof database>, key: string) {
		const staticData = db.load();
		const claimed = await claim(p, staticData, key);
		if (!claimed.repeats[0]) claimed.handOver([[{ json: {} }]], answered, () => undefined);
		db.save(staticData);
		return claimed.repeats[0];
	}

	test('a retry that reaches the other process is recognised', async () => {
		const db = database();
		const [a, b] = [process(), process()];
		expect(await call(a, db, 'document-1')).toBe(false);
		expect(await call(b, db, 'document-1')).toBe(true);
		expect(await call(a, db, 'document-1')).toBe(true);
	});

	test('a process that started earlier does not erase the keys another saved since', async () => {
		const db = database();
		const [a, b] = [process(), process()];
		expect(await call(b, db, 'document-b1')).toBe(false); // b's memory exists before a's key
		expect(await call(a, db, 'document-a1')).toBe(false);
		expect(await call(b, db, 'document-b2')).toBe(false);
		// b's save, the last, still holds a's key: a retry of it is a duplicate on either process,
		// also after both restart.
		expect(await call(b, db, 'document-a1')).toBe(true);
		expect(await call(process(), db, 'document-a1')).toBe(true);
	});

	test('concurrent calls: a key erased by the other process is written back by its next call', async () => {
		const db = database();
		const [a, b] = [process(), process()];
		// Both load before either saves; b saves last and erases a's key from the database.
		const forA = db.load();
		const forB = db.load();
		(await claim(a, forA, 'document-a')).handOver([[{ json: {} }]], answered, () => undefined);
		(await claim(b, forB, 'document-b')).handOver([[{ json: {} }]], answered, () => undefined);
		db.save(forA);
		db.save(forB);
		const stored = db.entries();
		// a's next call, even a repeat that starts nothing, saves a's key again.
		expect(await call(a, db, 'document-b')).toBe(true);
		expect(db.entries().length).toBeGreaterThan(stored.length);
		const restarted = process();
		expect(await call(restarted, db, 'document-a')).toBe(true);
		expect(await call(restarted, db, 'document-b')).toBe(true);
	});

	test('a repeat whose keys are all stored changes nothing (n8n then has nothing to save)', async () => {
		const db = database();
		const [a, b] = [process(), process()];
		await call(a, db, 'document-1');
		await call(b, db, 'document-2');
		await call(a, db, 'document-3');
		const staticData = db.load();
		const before = JSON.stringify(staticData);
		const observed = ObservableObject.create(staticData) as IDataObject & {
			__dataChanged: boolean;
		};
		expect((await claim(b, observed, 'document-3')).repeats).toEqual([true]);
		expect(observed.__dataChanged).toBe(false);
		expect(JSON.stringify(staticData)).toBe(before);
	});

	test('memory stays bounded when merging what other processes saved', async () => {
		const db = database();
		const [a, b] = [process(), process()];
		a.DUPLICATE_MEMORY.maxKeys = 20; // each process has its own copy of the module
		b.DUPLICATE_MEMORY.maxKeys = 20;
		for (let n = 0; n < 100; n++) await call(n % 2 ? a : b, db, `document-${n}`);
		expect(db.entries().length / 8).toBeLessThanOrEqual(20);
		// The newest documents are remembered on both processes.
		expect(await call(a, db, 'document-98')).toBe(true);
		expect(await call(b, db, 'document-99')).toBe(true);
	});
});
