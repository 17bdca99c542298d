/**
 * Every trigger and credential in a real n8n (2.x on Node 24, 1.x on Node 20), the packed
 * package installed as n8n's community-package installer does: real HTTP requests in, results
 * read back from n8n's own database (see ../harness.ts). A spec of test/e2e/suite.test.ts.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import {
	type Execution,
	executionError,
	freePort,
	type N8nInstance,
	nodeOutputs,
	type StoredItem,
} from '../harness';
import { rawWithFileMarkers } from '../../helpers/rawMarkers';
import { invoiCyDeliveryWithPdf } from '../payloads';
import type { E2eSpec } from '../sharedN8n';
import { CREDENTIALS, HOOKS, type Hook, hookPath, SECRETS, WORKFLOWS } from '../workflows';
import { SAMPLE_NAMES, samplePath } from '../../helpers/fixtures';
import { sampleOwner } from '../../helpers/senders';
const fixture = (name: string) =>
	JSON.parse(readFileSync(samplePath(name.replace(/\.json$/, '')), 'utf8'));
const FIXTURE_NAMES = SAMPLE_NAMES.map((name) => `${name}.json`).sort();

// Served by the local file server as iLink attachments. The PDF is the samples' minimal valid PDF.
const PDF_BYTES = Buffer.from(fixture('invoicy-nfse-authorized.json').documento.DocPDF, 'base64');
const XML_BYTES = Buffer.from(
	'<?xml version="1.0" encoding="UTF-8"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">' +
		'<cbc:ID xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">FT 2025/123 – €</cbc:ID></Invoice>\n',
	'utf8',
);

const auth = {
	ilink: `Bearer ${SECRETS.ilinkKey}`,
	basic: `Basic ${Buffer.from(`${SECRETS.invoicyUser}:${SECRETS.invoicyPassword}`).toString('base64')}`,
	bearer: `Bearer ${SECRETS.invoicyToken}`,
};

/** Which hook and header the samples of each trigger go to. */
const ROUTES: Record<string, { hook: Hook; authorization: string }> = {
	iLinkNewDocument: { hook: HOOKS.newDocument, authorization: auth.ilink },
	iLinkStatusChange: { hook: HOOKS.statusChange, authorization: auth.ilink },
	invoiCyNfse: { hook: HOOKS.nfseBearer, authorization: auth.bearer },
};
function routeFor(name: string): { hook: Hook; authorization: string } {
	const { key } = sampleOwner(name.replace(/\.json$/, '')).trigger;
	const route = ROUTES[key];
	if (!route) throw new Error(`no e2e workflow for the ${key} trigger: add one to workflows.ts`);
	return route;
}

/** What the contract (shared/spec/contract.md) says the item must contain, computed from the sample. */
function expectedFields(name: string, body: any): Record<string, unknown> {
	if (name.startsWith('ilink')) {
		return {
			source: 'ilink',
			event: name.startsWith('ilink-new-document')
				? 'document.received'
				: 'document.status_changed',
			documentId: body.id,
			documentNumber: body.number,
			documentType: body.type_document_fact.type,
			status: body.state_document.alias.toLowerCase(),
			statusCode: body.state_document.alias,
			statusDescription: body.state_document.description,
			issuer: { taxId: body.supplier.number, name: body.supplier.name },
			recipient: { taxId: body.customer.number, name: body.customer.name },
			issueDate: body.emission_date,
			totalAmount: Number(body.amounts.payable_amount ?? body.amounts.total_amount),
			currency: body.currency.code,
		};
	}
	const d = body.documento;
	const status = ({ 2: 'authorized', 3: 'rejected', 5: 'cancelled' } as Record<number, string>)[
		d.DocStatus
	];
	return {
		source: 'invoicy',
		event: 'nfse.status_changed',
		documentId: d.DocIDUnico || d.DocChaAcesso || `${d.DocModelo}:${d.DocSerie}:${d.DocNumero}`,
		documentNumber: String(d.DocNumero),
		documentType: d.DocModelo,
		status,
		statusCode: d.DocSitCodigo,
		statusDescription: d.DocSitDescricao,
		issuer: { taxId: d.Resumo.DocCNPJEmitente, name: d.Resumo.DocNomeEmitente },
		recipient: { taxId: d.Resumo.DocCNPJDestinatario, name: d.Resumo.DocNomeDestinatario },
		// A time without a zone takes the document's own (DocFusoHorario).
		issueDate: `${d.Resumo.DocDataEmissao}${d.Resumo.DocFusoHorario}`,
		totalAmount: d.Resumo.DocVlrTotal,
		currency: 'BRL',
	};
}

