import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { challenge, isAuthorized, type ExpectedAuthorization } from './auth';
import { readDocumentDetails, type DetailsResult } from './details';
import { claimDeliveries, deliveryKeyHash, type Claim } from './duplicates';
import type { SenderFacts } from './facts';
import { attachFiles, withMarkers, type DecodedContent } from './files';
import { IpAllowList, splitEntries } from './ipAllowList';
import { capNesting } from './nesting';
import { reply } from './responses';
import { readOptions, type TriggerOptions } from './options';
import type { ParsedDocument, ParseResult, PayloadIssue } from './types';
import { isObject } from './values';

/** What one trigger node adds to the shared delivery pipeline, beside its sender's facts. */
export interface TriggerDefinition {
	facts: SenderFacts;
	event: string;
	/** The Authorization the sender must send, from the node's credential; null when none is asked. */
	expectedAuthorization(ctx: IWebhookFunctions): Promise<ExpectedAuthorization | null>;
	/** Validates a JSON object body and maps it to documents, judging each on its own. */
	parse(body: IDataObject): ParseResult;
	/** The same for a body that is a JSON list, for a sender that posts lists; without it a list is answered 400. */
	parseList?(body: unknown[]): ParseResult;
	/** The node's own filter; documents it rejects are answered 200 without starting the workflow. */
	isWanted?(ctx: IWebhookFunctions, document: ParsedDocument): boolean;
}

type WebhookRequest = ReturnType<IWebhookFunctions['getRequestObject']>;

const DAY_MS = 24 * 60 * 60 * 1000;

const NON_JSON_TYPES = /(^multipart\/)|(\/|\+)xml$|^application\/x-www-form-urlencoded$/;

/** A parsed JSON object; n8n hands some bodies over as a Buffer, which is no JSON object. */
const isJsonObject = (value: unknown): value is IDataObject =>
	isObject(value) && !Buffer.isBuffer(value);

/** A body the pipeline reads: a JSON object, or a JSON list where the sender posts lists. */
type DeliveryBody = IDataObject | unknown[];

/**
 * The body as a JSON object or list, or null. n8n has already parsed `application/json`; a body
 * sent as text/plain or without a content type is parsed here, so a sender that mislabels its
 * JSON is still understood. XML, form and multipart bodies are not JSON objects.
 */
