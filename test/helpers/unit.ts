/**
 * Shared set-up for the unit suite: every registered trigger's node by its key (test/helpers/
 * senders.ts), the right credentials, a `send()` that delivers a body to a node with the right
 * Authorization unless told otherwise, and the item field lists of the public contract.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { sample } from './fixtures';
import { TRIGGERS, triggerNode } from './senders';
import { deliver, type DeliveryResult, type FakeSetup } from './webhookContext';

/** A trigger's key in its sender.json: iLinkNewDocument, iLinkStatusChange, invoiCyNfse ... */
export type NodeKind = string;

export const NODES: Record<NodeKind, INodeType> = Object.fromEntries(
	TRIGGERS.map(({ sender, trigger }) => [trigger.key, triggerNode(sender, trigger)]),
);
export const NODE_KINDS: NodeKind[] = Object.keys(NODES);

/** A trigger's typical delivery: the first of its samples in its sender.json. */
export function typicalSample(kind: NodeKind): Record<string, any> {
	const found = TRIGGERS.find(({ trigger }) => trigger.key === kind);
	if (!found) throw new Error(`no registered trigger has the key ${kind}`);
	return sample(found.trigger.samples[0]);
}

/** Secrets distinctive enough that finding them anywhere (logs, bodies, items) is meaningful. */
export const SECRETS = {
	iLinkKey: 'ilk-Secr3tAccessKey-7f3a9c1e5b2d4086',
	invoiCyToken: 'inv-Secr3tBearer-0c1d2e3f4a5b6c7d',
	basicUser: 'invoicy-user-8842',
	basicPassword: 'Secr3t-Pa55word-e9d8c7',
};

export const RIGHT_CREDENTIALS: Record<string, IDataObject> = {
	iLinkAccessKeyApi: { accessKey: SECRETS.iLinkKey },
	invoiCyBearerTokenApi: { token: SECRETS.invoiCyToken },
	invoiCyBasicAuthApi: { user: SECRETS.basicUser, password: SECRETS.basicPassword },
};

