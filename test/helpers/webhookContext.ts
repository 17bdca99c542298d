/**
 * A faithful fake of n8n's webhook context (IWebhookFunctions), built once for every unit test.
 *
 * Where n8n-workflow has the real piece it is used: node parameters are resolved with
 * NodeHelpers.getNodeParameters (defaults filled in as n8n does when it loads a workflow), static
 * data is an ObservableObject (n8n saves it only when it reports a change). The request is
 * parsed the way n8n's body-parser middleware does (packages/cli/src/middlewares/body-parser.ts):
 * `application/json` is parsed, `text/plain` stays a string, other types leave `{}` with the
 * raw bytes in `rawBody`. The response records what the node wrote, and `deliver()` answers as
 * n8n's webhook helpers do when the node wrote nothing (200 and an execution iff workflowData).
 *
 * After webhook() returns, `deliver()` replays n8n's hand-over in its order (see `handOver`):
 * static data read afresh for each call and written back only when marked changed, the
 * execution written with the trigger's items, the answer, and the response's `close` event.
 */
import type {
	IBinaryData,
	IDataObject,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IWebhookFunctions,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { EventEmitter } from 'node:events';
import { NodeHelpers, ObservableObject } from 'n8n-workflow';

export interface FakeRequest {
	/** Raw body text, or an object to send as JSON. */
	body?: string | object | Buffer;
	/** Content type header; defaults to application/json. `null` sends none. */
	contentType?: string | null;
	headers?: Record<string, string | string[]>;
	ip?: string;
}

export interface FakeSetup {
	parameters?: INodeParameters;
	/** Credentials by type; a type that is absent throws as n8n does when none is selected. */
	credentials?: Record<string, IDataObject>;
	mode?: WorkflowExecuteMode;
	/** Shared between deliveries to simulate the persisted workflow static data. */
	staticData?: IDataObject;
	workflowId?: string;
	nodeId?: string;
	nodeName?: string;
	/** Replaces n8n helpers (e.g. a prepareBinaryData that fails, as a full disk would). */
	helpers?: Partial<IWebhookFunctions['helpers']>;
	/**
	 * Which n8n's hand-over to replay: '2.x' (default; answers after writing the execution) or
	 * '1.x' (answers *Respond: Immediately* first, then writes the execution).
	 */
	n8n?: '1.x' | '2.x';
	/** n8n fails to write the execution (a locked database): 2.x answers 500 and saves nothing. */
	executionWriteFails?: boolean;
	/** The connection drops before the answer is out (the sender sees no answer). */
	connectionDrops?: boolean;
}

export interface LogLine {
	level: string;
	message: string;
	meta?: IDataObject;
}

export interface DeliveryResult {
	status: number;
	headers: Record<string, string>;
	body: unknown;
	/** Whether n8n would start an execution. */
	started: boolean;
	/** workflowData per output (0 = documents, 1 = invalid). */
	outputs: INodeExecutionData[][];
	logs: LogLine[];
	/** Whether n8n saved the static data after the call (it does when the node changed it). */
	staticDataChanged: boolean;
}

/**
 * n8n's hand-over after webhook() returned, in the order of n8n's live-webhooks.js and
 * webhook-helpers.js (2.40.7 and 1.123.81), for what the node returned.
 */
function handOver(
	returned: { workflowData?: INodeExecutionData[][]; noWebhookResponse?: boolean },
	setup: FakeSetup,
	steps: { resetMark(): void; save(): void; answer(status: number): void },
): boolean {
	const writeExecution = () => {
		if (setup.executionWriteFails) throw new Error('SQLITE_BUSY: database is locked');
		JSON.stringify(returned.workflowData); // flatted serialises the items into the execution
	};
	if (!returned.workflowData || returned.noWebhookResponse) {
		steps.save();
		steps.answer(200);
		return false;
	}
	if (setup.n8n === '1.x') {
		steps.save();
		steps.answer(200);
		try {
			writeExecution();
			return true;
		} catch {
			return false; // the sender already has its 200
		}
	}
	steps.resetMark(); // WorkflowRunner's second Workflow over the same static data
	try {
		writeExecution();
	} catch {
		steps.answer(500);
		return false;
	}
	steps.save();
	steps.answer(200);
	return true;
}

/** n8n's body-parser: what `req.body` and `req.rawBody` hold when the node runs. */
function parseLikeN8n(request: FakeRequest): {
	body: unknown;
	rawBody: Buffer;
	contentType: string | null;
} {
	const contentType = request.contentType === undefined ? 'application/json' : request.contentType;
	const raw =
		request.body === undefined
			? Buffer.alloc(0)
			: Buffer.isBuffer(request.body)
				? request.body
				: Buffer.from(
						typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
					);
	let body: unknown = {};
	if (raw.length) {
		const type = contentType?.split(';')[0].trim();
		if (type === 'application/json') body = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
		else if (type === 'text/plain') body = raw.toString('utf8');
	}
	return { body, rawBody: raw, contentType };
}

/** n8n-core's prepareBinaryData in the default (in-memory) binary mode. */
async function prepareBinaryData(
	buffer: Buffer,
	fileName?: string,
	mimeType?: string,
): Promise<IBinaryData> {
	const extension = fileName?.includes('.') ? fileName.split('.').pop() : undefined;
	return {
		data: buffer.toString('base64'),
		mimeType: mimeType ?? 'application/octet-stream',
		fileType:
			mimeType === 'application/pdf' ? 'pdf' : mimeType?.includes('xml') ? 'xml' : undefined,
		fileName,
		fileExtension: extension,
		fileSize: `${buffer.length} B`,
	} as IBinaryData;
}

/**
 * n8n's httpRequest for what the nodes use: GET, arraybuffer, timeout, throws on non-2xx unless
 * ignoreHttpStatusErrors; disableFollowRedirect and returnFullResponse as n8n answers them.
 */
async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const response = await fetch(options.url, {
		method: options.method ?? 'GET',
		signal: AbortSignal.timeout(options.timeout ?? 300_000),
		redirect: options.disableFollowRedirect ? 'manual' : 'follow',
	});
	if (!response.ok && !options.ignoreHttpStatusErrors)
		throw new Error(`Request failed with status code ${response.status}`);
	const body =
		options.encoding === 'arraybuffer'
			? Buffer.from(await response.arrayBuffer())
			: await response.text();
	if (!options.returnFullResponse) return body;
	return {
		body,
		headers: Object.fromEntries(response.headers.entries()),
		statusCode: response.status,
		statusMessage: response.statusText,
	};
}

