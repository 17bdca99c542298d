/**
 * Issue 18's nine classes of drift, one delivery (or a few) per class, in a real n8n (2.x and
 * 1.x): the packed package installed as n8n's community-package installer does, deliveries over
 * HTTP, and n8n's own database as the witness of what ran and what each item holds.
 *
 * A spec of the shared-n8n e2e tier (test/e2e/suite.test.ts); `E2E_SPECS=drift` runs it alone.
 */
import { startFileServer, type FileServer } from '../../helpers/fileServer';
import { sample } from '../../helpers/fixtures';
import { MINIMAL_PDF, MINIMAL_XML } from '../../helpers/unit';
import {
	type CredentialSpec,
	type Execution,
	type N8nInstance,
	nodeOutputs,
	type StoredItem,
} from '../harness';
import { send } from '../sender';
import type { E2eSpec } from '../sharedN8n';
import { hook, hookPath, PATHS, type Hook, triggerWorkflow } from '../workflows';

const SECRETS = {
	iLink: 'drift-ilink-access-key-0123456789',
	bearer: 'drift-invoicy-bearer-0123456789',
	typed: 'token typed-as-is/2026',
	user: 'drift-user',
	password: 'drift:pass',
};

const CREDENTIALS: CredentialSpec[] = [
	{
		id: 'driftCredILink01',
		name: 'iLink drift',
		type: 'iLinkAccessKeyApi',
		data: { accessKey: SECRETS.iLink },
	},
	{
		id: 'driftCredBearer1',
		name: 'InvoiCy bearer drift',
		type: 'invoiCyBearerTokenApi',
		data: { token: SECRETS.bearer },
	},
	{
		id: 'driftCredTyped01',
		name: 'InvoiCy basic, token as typed',
		type: 'invoiCyBasicAuthApi',
		data: { user: '', password: '', tokenAsTyped: SECRETS.typed },
	},
	{
		id: 'driftCredBasic01',
		name: 'InvoiCy basic, user and password',
		type: 'invoiCyBasicAuthApi',
		data: { user: SECRETS.user, password: SECRETS.password },
	},
];
const credential = (id: string) => {
	const found = CREDENTIALS.find((entry) => entry.id === id)!;
	return { [found.type]: { id: found.id, name: found.name } };
};

/** n8n 2.x's own SSRF rules name this host: its egress filter refuses it (1.x has none). */
const BLOCKED_BY_N8N = 'files.blocked-by-n8n.test';

const HOOKS = {
	documents: hook('driftWfNewDoc001', 'New Document', 901, PATHS.newDocument),
	status: hook('driftWfStatus001', 'Status accepted', 902, PATHS.statusChange),
	nfse: hook('driftWfNfse00001', 'NFS-e', 903, PATHS.nfse),
	typed: hook('driftWfNfseTyped', 'NFS-e token as typed', 904, PATHS.nfse),
	basic: hook('driftWfNfseBasic', 'NFS-e basic', 905, PATHS.nfse),
};
const noDedup = { ignoreDuplicates: false };

const WORKFLOWS = [
	// Downloads on, private addresses not allowed (the default).
	triggerWorkflow(
		HOOKS.documents,
		'iLinkNewDocumentTrigger',
		{ options: { ...noDedup, downloadTimeout: 5 } },
		credential('driftCredILink01'),
	),
	triggerWorkflow(
		HOOKS.status,
		'iLinkStatusChangeTrigger',
		{ states: ['accepted'], options: noDedup },
		credential('driftCredILink01'),
	),
	// The file server of the InvoiCy links is on 127.0.0.1.
	triggerWorkflow(
		HOOKS.nfse,
		'invoiCyNfseTrigger',
		{ authentication: 'bearerToken', options: { ...noDedup, allowPrivateAddresses: true } },
		credential('driftCredBearer1'),
	),
	triggerWorkflow(
		HOOKS.typed,
		'invoiCyNfseTrigger',
		{ authentication: 'basicAuth', options: noDedup },
		credential('driftCredTyped01'),
	),
	triggerWorkflow(
		HOOKS.basic,
		'invoiCyNfseTrigger',
		{ authentication: 'basicAuth', options: noDedup },
		credential('driftCredBasic01'),
	),
];

