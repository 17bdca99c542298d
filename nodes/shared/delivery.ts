import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { challenge, isAuthorized, type ExpectedAuthorization } from './auth';
import { markChangedAfterHandOver, rememberDelivery } from './duplicates';
import { attachFiles } from './files';
import { IpAllowList, splitEntries } from './ipAllowList';
import { reply } from './responses';
import { readOptions, type TriggerOptions } from './options';
import type { ParsedDocument, ParseResult, PayloadIssue } from './types';

/** What one trigger node adds to the shared delivery pipeline. */
export interface TriggerDefinition {
	/** Sender name for log lines and the `WWW-Authenticate` realm. */
	sender: 'iLink' | 'InvoiCy';
	source: 'ilink' | 'invoicy';
	event: string;
	/** The Authorization the sender must send, from the node's credential; null when none is asked. */
	expectedAuthorization(ctx: IWebhookFunctions): Promise<ExpectedAuthorization | null>;
	/** Validates a JSON object body and maps it to documents. */
	parse(body: IDataObject): ParseResult;
	/** The node's own filter; documents it rejects are answered 200 without starting the workflow. */
	isWanted?(ctx: IWebhookFunctions, document: ParsedDocument): boolean;
	/** Named sets of sender addresses the user can allow with one click. */
	ipPresets?: Record<string, string[]>;
	/** Whether files that arrive as URLs are downloaded (the node's Download Attachments option). */
	downloadsAttachments?: boolean;
}

type WebhookRequest = ReturnType<IWebhookFunctions['getRequestObject']>;

const NON_JSON_TYPES = /(^multipart\/)|(\/|\+)xml$|^application\/x-www-form-urlencoded$/;

function isPlainObject(value: unknown): value is IDataObject {
	return (
		typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value)
	);
}

/**
 * The body as a JSON object, or null. n8n has already parsed `application/json`; a body sent
 * as text/plain or without a content type is parsed here, so a sender that mislabels its JSON
 * is still understood. XML, form and multipart bodies are not JSON objects.
 */