export async function deliver(
	node: INodeType,
	request: FakeRequest,
	setup: FakeSetup = {},
): Promise<DeliveryResult> {
	const { body, rawBody, contentType } = parseLikeN8n(request);
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(request.headers ?? {}))
		headers[name.toLowerCase()] = value;
	if (contentType) headers['content-type'] = contentType;
	if (rawBody.length) headers['content-length'] = String(rawBody.length);

	const description = node.description;
	const nodeParameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			setup.parameters ?? {},
			true,
			false,
			{ typeVersion: 1 },
			description,
		) ?? {};
	// n8n reads the static data from its database for every call and writes it back as JSON.
	const database = setup.staticData ?? {};
	const loaded = JSON.parse(JSON.stringify(database)) as IDataObject;
	// The workflow's static data, with this node's under `node:<name>` as Workflow.getStaticData
	// keeps it: the node's changes mark the workflow's object, which is what n8n checks.
	const workflowStatic = { 'node:Trigger': loaded };
	const workflowStaticProxy = ObservableObject.create(workflowStatic) as IDataObject & {
		__dataChanged?: boolean;
	};
	const nodeStatic = workflowStaticProxy['node:Trigger'] as IDataObject;
	const logs: LogLine[] = [];

	const response = {
		statusCode: 0,
		headers: {} as Record<string, string>,
		body: undefined as unknown,
		ended: false,
	};
	const responseObject = Object.assign(new EventEmitter(), {
		statusCode: 200,
		writableFinished: false,
		closed: false,
		status(code: number) {
			response.statusCode = code;
			return this;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return this;
		},
		json(value: unknown) {
			response.body = value;
			response.headers['content-type'] ??= 'application/json';
			response.ended = true;
			return this;
		},
		send(value: unknown) {
			response.body = value;
			response.ended = true;
			return this;
		},
		end() {
			response.ended = true;
			return this;
		},
	});

	const getParameter = (path: string, fallback?: unknown) => {
		const value = path
			.split('.')
			.reduce<unknown>(
				(current, key) => (current as IDataObject | undefined)?.[key],
				nodeParameters,
			);
		return value === undefined ? fallback : value;
	};

	const ctx = {
		getNode: () => ({
			id: setup.nodeId ?? 'node-1',
			name: setup.nodeName ?? description.defaults.name ?? 'Trigger',
			type: `n8n-nodes-ilink-invoicy.${description.name}`,
			typeVersion: 1,
			position: [0, 0],
			parameters: nodeParameters,
		}),
		getWorkflow: () => ({
			id: setup.workflowId ?? 'workflow-1',
			name: 'Test workflow',
			active: true,
		}),
		getMode: () => setup.mode ?? 'webhook',
		getWebhookName: () => 'default',
		getNodeParameter: getParameter,
		getCredentials: async (type: string) => {
			const credential = setup.credentials?.[type];
			if (!credential) throw new Error(`Node does not have any credentials set for "${type}"`);
			return credential;
		},
		getHeaderData: () => headers,
		getBodyData: () => body,
		getQueryData: () => ({}),
		getRequestObject: () => ({
			headers,
			body,
			rawBody,
			ip: request.ip ?? '127.0.0.1',
			method: 'POST',
		}),
		getResponseObject: () => responseObject,
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error('only node static data is faked');
			return nodeStatic;
		},
		logger: {
			debug: (message: string, meta?: IDataObject) => logs.push({ level: 'debug', message, meta }),
			info: (message: string, meta?: IDataObject) => logs.push({ level: 'info', message, meta }),
			warn: (message: string, meta?: IDataObject) => logs.push({ level: 'warn', message, meta }),
			error: (message: string, meta?: IDataObject) => logs.push({ level: 'error', message, meta }),
		},
		helpers: {
			prepareBinaryData,
			httpRequest,
			returnJsonArray: (data: IDataObject[]) => data.map((json) => ({ json })),
			...setup.helpers,
		},
	} as unknown as IWebhookFunctions;

	const result = await node.webhook!.call(ctx);
	let staticDataChanged = false;
	let answered = 200;
	const started = handOver(result, setup, {
		resetMark: () => ObservableObject.create(workflowStatic),
		save: () => {
			if (workflowStaticProxy.__dataChanged !== true) return;
			const saved = JSON.parse(JSON.stringify(nodeStatic)) as IDataObject;
			for (const key of Object.keys(database)) delete database[key];
			Object.assign(database, saved);
			staticDataChanged = true;
		},
		answer: (status) => {
			answered = result.noWebhookResponse ? response.statusCode : status;
			responseObject.statusCode = answered;
			responseObject.writableFinished = !setup.connectionDrops;
			responseObject.closed = true;
			responseObject.emit('close');
		},
	});
	if (result.noWebhookResponse) {
		if (!response.ended) throw new Error('node claimed to answer but wrote no response');
		return {
			status: response.statusCode,
			headers: response.headers,
			body: response.body,
			started: false,
			outputs: [],
			logs,
			staticDataChanged,
		};
	}
	return {
		status: answered,
		headers: {},
		body: result.webhookResponse ?? { message: 'Workflow was started' },
		started,
		outputs: result.workflowData ?? [],
		logs,
		staticDataChanged,
	};
}