const AUTH = {
	iLink: `Bearer ${SECRETS.iLink}`,
	bearer: `Bearer ${SECRETS.bearer}`,
	typed: `Basic ${SECRETS.typed}`,
	echoed: `Basic ${Buffer.from(`${SECRETS.user}:${SECRETS.password}\n`).toString('base64')}`,
};

export const driftSpec: E2eSpec = {
	title: 'the drift of real deliveries (issue 18)',
	define(suite) {
		const { version } = suite;
		let n8n: N8nInstance;
		let files: FileServer;

		suite.needs(async () => {
			files = await startFileServer({
				'/doc.pdf': { contentType: 'application/pdf', body: MINIMAL_PDF },
				'/doc.xml': { contentType: 'application/xml', body: MINIMAL_XML },
				'/page.xml': {
					contentType: 'application/xml',
					body: '<?xml version="1.0"?><div>Sessão expirada</div>',
				},
			});
			return {
				credentials: CREDENTIALS,
				workflows: WORKFLOWS,
				env: { N8N_SSRF_BLOCKED_HOSTNAMES: BLOCKED_BY_N8N },
				webhookPaths: Object.values(HOOKS).map(hookPath),
				close: () => files.close(),
			};
		});
		beforeAll(() => (n8n = suite.n8n));

		/** Posts a body (text, as the sender writes it) and reads what n8n stored, if anything ran. */
		async function deliver(
			h: Hook,
			body: unknown,
			{ authorization, runs = 1 }: { authorization: string; runs?: number },
		): Promise<{ status: number; text: string; executions: Execution[] }> {
			const mark = n8n.mark();
			const answer = await send({
				label: h.node,
				url: n8n.url(hookPath(h)),
				body: typeof body === 'string' ? body : JSON.stringify(body),
				headers: { 'content-type': 'application/json', authorization, connection: 'close' },
			});
			const executions = runs
				? await n8n.waitForExecutions(runs, { after: mark })
				: await n8n.executionsAfterSettle(mark, 1000, { withData: false });
			return { status: answer.status, text: answer.text, executions };
		}

		/** The documents a delivery put on the trigger's first output. */
		async function items(h: Hook, body: unknown, authorization: string): Promise<StoredItem[]> {
			const { status, executions } = await deliver(h, body, { authorization });
			expect(status).toBe(200);
			expect(executions.map((e) => e.status)).toEqual(['success']);
			return nodeOutputs(executions[0], h.node)[0];
		}

		it('1. a list of one where one object is expected (iLink supplier, amounts, state)', async () => {
			const body = sample('ilink-status-change-accepted');
			body.id = `drift-1-${version}`;
			for (const field of ['supplier', 'amounts', 'state_document']) body[field] = [body[field]];
			const [item] = await items(HOOKS.status, body, AUTH.iLink);
			expect(item.json).toMatchObject({
				documentId: body.id,
				status: 'accepted',
				issuer: { taxId: body.supplier[0].number },
				totalAmount: Number(body.amounts[0].payable_amount),
			});
			expect(item.json.warnings).toBeUndefined();
		});

		it('2. a state written as a sentence passes the States filter; a negated one does not; InvoiCy 104 is pending', async () => {
			const accepted = sample('ilink-status-change-sent');
			accepted.id = `drift-2-${version}`;
			accepted.state_document = { description: 'Documento aceite pelo cliente.' };
			const [item] = await items(HOOKS.status, accepted, AUTH.iLink);
			expect(item.json.status).toBe('accepted');

			const notAccepted = { ...accepted, state_document: { description: 'Documento não aceite.' } };
			const left = await deliver(HOOKS.status, notAccepted, { authorization: AUTH.iLink, runs: 0 });
			expect([left.status, left.executions]).toEqual([200, []]);

			const processing = sample('invoicy-nfse-authorized');
			delete processing.documento.DocStatus;
			processing.documento.DocSitCodigo = 104;
			processing.documento.DocSitDescricao = 'Em processamento';
			const [nfse] = await items(HOOKS.nfse, processing, AUTH.bearer);
			expect([nfse.json.status, nfse.json.statusCode]).toEqual(['pending', 104]);
		});

		it('3. dates: yyyymmdd is a date, year 0001 is none, DocFusoHorario zones a time without one', async () => {
			const body = {
				...sample('ilink-new-document'),
				id: `drift-3-${version}`,
				emission_date: 20250602,
				attachments: [],
			};
			const [iLinkItem] = await items(HOOKS.documents, body, AUTH.iLink);
			expect(iLinkItem.json.issueDate).toBe('2025-06-02');

			const nfse = sample('invoicy-nfse-authorized');
			nfse.documento.Resumo.DocDhAut = '0001-01-01T00:00:00';
			const [item] = await items(HOOKS.nfse, nfse, AUTH.bearer);
			expect([item.json.issueDate, item.json.authorizedAt]).toEqual([
				'2025-06-02T10:15:00-03:00',
				null,
			]);
		});

		it('4. a value nested 10,000 levels deep: 200, the document on the main output, raw with a marker', async () => {
			const body = {
				...sample('ilink-new-document'),
				id: `drift-4-${version}`,
				attachments: [],
				supplier: '__DEEP__',
				extra: '__DEEP__',
			};
			const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
			const text = JSON.stringify(body).replaceAll('"__DEEP__"', deep);
			const [item] = await items(HOOKS.documents, text, AUTH.iLink);
			expect(item.json.documentId).toBe(body.id);
			expect(item.json.issuer).toEqual({ taxId: null, name: null });
			const paths = (item.json.warnings as Array<{ path: string }>).map((warning) => warning.path);
			expect(paths).toEqual(
				expect.arrayContaining([
					expect.stringMatching(/^supplier\.a\.a/),
					expect.stringMatching(/^extra\.a\.a/),
				]),
			);
			expect(JSON.stringify(item.json.raw)).toMatch(/nested more than 64 levels deep/);
		});

		it('5. files: an inline PDF that is not one falls back to the link; an "XML" whose root is HTML is refused', async () => {
			const body = sample('invoicy-nfse-authorized');
			body.documento.DocIDUnico = `drift-5-${version}`;
			body.documento.DocPDF = Buffer.from('<html>Sessão expirada</html>').toString('base64');
			body.documento.DocPDFLink = files.url('/doc.pdf');
			delete body.documento.DocXML;
			body.documento.DocXMLLink = files.url('/page.xml');
			const [item] = await items(HOOKS.nfse, body, AUTH.bearer);
			expect(n8n.binaryBuffer(item.binary!.pdf)).toEqual(MINIMAL_PDF);
			expect(item.binary?.xml).toBeUndefined();
			expect((item.json.files as Array<{ kind: string; error?: string }>)[1]).toMatchObject({
				kind: 'xml',
				error: 'the content is not a XML file',
			});
		});

		it("6. InvoiCy's other shapes: a top-level list of returns, a lower-case wrapper, EventosItem, a CNPJ as a number", async () => {
			const document = (id: string) => ({
				...sample('invoicy-nfse-authorized').documento,
				DocIDUnico: id,
			});
			const returns = [
				{
					Codigo: 100,
					Descricao: 'Documentos processados',
					Documentos: [document(`drift-6a-${version}`)],
				},
				{
					Codigo: 100,
					Descricao: 'Documentos processados',
					documentos: [document(`drift-6b-${version}`)],
				},
			];
			const listed = await items(HOOKS.nfse, returns, AUTH.bearer);
			expect(listed.map((item) => item.json.documentId)).toEqual([
				`drift-6a-${version}`,
				`drift-6b-${version}`,
			]);

			const cancelled = sample('invoicy-nfse-cancelled');
			cancelled.documento.Eventos = { EventosItem: cancelled.documento.Eventos };
			cancelled.documento.Resumo.DocCNPJEmitente = 1222333000181;
			const [item] = await items(HOOKS.nfse, { DOCUMENTO: cancelled.documento }, AUTH.bearer);
			expect((item.json.events as unknown[]).length).toBe(1);
			expect((item.json.issuer as { taxId: string }).taxId).toBe('01222333000181');
		});

		it('7. NFS-e Nacional: docIntegration 22, the 50-digit key beside a hash, notification type 16', async () => {
			const key = '43218080635497600014900000000000000012601234567891';
			const body = sample('invoicy-nfse-authorized');
			delete body.documento.DocIDUnico;
			delete body.documento.DocStatus;
			delete body.documento.DocSitCodigo;
			delete body.documento.DocSitDescricao;
			body.documento.TipoNotificacaoWebHook = 16;
			body.documento.DocIntegracao = 22;
			body.documento.DocChaAcesso = `Drift${version}Hash+DFkiROvZc55MO7XTJm0=`;
			body.documento.NFSe.NFSeCodVerificacao = key;
			const [item] = await items(HOOKS.nfse, body, AUTH.bearer);
			expect(item.json).toMatchObject({
				documentId: body.documento.DocChaAcesso,
				status: 'rejected',
				docIntegration: 22,
				integrationSource: 'nationalEnvironment',
				nationalKey: key,
			});
		});

		it("8. InvoiCy Basic: the token as typed, and base64 of user:password with echo's newline", async () => {
			const typed = sample('invoicy-nfse-authorized');
			typed.documento.DocIDUnico = `drift-8a-${version}`;
			expect((await items(HOOKS.typed, typed, AUTH.typed))[0].json.documentId).toBe(
				`drift-8a-${version}`,
			);
			const wrong = await deliver(HOOKS.typed, typed, {
				authorization: `Basic ${SECRETS.typed}x`,
				runs: 0,
			});
			expect([wrong.status, wrong.executions]).toEqual([401, []]);

			const echoed = sample('invoicy-nfse-authorized');
			echoed.documento.DocIDUnico = `drift-8b-${version}`;
			expect((await items(HOOKS.basic, echoed, AUTH.echoed))[0].json.documentId).toBe(
				`drift-8b-${version}`,
			);
		});

		it('9. links to private addresses are not fetched unless allowed; n8n 2.x also applies its own egress rules', async () => {
			const hitsBefore = files.requests.length;
			const body = {
				...sample('ilink-new-document'),
				id: `drift-9-${version}`,
				attachments: [
					{ type: 'pdf', file: files.url('/doc.pdf') },
					{ type: 'xml', file: `http://${BLOCKED_BY_N8N}/doc.xml` },
				],
			};
			const [item] = await items(HOOKS.documents, body, AUTH.iLink);
			expect(files.requests.length).toBe(hitsBefore);
			expect(item.binary).toBeUndefined();
			const [pdf, xml] = item.json.files as Array<{ url: string; error: string }>;
			expect(pdf).toMatchObject({
				url: files.url('/doc.pdf'),
				error: expect.stringMatching(/private address \(127\.0\.0\.1\).*Allow Private Addresses/),
			});
			// 2.x: n8n's egress filter refuses the name it is told to block; 1.x has none, so the
			// download is tried and fails (the name does not resolve).
			expect(xml.error).toMatch(
				version.startsWith('2.') ? /^n8n's egress rules refuse the link/ : /^download failed/,
			);

			// The workflow that allows private addresses fetches the same link (test 5 used it too).
			const allowed = sample('invoicy-nfse-authorized');
			allowed.documento.DocIDUnico = `drift-9b-${version}`;
			delete allowed.documento.DocPDF;
			allowed.documento.DocPDFLink = files.url('/doc.pdf');
			const [fetched] = await items(HOOKS.nfse, allowed, AUTH.bearer);
			expect(n8n.binaryBuffer(fetched.binary!.pdf)).toEqual(MINIMAL_PDF);
		});
	},
};