function readJsonObject(ctx: IWebhookFunctions, request: WebhookRequest): IDataObject | null {
	const contentType = String(request.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	// n8n reads the raw bytes of every non-multipart request; none means an empty body, which
	// n8n turns into `{}`, and an empty body is no JSON object.
	if (request.rawBody !== undefined && request.rawBody.length === 0) return null;
	const body: unknown = ctx.getBodyData();
	if (contentType === 'application/json') return isPlainObject(body) ? body : null;
	if (NON_JSON_TYPES.test(contentType)) return null;

	const text = typeof body === 'string' ? body : request.rawBody?.toString('utf8');
	if (!text) return null;
	try {
		const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
		return isPlainObject(parsed) ? parsed : null;
	} catch {
		return null;
	}
}

function bodySize(request: WebhookRequest): number {
	if (request.rawBody) return request.rawBody.length;
	const declared = Number(request.headers['content-length']);
	return Number.isFinite(declared) ? declared : 0;
}

function buildAllowList(
	ctx: IWebhookFunctions,
	definition: TriggerDefinition,
	options: TriggerOptions,
): IpAllowList {
	const unknownPresets = options.ipPresets.filter((preset) => !definition.ipPresets?.[preset]);
	if (unknownPresets.length) {
		// Fail closed: an unknown preset must not leave the list empty, which would allow anyone.
		throw new NodeOperationError(
			ctx.getNode(),
			`the allowed sender networks include unknown entries: ${unknownPresets.join(', ')}`,
		);
	}
	const entries = [
		...options.ipPresets.flatMap((preset) => definition.ipPresets?.[preset] ?? []),
		...splitEntries(options.allowedIps),
	];
	const parsed = IpAllowList.parse(entries);
	if ('invalid' in parsed) {
		throw new NodeOperationError(
			ctx.getNode(),
			`the IP allow-list has entries that are not IP addresses or CIDR ranges: ${parsed.invalid.join(', ')}`,
		);
	}
	return parsed.list;
}

/**
 * The shared life of a delivery, in the order of the contract's HTTP table: source address,
 * credential, size, JSON body, schema, the node's filter, duplicates, then items with files.
 * Every rejection is answered here and never starts the workflow.
 */
export async function receiveDelivery(
	ctx: IWebhookFunctions,
	definition: TriggerDefinition,
): Promise<IWebhookResponseData> {
	const receivedAt = new Date().toISOString();
	const node = ctx.getNode();
	const workflowId = ctx.getWorkflow().id;
	const logContext = { workflowId, nodeName: node.name, nodeType: node.type };
	const request = ctx.getRequestObject();
	const log = (level: 'warn' | 'error' | 'info', message: string, extra: IDataObject = {}) =>
		ctx.logger[level](`${definition.sender} trigger "${node.name}": ${message}`, {
			...logContext,
			...extra,
		});

	let options: TriggerOptions;
	let allowList: IpAllowList;
	let expected: ExpectedAuthorization | null;
	try {
		options = readOptions(ctx);
		allowList = buildAllowList(ctx, definition, options);
		expected = await definition.expectedAuthorization(ctx);
	} catch (error) {
		// Set-up problems are NodeOperationErrors whose message says what to fix.
		const reason =
			error instanceof NodeOperationError ? error.message : 'its settings could not be read';
		log('error', `rejected a delivery (HTTP 500) because ${reason}`);
		return reply.misconfigured(ctx);
	}

	if (!allowList.isEmpty && !allowList.allows(request.ip)) {
		log('warn', 'rejected a delivery (HTTP 403): source address not in the allow-list', {
			sourceAddress: request.ip,
		});
		return reply.forbidden(ctx);
	}

	if (expected && !isAuthorized(ctx.getHeaderData().authorization, expected)) {
		log(
			'warn',
			'rejected a delivery (HTTP 401): Authorization header missing or not matching the credential',
			{
				sourceAddress: request.ip,
			},
		);
		return reply.unauthorized(ctx, challenge(expected.scheme, definition.sender));
	}

	// n8n reads every body for a typeVersion 1 node, but for later versions only JSON, text, form
	// and XML ones: read the rest too (JSON sent without a content type is still understood).
	if (request.rawBody === undefined && !/^multipart\//i.test(request.headers['content-type'] ?? ''))
		await request.readRawBody?.();
	const size = bodySize(request);
	if (size > options.maxBodySizeMiB * 1024 * 1024) {
		log('warn', `rejected a delivery (HTTP 413): body of ${size} bytes is over the limit`);
		return reply.payloadTooLarge(ctx, options.maxBodySizeMiB);
	}

	const body = readJsonObject(ctx, request);
	if (!body) {
		log('warn', 'rejected a delivery (HTTP 400): the body is not a JSON object');
		return reply.badRequest(ctx, 'The request body must be a JSON object.');
	}

	const result = definition.parse(body);
	if (!result.valid)
		return invalidPayload(ctx, definition, options, result.issues, body, receivedAt, log);

	const wanted = result.documents.filter((doc) => definition.isWanted?.(ctx, doc) ?? true);
	if (wanted.length === 0) {
		log('info', 'accepted a delivery (HTTP 200) that the node filter leaves out; nothing started');
		return reply.acceptedNotStarted(ctx, 'Delivery accepted; the node filter leaves it out.');
	}

	const memory =
		options.ignoreDuplicates && remembersDeliveries(ctx, options)
			? { scope: memoryScope(ctx), staticData: ctx.getWorkflowStaticData('node') }
			: null;
	const fresh = memory ? dropDuplicates(memory, wanted) : wanted;
	if (fresh.length === 0) {
		log(
			'info',
			'accepted a repeated delivery (HTTP 200) of a document event already received; nothing started',
		);
		return reply.acceptedNotStarted(ctx, 'Duplicate delivery; already received.');
	}

	const items: INodeExecutionData[] = [];
	for (const document of fresh) {
		const { files, binary } = await attachFiles(ctx, document.files, document.fields, {
			download: definition.downloadsAttachments === true && options.downloadAttachments,
			downloadTimeoutMs: options.downloadTimeoutSeconds * 1000,
		});
		for (const file of files) {
			if (file.error) log('warn', `kept the delivery without its ${file.kind} file: ${file.error}`);
		}
		items.push({
			json: {
				source: definition.source,
				event: definition.event,
				...document.fields,
				files,
				raw: body,
				receivedAt,
			},
			...(Object.keys(binary).length ? { binary } : {}),
		});
	}
	if (memory) void markChangedAfterHandOver(memory.scope, memory.staticData);
	return { workflowData: [items, []] };
}

/**
 * Duplicate memory applies to production deliveries answered immediately. In "when the
 * workflow finishes" mode the sender retries only what did not get a 200, so every retry is let
 * through (at least once) rather than risk dropping a document whose first run failed; and
 * test deliveries from the editor are never remembered.
 */
function remembersDeliveries(ctx: IWebhookFunctions, options: TriggerOptions): boolean {
	return options.responseMode === 'onReceived' && ctx.getMode() === 'webhook';
}

/** Each trigger node remembers its own deliveries. */
const memoryScope = (ctx: IWebhookFunctions) => `${ctx.getWorkflow().id}/${ctx.getNode().id}`;

function dropDuplicates(
	memory: { scope: string; staticData: IDataObject },
	documents: ParsedDocument[],
): ParsedDocument[] {
	const now = Date.now();
	return documents.filter(
		(document) =>
			!rememberDelivery(memory.scope, memory.staticData, document.duplicateKey, now).duplicate,
	);
}

function invalidPayload(
	ctx: IWebhookFunctions,
	definition: TriggerDefinition,
	options: TriggerOptions,
	issues: PayloadIssue[],
	body: IDataObject,
	receivedAt: string,
	log: (level: 'warn', message: string, extra?: IDataObject) => void,
): IWebhookResponseData {
	const summary = issues
		.slice(0, 5)
		.map((issue) => `${issue.path || '(body)'}: ${issue.message}`)
		.join('; ');
	if (options.invalidPayload === 'reject') {
		log(
			'warn',
			`rejected a delivery (HTTP 422): it does not match the expected payload (${summary})`,
		);
		return reply.unprocessable(ctx, issues);
	}
	log(
		'warn',
		`sent a delivery to the Invalid output: it does not match the expected payload (${summary})`,
	);
	const item: INodeExecutionData = {
		json: {
			source: definition.source,
			event: definition.event,
			errors: issues,
			raw: body,
			receivedAt,
		},
	};
	return { workflowData: [[], [item]] };
}