export const basicHeader = (user: string, password: string) =>
	`Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

export type InvoiCyAuth = 'none' | 'basicAuth' | 'bearerToken';

/** The Authorization header the sender sends for a node set up with the right credential. */
export function rightAuthorization(
	kind: NodeKind,
	invoiCyAuth: InvoiCyAuth = 'bearerToken',
): string | undefined {
	if (kind !== 'invoiCyNfse') return `Bearer ${SECRETS.iLinkKey}`;
	if (invoiCyAuth === 'bearerToken') return `Bearer ${SECRETS.invoiCyToken}`;
	if (invoiCyAuth === 'basicAuth') return basicHeader(SECRETS.basicUser, SECRETS.basicPassword);
	return undefined;
}

export const isILink = (kind: NodeKind) => kind !== 'invoiCyNfse';

/** Triggers whose sender posts JSON lists of documents (their definition has `parseList`). */
export const readsJsonLists = (kind: NodeKind) => kind === 'invoiCyNfse';

let workflowCounter = 0;
/** A workflow id no other delivery used, so that duplicate memory never links unrelated tests. */
export const freshWorkflowId = () => `wf-unit-${process.pid}-${++workflowCounter}`;

export interface SendOptions {
	/** The Authorization header: undefined sends the right one, null sends none. */
	authorization?: string | string[] | null;
	headers?: Record<string, string | string[]>;
	contentType?: string | null;
	ip?: string;
	/** Top-level node parameters (InvoiCy `authentication` defaults to bearerToken here). */
	parameters?: INodeParameters;
	/**
	 * `options` collection. `downloadAttachments` is false unless given, so that the samples'
	 * real iLink and InvoiCy URLs are never fetched; `allowPrivateAddresses` is true unless
	 * given, because the tests' file servers listen on 127.0.0.1.
	 */
	options?: IDataObject;
	/** Credentials by type; default: the right ones for every type. */
	credentials?: Record<string, IDataObject>;
	mode?: WorkflowExecuteMode;
	staticData?: IDataObject;
	/** Default: a fresh workflow id per delivery (no duplicate memory shared). */
	workflowId?: string;
	nodeId?: string;
	helpers?: FakeSetup['helpers'];
	/** n8n's hand-over after the node returned: which n8n, and what fails in it. */
	handOver?: Pick<FakeSetup, 'n8n' | 'executionWriteFails' | 'connectionDrops'>;
}

export function setupFor(kind: NodeKind, opts: SendOptions = {}) {
	const parameters: INodeParameters = {
		...(kind === 'invoiCyNfse' ? { authentication: 'bearerToken' } : {}),
		...(opts.parameters ?? {}),
	};
	parameters.options = {
		downloadAttachments: false,
		allowPrivateAddresses: true,
		...((opts.parameters?.options as IDataObject | undefined) ?? {}),
		...(opts.options ?? {}),
	};
	return {
		parameters,
		credentials: opts.credentials ?? RIGHT_CREDENTIALS,
		mode: opts.mode,
		staticData: opts.staticData,
		workflowId: opts.workflowId ?? freshWorkflowId(),
		nodeId: opts.nodeId,
		helpers: opts.helpers,
		...opts.handOver,
	};
}

/** Delivers `body` to the node of `kind`, as its sender would, with the right credential by default. */
export async function send(
	kind: NodeKind,
	body: unknown,
	opts: SendOptions = {},
): Promise<DeliveryResult> {
	const setup = setupFor(kind, opts);
	const headers: Record<string, string | string[]> = { ...(opts.headers ?? {}) };
	const authorization =
		opts.authorization === undefined
			? rightAuthorization(
					kind,
					(setup.parameters.authentication as InvoiCyAuth | undefined) ?? 'bearerToken',
				)
			: opts.authorization;
	if (authorization !== null && authorization !== undefined) headers.authorization = authorization;
	const node = NODES[kind];
	if (!node) throw new Error(`no registered trigger has the key ${kind}`);
	return deliver(
		node,
		{
			body: body as string | object | Buffer | undefined,
			contentType: opts.contentType,
			headers,
			ip: opts.ip,
		},
		setup,
	);
}

/** Asserts an accepted delivery that started the workflow with exactly one document item; returns it. */
export function expectOneDocument(result: DeliveryResult): INodeExecutionData {
	expect(result.status).toBe(200);
	expect(result.started).toBe(true);
	expect(result.outputs).toHaveLength(2);
	expect(result.outputs[0]).toHaveLength(1);
	expect(result.outputs[1]).toHaveLength(0);
	return result.outputs[0][0];
}

/** Asserts a delivery that went to the Invalid output; returns the item. */
export function expectInvalid(result: DeliveryResult): INodeExecutionData {
	expect(result.status).toBe(200);
	expect(result.started).toBe(true);
	expect(result.outputs).toHaveLength(2);
	expect(result.outputs[0]).toHaveLength(0);
	expect(result.outputs[1]).toHaveLength(1);
	return result.outputs[1][0];
}

/** Asserts an answer that did not start the workflow. */
export function expectNotStarted(result: DeliveryResult, status: number) {
	expect(result.status).toBe(status);
	expect(result.started).toBe(false);
	expect(result.outputs).toEqual([]);
}

/** The contract's core item fields (names persisted in users' workflows: never renamed). */
export const CORE_FIELDS = [
	'source',
	'event',
	'documentId',
	'documentNumber',
	'documentType',
	'status',
	'statusCode',
	'statusDescription',
	'issuer',
	'recipient',
	'issueDate',
	'totalAmount',
	'currency',
	'files',
	'raw',
	'receivedAt',
	'deliveryKey',
] as const;

export const ILINK_EXTRA_FIELDS = [
	'documentTypeCode',
	'direction',
	'ediStatus',
	'atcud',
	'dueDate',
	'reasons',
];

export const INVOICY_EXTRA_FIELDS = [
	'series',
	'nfseNumber',
	'verificationCode',
	'protocol',
	'accessKey',
	'authorizedAt',
	'docStatus',
	'notificationType',
	'cityHallUrl',
	'events',
	'nationalKey',
	'docIntegration',
	'integrationSource',
];

export const INVALID_ITEM_FIELDS = ['source', 'event', 'errors', 'raw', 'receivedAt'];

/** The item's json without the fields that differ per delivery (raw body, arrival time). */
export function stableFields(json: IDataObject): IDataObject {
	const { raw: _raw, receivedAt: _receivedAt, ...rest } = json;
	return rest;
}

/** Asserts an ISO timestamp taken during the test (between `before` and now). */
export function expectRecentIso(value: unknown, before: number) {
	expect(typeof value).toBe('string');
	const time = Date.parse(value as string);
	expect(new Date(time).toISOString()).toBe(value);
	expect(time).toBeGreaterThanOrEqual(before - 5);
	expect(time).toBeLessThanOrEqual(Date.now() + 5);
}

/** A minimal but real one-page PDF. */
export const MINIMAL_PDF = Buffer.from(
	'%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
	'latin1',
);

export const MINIMAL_XML = Buffer.from(
	'<?xml version="1.0" encoding="UTF-8"?><Invoice><ID>FT 2025/123</ID></Invoice>',
	'utf8',
);

/** Every string the log lines, response body and item of a delivery contain, for leak checks. */
export function everythingVisible(result: DeliveryResult): string {
	return JSON.stringify({
		logs: result.logs,
		body: result.body,
		headers: result.headers,
		items: result.outputs.map((output) => output.map((item) => item.json)),
	});
}

export { rawWithFileMarkers } from './rawMarkers';