function readJsonObject(ctx: IWebhookFunctions, request: WebhookRequest): DeliveryBody | null {
	const isBody = (value: unknown): value is DeliveryBody =>
		isJsonObject(value) || Array.isArray(value);
	const contentType = String(request.headers['content-type'] ?? '')
		.split(';')[0]
		.trim()
		.toLowerCase();
	// n8n reads the raw bytes of every non-multipart request; none means an empty body, which
	// n8n turns into `{}`, and an empty body is no JSON object.
	if (request.rawBody !== undefined && request.rawBody.length === 0) return null;
	const body: unknown = ctx.getBodyData();
	if (contentType === 'application/json') return isBody(body) ? body : null;
	if (NON_JSON_TYPES.test(contentType)) return null;

	const text = typeof body === 'string' ? body : request.rawBody?.toString('utf8');
	if (!text) return null;
	try {
		const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
		return isBody(parsed) ? parsed : null;
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
	const presetAddresses = (value: string) =>
		definition.facts.addressPresets.find((preset) => preset.value === value)?.addresses;
	const unknownPresets = options.ipPresets.filter((preset) => !presetAddresses(preset));
	if (unknownPresets.length) {
		// Fail closed: an unknown preset must not leave the list empty, which would allow anyone.
		throw new NodeOperationError(
			ctx.getNode(),
			`the allowed sender networks include unknown entries: ${unknownPresets.join(', ')}`,
		);
	}
	const entries = [
		...options.ipPresets.flatMap((preset) => presetAddresses(preset) ?? []),
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

type Log = (level: 'warn' | 'error' | 'info', message: string, extra?: IDataObject) => void;

/** One webhook call: what every step of the delivery reads. */
interface Delivery {
	ctx: IWebhookFunctions;
	definition: TriggerDefinition;
	log: Log;
	receivedAt: string;
	request: WebhookRequest;
}

/** What the node's settings say for this call. */
interface SetUp {
	options: TriggerOptions;
	allowList: IpAllowList;
	expected: ExpectedAuthorization | null;
}

/** At most this many issues are quoted in one log line. */
const ISSUES_LOGGED = 5;

const summarise = (issues: PayloadIssue[]) =>
	issues
		.slice(0, ISSUES_LOGGED)
		.map((issue) => `${issue.path || '(body)'}: ${issue.message}`)
		.join('; ');

/**
 * The shared life of a delivery, in the order of the contract's HTTP table: source address,
 * credential, size, JSON body, schema, the node's filter, duplicates, then items with files.
 * Every rejection is answered here and never starts the workflow; an unexpected error is logged
 * with its stack and answered with a generic 500.
 */
export async function receiveDelivery(
	ctx: IWebhookFunctions,
	definition: TriggerDefinition,
): Promise<IWebhookResponseData> {
	const node = ctx.getNode();
	const logContext = { workflowId: ctx.getWorkflow().id, nodeName: node.name, nodeType: node.type };
	const log: Log = (level, message, extra = {}) =>
		ctx.logger[level](`${definition.facts.sender} trigger "${node.name}": ${message}`, {
			...logContext,
			...extra,
		});
	const delivery: Delivery = {
		ctx,
		definition,
		log,
		receivedAt: new Date().toISOString(),
		request: ctx.getRequestObject(),
	};
	try {
		return await handleDelivery(delivery);
	} catch (error) {
		return unexpectedFailure(delivery, error);
	}
}

/** An error nothing expected: logged with its message and stack, answered with a generic 500. */
function unexpectedFailure({ ctx, log }: Delivery, error: unknown): IWebhookResponseData {
	const { message, stack } =
		error instanceof Error ? error : { message: String(error), stack: undefined };
	log('error', `failed on an unexpected error (HTTP 500): ${message}`, { error: message, stack });
	return reply.internalError(ctx);
}

/** What a delivery holds for the workflow: its body, the documents to emit, the invalid ones. */
interface Documents {
	body: DeliveryBody;
	documents: ParsedDocument[];
	invalid: PayloadIssue[][];
}

async function handleDelivery(delivery: Delivery): Promise<IWebhookResponseData> {
	const setUp = await readSetUp(delivery);
	if (!('options' in setUp)) return setUp;
	const refused = refuseSender(delivery, setUp) ?? (await refuseBody(delivery, setUp.options));
	if (refused) return refused;
	const read = readDocuments(delivery, setUp.options);
	if (!('documents' in read)) return read;
	const claim = await claimDuplicates(delivery, setUp.options, read.documents);
	const fresh = read.documents.filter((_, index) => !claim?.repeats[index]);
	if (fresh.length === 0 && read.invalid.length === 0) return answerRepeat(delivery, claim);
	return await handOver(delivery, setUp.options, { ...read, documents: fresh }, claim);
}

/** 400 for a body that is no JSON object; the Invalid output or 422; 200 for what the filter leaves out. */
function readDocuments(
	delivery: Delivery,
	options: TriggerOptions,
): Documents | IWebhookResponseData {
	const { ctx, definition, log } = delivery;
	const sent = readJsonObject(ctx, delivery.request);
	const parsed =
		sent && (Array.isArray(sent) ? definition.parseList?.(sent) : definition.parse(sent));
	if (!sent || !parsed) {
		log('warn', 'rejected a delivery (HTTP 400): the body is not a JSON object');
		return reply.badRequest(ctx, 'The request body must be a JSON object.');
	}
	const { documents, invalid } = parsed;
	// What raw keeps: a value nested too deep for n8n to store is a marker, with a warning.
	const { body, warnings: nestingWarnings } = capNesting(sent);
	for (const document of documents) document.warnings.push(...nestingWarnings);
	if (documents.length === 0) return invalidPayload(delivery, options, invalid, body);
	if (invalid.length) {
		log(
			'warn',
			`sent ${invalid.length} of ${documents.length + invalid.length} documents of a delivery to the Invalid output, the others to the main output (${summarise(invalid.flat())})`,
		);
	}
	const wanted = documents.filter((doc) => definition.isWanted?.(ctx, doc) ?? true);
	if (wanted.length === 0 && invalid.length === 0) {
		log('info', 'accepted a delivery (HTTP 200) that the node filter leaves out; nothing started');
		return reply.acceptedNotStarted(ctx, 'Delivery accepted; the node filter leaves it out.');
	}
	return { body, documents: wanted, invalid };
}

function answerRepeat(delivery: Delivery, claim: Claim | null): IWebhookResponseData {
	claim?.release();
	delivery.log(
		'info',
		'accepted a repeated delivery (HTTP 200) of a document event already received; nothing started',
	);
	return reply.acceptedNotStarted(delivery.ctx, 'Duplicate delivery; already received.');
}

/** The items, with their files, to n8n; the claimed keys are forgotten if that fails. */
async function handOver(
	delivery: Delivery,
	options: TriggerOptions,
	documents: Documents,
	claim: Claim | null,
): Promise<IWebhookResponseData> {
	let handedOver = false;
	try {
		const workflowData = await buildItems(delivery, options, documents);
		claim?.handOver(workflowData, delivery.ctx.getResponseObject(), () =>
			delivery.log(
				'warn',
				'n8n answered the delivery without saving the memory of repeated deliveries; the next accepted delivery saves it (until then, a restart would let a retry of this one run again)',
			),
		);
		handedOver = true;
		return { workflowData };
	} finally {
		if (!handedOver) claim?.release(); // nothing reached n8n: the sender's retry must run
	}
}

/** The node's settings; a set-up problem is answered 500 and logged with what to fix. */
async function readSetUp(delivery: Delivery): Promise<SetUp | IWebhookResponseData> {
	const { ctx, definition, log } = delivery;
	try {
		const options = readOptions(ctx);
		const allowList = buildAllowList(ctx, definition, options);
		const expected = await definition.expectedAuthorization(ctx);
		return { options, allowList, expected };
	} catch (error) {
		// Set-up problems are NodeOperationErrors whose message says what to fix.
		if (!(error instanceof NodeOperationError)) return unexpectedFailure(delivery, error);
		log('error', `rejected a delivery (HTTP 500) because ${error.message}`);
		return reply.misconfigured(ctx);
	}
}

/** 403 for an address outside the allow-list, 401 for a missing or wrong credential. */
function refuseSender(
	{ ctx, definition, log, request }: Delivery,
	{ allowList, expected }: SetUp,
): IWebhookResponseData | undefined {
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
			{ sourceAddress: request.ip },
		);
		return reply.unauthorized(ctx, challenge(expected.scheme, definition.facts.sender));
	}
	return undefined;
}

/** 413 for a body over the limit. */
async function refuseBody(
	{ ctx, log, request }: Delivery,
	options: TriggerOptions,
): Promise<IWebhookResponseData | undefined> {
	// n8n reads every body for a typeVersion 1 node, but for later versions only JSON, text, form
	// and XML ones: read the rest too (JSON sent without a content type is still understood).
	if (request.rawBody === undefined && !/^multipart\//i.test(request.headers['content-type'] ?? ''))
		await request.readRawBody?.();
	const size = bodySize(request);
	if (size <= options.maxBodySizeMiB * 1024 * 1024) return undefined;
	log('warn', `rejected a delivery (HTTP 413): body of ${size} bytes is over the limit`);
	return reply.payloadTooLarge(ctx, options.maxBodySizeMiB);
}

/**
 * Duplicate memory applies to production deliveries answered immediately. In "when the
 * workflow finishes" mode the sender retries only what did not get a 200, so every retry is let
 * through (at least once) rather than risk dropping a document whose first run failed; and
 * test deliveries from the editor are never remembered.
 */
async function claimDuplicates(
	{ ctx, definition }: Delivery,
	options: TriggerOptions,
	documents: ParsedDocument[],
): Promise<Claim | null> {
	if (!options.ignoreDuplicates || options.responseMode !== 'onReceived') return null;
	if (ctx.getMode() !== 'webhook') return null;
	return await claimDeliveries(
		{
			// Each trigger node remembers its own deliveries.
			scope: `${ctx.getWorkflow().id}/${ctx.getNode().id}`,
			staticData: ctx.getWorkflowStaticData('node'),
			maxAgeMs: definition.facts.retryWindowDays * DAY_MS,
		},
		documents.map(({ keys }) => keys),
	);
}

/** The items of the main output, each with its files, and those of the Invalid output. */
async function buildItems(
	delivery: Delivery,
	options: TriggerOptions,
	{ body, documents, invalid }: Documents,
): Promise<INodeExecutionData[][]> {
	const { ctx, definition, log, receivedAt } = delivery;
	const attached = [];
	const decoded: DecodedContent[] = [];
	for (const document of documents) {
		const files = await attachFiles(ctx, document.files, document.fields, {
			download: definition.facts.linksFiles && options.downloadAttachments,
			downloadTimeoutMs: options.downloadTimeoutSeconds * 1000,
			allowPrivateAddresses: options.allowPrivateAddresses,
		});
		for (const file of files.files) {
			if (file.error) log('warn', `kept the delivery without its ${file.kind} file: ${file.error}`);
		}
		if (document.warnings.length) {
			log(
				'warn',
				`accepted a document with ${document.warnings.length} field(s) not understood, set to null (${summarise(document.warnings)})`,
			);
		}
		decoded.push(...files.decoded);
		const details = options.documentDetails ? readDetails(delivery, files.bytes.xml) : undefined;
		attached.push({ document, ...files, details });
	}
	// The file bytes live in the binary properties; `raw` keeps a marker in their place.
	const raw = withMarkers(body, decoded);
	const items: INodeExecutionData[] = attached.map(({ document, files, binary, details }) => {
		const warnings = details?.warnings.length
			? [...document.warnings, ...details.warnings]
			: document.warnings;
		return {
			json: {
				source: definition.facts.source,
				event: document.event ?? definition.event,
				...document.fields,
				files,
				...(details ? { details: details.details } : {}),
				raw,
				receivedAt,
				deliveryKey: deliveryKeyHash(document.keys.key),
				...(warnings.length ? { warnings } : {}),
			},
			...(Object.keys(binary).length ? { binary } : {}),
		};
	});
	return [items, invalid.map((issues) => invalidItem(delivery, issues, raw))];
}

/**
 * Document Details: `details` from the document's XML (the bytes of its binary `xml`, as
 * decoded or downloaded), or null with the reader's warnings. Without an XML `details` is null
 * with no warning: the item's `files` already says whether the XML came and why not.
 */
function readDetails({ log }: Delivery, xml: Buffer | undefined): DetailsResult {
	if (!xml) return { details: null, warnings: [] };
	const result = readDocumentDetails(xml);
	if (result.warnings.length) {
		log(
			'warn',
			`read the document's details with ${result.warnings.length} warning(s)${result.details ? '; those values are null' : ''} (${summarise(result.warnings)})`,
		);
	}
	return result;
}

function invalidItem(
	{ definition, receivedAt }: Delivery,
	issues: PayloadIssue[],
	raw: DeliveryBody,
): INodeExecutionData {
	return {
		json: {
			source: definition.facts.source,
			event: definition.event,
			errors: issues,
			raw,
			receivedAt,
		},
	};
}

/** A delivery in which no document can be emitted: to the Invalid output, or a 422. */
function invalidPayload(
	delivery: Delivery,
	options: TriggerOptions,
	invalid: PayloadIssue[][],
	body: DeliveryBody,
): IWebhookResponseData {
	const summary = summarise(invalid.flat());
	if (options.invalidPayload === 'reject') {
		delivery.log(
			'warn',
			`rejected a delivery (HTTP 422): it does not match the expected payload (${summary})`,
		);
		return reply.unprocessable(delivery.ctx, invalid.flat());
	}
	delivery.log(
		'warn',
		`sent a delivery to the Invalid output: it does not match the expected payload (${summary})`,
	);
	return { workflowData: [[], invalid.map((issues) => invalidItem(delivery, issues, body))] };
}