/** Minimal local HTTP server for iLink attachment URLs. */
async function startFileServer(): Promise<{ server: Server; base: string; hits: string[] }> {
	const hits: string[] = [];
	const server = createServer((req, res) => {
		hits.push(req.url ?? '');
		if (req.url?.startsWith('/files/doc.pdf')) {
			res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': PDF_BYTES.length });
			res.end(PDF_BYTES);
		} else if (req.url?.startsWith('/files/doc.xml')) {
			res.writeHead(200, { 'content-type': 'application/xml', 'content-length': XML_BYTES.length });
			res.end(XML_BYTES);
		} else {
			res.writeHead(404).end();
		}
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const addr = server.address();
	const port = typeof addr === 'object' && addr ? addr.port : 0;
	return { server, base: `http://127.0.0.1:${port}`, hits };
}

/** A summary line per case, printed at the end (how many executions each request produced). */
const observed: string[] = [];

export const triggersSpec: E2eSpec = {
	title: 'every trigger and credential',
	define(suite) {
		const { version } = suite;
		let n8n: N8nInstance;
		let files: Awaited<ReturnType<typeof startFileServer>>;
		let closedPort: number;
		/** A delivery sent twice before the restart, and again after it. */
		const dedupBody = JSON.stringify({
			...fixture('ilink-new-document.json'),
			id: `dedup-${version}-${Date.now()}`,
		});

		suite.needs(async () => {
			files = await startFileServer();
			closedPort = await freePort(); // nothing listens there: connection refused
			return {
				credentials: CREDENTIALS,
				workflows: WORKFLOWS,
				webhookPaths: Object.values(HOOKS).map(hookPath),
				// Small enough to test n8n's own body limit cheaply (default 16 MiB).
				env: { N8N_PAYLOAD_SIZE_MAX: '2' },
				close: () => new Promise<void>((r) => files.server.close(() => r())),
			};
		});
		beforeAll(() => (n8n = suite.n8n));

		afterAll(() => {
			if (observed.length)
				console.log(`executions observed (n8n ${version}):\n  ${observed.splice(0).join('\n  ')}`);
		});

		/** POST to a hook; returns the response and the executions it produced (0 expected or n). */
		async function post(
			h: Hook,
			body: string | Buffer,
			headers: Record<string, string>,
			expectExecutions: number,
			label: string,
		): Promise<{ res: Response; text: string; execs: Execution[] }> {
			const mark = n8n.mark();
			// A fresh connection per request: on a busy machine undici reuses a keep-alive socket n8n 1.x
			// has just closed, and the request fails with "other side closed" before reaching n8n.
			const res = await fetch(n8n.url(hookPath(h)), {
				method: 'POST',
				headers: { connection: 'close', ...headers },
				body,
			});
			const text = await res.text();
			const execs =
				expectExecutions > 0
					? await n8n.waitForExecutions(expectExecutions, { after: mark })
					: await n8n.executionsAfterSettle(mark);
			// Give n8n a moment to record anything unexpected beyond the expected count.
			const all = expectExecutions > 0 ? await n8n.executionsAfterSettle(mark, 500) : execs;
			observed.push(
				`${label}: HTTP ${res.status}, ${all.length} execution(s) ${all.map((e) => e.status).join(',')}`,
			);
			return { res, text, execs: all };
		}

		const json = (authorization?: string) => ({
			'content-type': 'application/json',
			...(authorization ? { authorization } : {}),
		});

		/** Sample with its iLink attachment URLs pointed at the local file server. */
		function withLocalAttachments(
			body: any,
			pdfUrl = `${files.base}/files/doc.pdf`,
			xmlUrl = `${files.base}/files/doc.xml`,
		) {
			if (!Array.isArray(body.attachments)) return body;
			return {
				...body,
				attachments: body.attachments.map((a: any) => ({
					...a,
					file: a.type === 'pdf' ? pdfUrl : xmlUrl,
				})),
			};
		}

		function onlyItem(exec: Execution, h: Hook, output = 0): StoredItem {
			expect(executionError(exec)).toBeUndefined();
			const outputs = nodeOutputs(exec, h.node);
			expect(outputs[output]).toHaveLength(1);
			expect(outputs[1 - output] ?? []).toHaveLength(0);
			return outputs[output][0];
		}

		describe('every sample, right credentials', () => {
			it.each(FIXTURE_NAMES)('%s → 200, one execution, contract fields', async (name) => {
				const sample = fixture(name);
				const body = withLocalAttachments(sample);
				const { hook: h, authorization } = routeFor(name);
				const { res, execs } = await post(h, JSON.stringify(body), json(authorization), 1, name);
				expect(res.status).toBe(200);
				expect(execs).toHaveLength(1);
				const [exec] = execs;
				expect(exec.status).toBe('success');
				expect(exec.mode).toBe('webhook');
				expect(exec.workflowId).toBe(h.id);
				const item = onlyItem(exec, h);
				expect(item.json).toMatchObject(expectedFields(name, sample));
				// Decoded inline files live in the binary data only; raw holds a marker in their place.
				expect(item.json.raw).toEqual(rawWithFileMarkers(body));
				expect(JSON.stringify(item.json.raw)).not.toContain(sample.documento?.DocPDF || '@none@');
				expect(new Date(item.json.receivedAt).toISOString()).toBe(item.json.receivedAt);
				expect(Array.isArray(item.json.files)).toBe(true);

				if (name.startsWith('ilink')) {
					// Both attachments downloaded from the local server.
					expect(item.binary?.pdf?.mimeType).toBe('application/pdf');
					expect(item.binary?.xml?.mimeType).toBe('application/xml');
					expect(n8n.binaryBuffer(item.binary!.pdf).equals(PDF_BYTES)).toBe(true);
					expect(n8n.binaryBuffer(item.binary!.xml).equals(XML_BYTES)).toBe(true);
				} else {
					const d = sample.documento;
					for (const [kind, b64, mime] of [
						['pdf', d.DocPDF, 'application/pdf'],
						['xml', d.DocXML, 'application/xml'],
					] as const) {
						if (b64) {
							expect(item.binary?.[kind]?.mimeType).toBe(mime);
							expect(n8n.binaryBuffer(item.binary![kind]).equals(Buffer.from(b64, 'base64'))).toBe(
								true,
							);
							expect(item.json.files).toContainEqual(
								expect.objectContaining({ kind, binaryProperty: kind }),
							);
						} else {
							expect(item.binary?.[kind]).toBeUndefined();
						}
					}
				}
			});
		});

		describe('authentication', () => {
			const ilinkBody = JSON.stringify(fixture('ilink-new-document.json'));
			const nfseBody = JSON.stringify(fixture('invoicy-nfse-authorized.json'));
			const cases: Array<[string, Hook, string, string | undefined]> = [
				['iLink wrong key', HOOKS.newDocument, ilinkBody, 'Bearer not-the-key'],
				['iLink missing header', HOOKS.newDocument, ilinkBody, undefined],
				['iLink malformed (no scheme)', HOOKS.newDocument, ilinkBody, SECRETS.ilinkKey],
				['iLink malformed (Basic)', HOOKS.newDocument, ilinkBody, `Basic ${SECRETS.ilinkKey}`],
				['iLink malformed (empty Bearer)', HOOKS.newDocument, ilinkBody, 'Bearer '],
				[
					'InvoiCy basic wrong password',
					HOOKS.nfseBasic,
					nfseBody,
					`Basic ${Buffer.from('e2e-user:nope').toString('base64')}`,
				],
				['InvoiCy basic missing', HOOKS.nfseBasic, nfseBody, undefined],
				['InvoiCy basic malformed base64', HOOKS.nfseBasic, nfseBody, 'Basic !!!not-base64!!!'],
				['InvoiCy basic sent as Bearer', HOOKS.nfseBasic, nfseBody, auth.bearer],
				['InvoiCy bearer wrong token', HOOKS.nfseBearer, nfseBody, 'Bearer nope'],
				['InvoiCy bearer missing', HOOKS.nfseBearer, nfseBody, undefined],
				['InvoiCy bearer malformed', HOOKS.nfseBearer, nfseBody, `Token ${SECRETS.invoicyToken}`],
			];
			it.each(cases)(
				'%s → 401 + WWW-Authenticate, no execution',
				async (label, h, body, authorization) => {
					const { res, execs } = await post(h, body, json(authorization), 0, label);
					expect(res.status).toBe(401);
					expect(res.headers.get('www-authenticate')).toBeTruthy();
					expect(execs).toHaveLength(0);
				},
			);

			it('InvoiCy basic with right credentials → 200, one execution', async () => {
				const { res, execs } = await post(
					HOOKS.nfseBasic,
					nfseBody,
					json(auth.basic),
					1,
					'InvoiCy basic right',
				);
				expect(res.status).toBe(200);
				expect(onlyItem(execs[0], HOOKS.nfseBasic).json.status).toBe('authorized');
			});

			it('InvoiCy authentication none accepts a request without Authorization', async () => {
				const { res, execs } = await post(HOOKS.nfseNone, nfseBody, json(), 1, 'InvoiCy none');
				expect(res.status).toBe(200);
				expect(execs).toHaveLength(1);
				expect(onlyItem(execs[0], HOOKS.nfseNone).json.source).toBe('invoicy');
			});

			it('scheme word is case-insensitive and surrounding spaces are tolerated', async () => {
				const { res, execs } = await post(
					HOOKS.newDocument,
					JSON.stringify(withLocalAttachments(fixture('ilink-new-document.json'))),
					json(`  bearer   ${SECRETS.ilinkKey}  `),
					1,
					'iLink lower-case scheme',
				);
				expect(res.status).toBe(200);
				expect(execs).toHaveLength(1);
			});
		});

		describe('typeVersion 1.1 (what the editor adds)', () => {
			it('a delivery → 200, one execution with the item', async () => {
				const sample = fixture('ilink-new-document.json');
				const { res, execs } = await post(
					HOOKS.newDocumentV11,
					JSON.stringify(sample),
					json(auth.ilink),
					1,
					'1.1 delivery',
				);
				expect(res.status).toBe(200);
				expect(onlyItem(execs[0], HOOKS.newDocumentV11).json.documentId).toBe(sample.id);
			});

			// For a node above typeVersion 1, n8n reads only JSON, text, form and XML bodies; the
			// node reads the rest itself, so mislabelled JSON is still understood as on 1.
			it('JSON sent as application/octet-stream → 200, one execution', async () => {
				const sample = fixture('ilink-new-document.json');
				const { res, execs } = await post(
					HOOKS.newDocumentV11,
					Buffer.from(JSON.stringify(sample)),
					{ 'content-type': 'application/octet-stream', authorization: auth.ilink },
					1,
					'1.1 octet-stream JSON',
				);
				expect(res.status).toBe(200);
				expect(onlyItem(execs[0], HOOKS.newDocumentV11).json.documentId).toBe(sample.id);
			});
		});

		describe('bodies', () => {
			it('non-JSON body (text/plain) → 400, no execution', async () => {
				const { res, text, execs } = await post(
					HOOKS.newDocument,
					'this is not json',
					{ 'content-type': 'text/plain', authorization: auth.ilink },
					0,
					'text/plain body',
				);
				expect(res.status).toBe(400);
				expect(JSON.parse(text)).toMatchObject({
					error: expect.any(String),
					message: expect.any(String),
				});
				expect(execs).toHaveLength(0);
			});

			it('JSON array (not an object) → 400, no execution', async () => {
				const { res, execs } = await post(
					HOOKS.newDocument,
					'[1,2,3]',
					json(auth.ilink),
					0,
					'JSON array',
				);
				expect(res.status).toBe(400);
				expect(execs).toHaveLength(0);
			});

			// n8n parses application/json itself before any node runs and answers malformed JSON with
			// 422 {"code":422,"message":"Failed to parse request body",...} (incl. a stack trace). The
			// node never sees the request; what matters is that nothing starts.
			it('malformed JSON with content-type application/json → 422 from n8n, no execution', async () => {
				const { res, text, execs } = await post(
					HOOKS.newDocument,
					'{"id": ',
					json(auth.ilink),
					0,
					'malformed JSON',
				);
				observed.push(`  malformed JSON answer body: ${text.slice(0, 100).replace(/\s+/g, ' ')}`);
				expect(res.status).toBe(422);
				expect(execs).toHaveLength(0);
			});

			// Over N8N_PAYLOAD_SIZE_MAX n8n's body reader fails (PayloadTooLargeError in its log) and n8n
			// answers itself; 2.40.7 turns it into 500 "There was a problem executing the workflow".
			it('body over N8N_PAYLOAD_SIZE_MAX (2 MiB here) → error from n8n, no execution', async () => {
				const big = JSON.stringify({
					...fixture('ilink-new-document.json'),
					padding: 'x'.repeat(3 * 1024 * 1024),
				});
				const { res, text, execs } = await post(
					HOOKS.newDocument,
					big,
					json(auth.ilink),
					0,
					'body over N8N_PAYLOAD_SIZE_MAX',
				);
				observed.push(`  over-limit answer body: ${text.slice(0, 100).replace(/\s+/g, ' ')}`);
				expect([413, 500]).toContain(res.status);
				expect(execs).toHaveLength(0);
			});

			it("body over the node's maxBodySize (1 MiB) but under n8n's limit → 413 from the node, no execution", async () => {
				const big = JSON.stringify({
					...fixture('ilink-new-document.json'),
					padding: 'x'.repeat(1536 * 1024),
				});
				const { res, text, execs } = await post(
					HOOKS.newDocumentReject,
					big,
					json(auth.ilink),
					0,
					'body over node maxBodySize',
				);
				expect(res.status).toBe(413);
				expect(JSON.parse(text).error).toBeTruthy();
				expect(execs).toHaveLength(0);
			});

			it('schema-invalid JSON object → 200, execution with the item on output 1 (Invalid)', async () => {
				const { res, execs } = await post(
					HOOKS.newDocument,
					'{"hello":"world"}',
					json(auth.ilink),
					1,
					'schema-invalid object',
				);
				expect(res.status).toBe(200);
				expect(execs).toHaveLength(1);
				const item = onlyItem(execs[0], HOOKS.newDocument, 1);
				expect(item.json).toMatchObject({
					source: 'ilink',
					event: 'document.received',
					raw: { hello: 'world' },
				});
				expect(item.json.errors.length).toBeGreaterThan(0);
				for (const e of item.json.errors)
					expect(e).toEqual({ path: expect.any(String), message: expect.any(String) });
				expect(new Date(item.json.receivedAt).toISOString()).toBe(item.json.receivedAt);
			});

			it('schema-invalid with invalidPayload=reject → 422 with issues, no execution', async () => {
				const { res, text, execs } = await post(
					HOOKS.newDocumentReject,
					'{"hello":"world"}',
					json(auth.ilink),
					0,
					'schema-invalid, reject',
				);
				expect(res.status).toBe(422);
				const answer = JSON.parse(text);
				expect(answer.error).toBeTruthy();
				expect(answer.issues[0]).toEqual({ path: expect.any(String), message: expect.any(String) });
				expect(execs).toHaveLength(0);
			});
		});

		describe('filters and duplicates', () => {
			it('status filtered out by the node (sent, node wants accepted) → 200, no execution', async () => {
				const { res, execs } = await post(
					HOOKS.statusChangeAccepted,
					JSON.stringify(fixture('ilink-status-change-sent.json')),
					json(auth.ilink),
					0,
					'filtered-out status',
				);
				expect(res.status).toBe(200);
				expect(execs).toHaveLength(0);
			});

			it('status the filter keeps (accepted) → 200, one execution', async () => {
				const { res, execs } = await post(
					HOOKS.statusChangeAccepted,
					JSON.stringify(withLocalAttachments(fixture('ilink-status-change-accepted.json'))),
					json(auth.ilink),
					1,
					'status kept by filter',
				);
				expect(res.status).toBe(200);
				expect(onlyItem(execs[0], HOOKS.statusChangeAccepted).json.status).toBe('accepted');
			});

			it('the same delivery twice (duplicate detection on) → 200 twice, one execution', async () => {
				const body = dedupBody;
				const first = await post(HOOKS.newDocumentDedup, body, json(auth.ilink), 1, 'dedup: first');
				const second = await post(
					HOOKS.newDocumentDedup,
					body,
					json(auth.ilink),
					0,
					'dedup: second',
				);
				expect(first.res.status).toBe(200);
				expect(second.res.status).toBe(200);
				expect(first.execs).toHaveLength(1);
				expect(second.execs).toHaveLength(0);
			});
		});

		// One delivery of each class of real-world variation (issue 9), through the real n8n.
		describe('deliveries shaped the way senders vary', () => {
			it('iLink: wrong-typed optional fields, a Portuguese state, one attachment object, MIME types → main output with warnings', async () => {
				const sample = fixture('ilink-status-change-accepted.json');
				const body = {
					...sample,
					state_document: 'Aceite',
					emission_date: Date.parse('2025-06-02T00:00:00Z') / 1000,
					supplier: 'Fornecedor Exemplo',
					reasons: [null],
					amounts: { payable_amount: '1.234,56' },
					attachments: { type: 'application/pdf', file: `${files.base}/files/doc.pdf` },
				};
				const { res, execs } = await post(
					HOOKS.statusChangeAccepted,
					JSON.stringify(body),
					json(auth.ilink),
					1,
					'variation: iLink',
				);
				expect(res.status).toBe(200);
				const item = onlyItem(execs[0], HOOKS.statusChangeAccepted);
				expect(item.json).toMatchObject({
					status: 'accepted',
					statusCode: 'Aceite',
					issueDate: '2025-06-02T00:00:00.000Z',
					issuer: { taxId: null, name: null },
					totalAmount: 1234.56,
					reasons: [],
					warnings: [{ path: 'supplier', message: expect.stringContaining('ignored') }],
				});
				expect(n8n.binaryBuffer(item.binary!.pdf).equals(PDF_BYTES)).toBe(true);
			});

			it('iLink: the same id with and without spaces, "accepted" then "Accepted" → one execution', async () => {
				const id = `normalised-${version}-${Date.now()}`;
				const first = { ...fixture('ilink-new-document.json'), id: `  ${id} ` };
				const again = { ...fixture('ilink-new-document.json'), id };
				const one = await post(
					HOOKS.newDocumentDedup,
					JSON.stringify(first),
					json(auth.ilink),
					1,
					'normalised key: first',
				);
				const two = await post(
					HOOKS.newDocumentDedup,
					JSON.stringify(again),
					json(auth.ilink),
					0,
					'normalised key: again',
				);
				expect(one.execs).toHaveLength(1);
				expect(two.res.status).toBe(200);
				expect(two.execs).toHaveLength(0);
			});

			it('InvoiCy: data: URL PDF, XHTML served as XML, amount in reais, 44-digit numeric key → main output', async () => {
				const body = fixture('invoicy-nfse-authorized.json');
				const d = body.documento;
				d.DocPDF = `data:application/pdf;base64,${d.DocPDF}`;
				d.DocXML = Buffer.from(
					'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>Sessão expirada</body></html>',
				).toString('base64');
				d.Resumo.DocVlrTotal = 'R$ 1.234,56';
				const text = JSON.stringify(body).replace(
					/"DocChaAcesso":"[^"]*"/,
					'"DocChaAcesso":35270611222333000181550010000010211000010215',
				);
				const { res, execs } = await post(
					HOOKS.nfseBearer,
					text,
					json(auth.bearer),
					1,
					'variation: InvoiCy',
				);
				expect(res.status).toBe(200);
				const item = onlyItem(execs[0], HOOKS.nfseBearer);
				expect(item.json.documentId).toBe(`${d.DocModelo}:${d.DocSerie}:${d.DocNumero}`);
				expect(item.json.totalAmount).toBe(1234.56);
				expect(item.json.warnings).toEqual([
					{ path: 'documento.DocChaAcesso', message: expect.stringContaining('too large') },
				]);
				expect(n8n.binaryBuffer(item.binary!.pdf).equals(PDF_BYTES)).toBe(true);
				expect(item.binary?.xml).toBeUndefined();
				expect(item.json.files).toContainEqual(
					expect.objectContaining({ kind: 'xml', error: expect.stringContaining('not a XML') }),
				);
				expect(item.json.raw.documento.DocPDF).toBe(`[binary pdf, ${PDF_BYTES.length} bytes]`);
				expect(item.json.raw.documento.DocXML).toBe(d.DocXML);
			});

			it('InvoiCy: Documentos[] with one good and one incomplete document → one execution, good on main, broken on Invalid', async () => {
				const good = {
					...fixture('invoicy-nfse-authorized.json').documento,
					DocIDUnico: `multi-${version}`,
				};
				const body = { Documentos: [good, { DocModelo: 'NFSe', DocStatus: 2 }] };
				const { res, execs } = await post(
					HOOKS.nfseBearer,
					JSON.stringify(body),
					json(auth.bearer),
					1,
					'variation: multi',
				);
				expect(res.status).toBe(200);
				expect(execs).toHaveLength(1);
				expect(executionError(execs[0])).toBeUndefined();
				const [main, invalid] = nodeOutputs(execs[0], HOOKS.nfseBearer.node);
				expect(main.map((item) => item.json.documentId)).toEqual([`multi-${version}`]);
				expect(invalid.map((item) => item.json.errors[0].path)).toEqual(['Documentos.1.DocNumero']);
			});

			it('InvoiCy account notifications: emitted when asked for, answered 200 and not started otherwise', async () => {
				const certificate = {
					Certificado: {
						CNPJ: '11222333000181',
						Vencimento: '2026-12-15',
						Mensagem: 'Vence em 15 dias',
					},
				};
				const stopped = { notificacao: { TipoNotificacao: 14, DescNotificacao: 'Emissão parada' } };
				const asked = await post(
					HOOKS.nfseNotices,
					JSON.stringify(certificate),
					json(),
					1,
					'notice: certificate, asked',
				);
				expect(asked.res.status).toBe(200);
				expect(onlyItem(asked.execs[0], HOOKS.nfseNotices).json).toMatchObject({
					source: 'invoicy',
					event: 'certificate.expiring',
					certificateExpiresAt: '2026-12-15',
				});
				const stop = await post(
					HOOKS.nfseNotices,
					JSON.stringify(stopped),
					json(),
					1,
					'notice: stopped, asked',
				);
				expect(onlyItem(stop.execs[0], HOOKS.nfseNotices).json.event).toBe('issuing.stopped');
				const notAsked = await post(
					HOOKS.nfseBearer,
					JSON.stringify(certificate),
					json(auth.bearer),
					0,
					'notice: not asked',
				);
				expect(notAsked.res.status).toBe(200);
				expect(notAsked.execs).toHaveLength(0);
			});
		});

		describe('storage', () => {
			it('a 1 MB InvoiCy delivery: n8n stores at most 1.1 times its size (each file once)', async () => {
				// 1 MB: this n8n's body limit is 2 MiB; npm run bench:storage measures 5 MB.
				const body = invoiCyDeliveryWithPdf(1024 * 1024, 700_000);
				const { res, execs } = await post(
					HOOKS.nfseBearer,
					body,
					json(auth.bearer),
					1,
					'storage: 1 MB',
				);
				expect(res.status).toBe(200);
				const item = onlyItem(execs[0], HOOKS.nfseBearer);
				expect(n8n.binaryBuffer(item.binary!.pdf).length).toBe(1024 * 1024);
				const stored = n8n.storedBytes(execs[0]);
				const ratio = (stored.data + stored.files) / Buffer.byteLength(body);
				observed.push(
					`  stored / payload for 1 MB: ${ratio.toFixed(3)} (${stored.data} B data, ${stored.files} B files)`,
				);
				expect(ratio).toBeLessThanOrEqual(1.1);
			});
		});

		describe('iLink attachments', () => {
			it('downloads PDF and XML from the URLs into binary pdf/xml, byte for byte', async () => {
				const hitsBefore = files.hits.length;
				const body = withLocalAttachments(fixture('ilink-new-document.json'));
				const { res, execs } = await post(
					HOOKS.newDocument,
					JSON.stringify(body),
					json(auth.ilink),
					1,
					'attachments served locally',
				);
				expect(res.status).toBe(200);
				const item = onlyItem(execs[0], HOOKS.newDocument);
				expect(files.hits.slice(hitsBefore).sort()).toEqual(['/files/doc.pdf', '/files/doc.xml']);
				// Where this n8n keeps binary data by default: 2.x 'filesystem' (id 'filesystem-v2:...',
				// file under <user>/.n8n/storage), 1.x 'default' (base64 inline in the execution data).
				observed.push(
					`  binary data storage: ${item.binary?.pdf?.id ? item.binary.pdf.id.split(':')[0] : 'inline base64'}`,
				);
				expect(item.binary?.pdf).toMatchObject({
					mimeType: 'application/pdf',
					fileName: expect.stringMatching(/\.pdf$/),
				});
				expect(item.binary?.xml).toMatchObject({
					mimeType: 'application/xml',
					fileName: expect.stringMatching(/\.xml$/),
				});
				expect(n8n.binaryBuffer(item.binary!.pdf).equals(PDF_BYTES)).toBe(true);
				expect(n8n.binaryBuffer(item.binary!.xml).equals(XML_BYTES)).toBe(true);
				expect(item.json.files).toEqual(
					expect.arrayContaining([
						expect.objectContaining({
							kind: 'pdf',
							url: body.attachments[0].file,
							binaryProperty: 'pdf',
						}),
						expect.objectContaining({
							kind: 'xml',
							url: body.attachments[1].file,
							binaryProperty: 'xml',
						}),
					]),
				);
			});

			it('an unreachable URL → 200, execution, files entry with error and no binary for it', async () => {
				const unreachable = `http://127.0.0.1:${closedPort}/files/doc.pdf`;
				const body = withLocalAttachments(fixture('ilink-new-document.json'), unreachable);
				const { res, execs } = await post(
					HOOKS.newDocument,
					JSON.stringify(body),
					json(auth.ilink),
					1,
					'one attachment unreachable',
				);
				expect(res.status).toBe(200);
				const item = onlyItem(execs[0], HOOKS.newDocument);
				const pdf = item.json.files.find((f: any) => f.kind === 'pdf');
				expect(pdf).toMatchObject({ kind: 'pdf', url: unreachable, error: expect.any(String) });
				expect(pdf.binaryProperty).toBeUndefined();
				expect(item.binary?.pdf).toBeUndefined();
				expect(n8n.binaryBuffer(item.binary!.xml).equals(XML_BYTES)).toBe(true);
			});
		});

		describe('response mode lastNode', () => {
			it('a failing downstream node: what the sender gets, and a failed execution', async () => {
				const { res, text, execs } = await post(
					HOOKS.newDocumentLastNode,
					JSON.stringify(fixture('ilink-new-document.json')),
					json(auth.ilink),
					1,
					'lastNode + failing node',
				);
				observed.push(
					`  lastNode failure answer: HTTP ${res.status} ${text.slice(0, 160).replace(/\s+/g, ' ')}`,
				);
				expect(execs).toHaveLength(1);
				expect(execs[0].status).toBe('error');
				// n8n reports the workflow error to the caller as a 500.
				expect(res.status).toBe(500);
			});
		});

		it('keeps working after a restart (workflows stay published); deliveries received before it are still repeats', async () => {
			// Accepted once, right before the restart, with no repeat in between that would save the
			// memory again: only the save that comes with its own execution can have kept it (on 2.x
			// because the trigger marks the memory changed again when n8n writes the execution).
			const once = JSON.stringify({
				...fixture('ilink-new-document.json'),
				id: `once-before-restart-${version}-${Date.now()}`,
			});
			await post(HOOKS.newDocumentDedup, once, json(auth.ilink), 1, 'before restart: once');
			await n8n.restart();
			for (const [label, body] of [
				['after restart: the delivery accepted once', once],
				['after restart: the delivery sent twice', dedupBody],
			]) {
				const retry = await post(HOOKS.newDocumentDedup, body, json(auth.ilink), 0, label);
				expect([label, retry.res.status, retry.text]).toEqual([
					label,
					200,
					expect.stringMatching(/duplicate/i),
				]);
			}
			const { res, execs } = await post(
				HOOKS.nfseBearer,
				JSON.stringify(fixture('invoicy-nfse-cancelled.json')),
				json(auth.bearer),
				1,
				'after restart',
			);
			expect(res.status).toBe(200);
			expect(onlyItem(execs[0], HOOKS.nfseBearer).json.status).toBe('cancelled');
		}, 180_000);
	},
};
