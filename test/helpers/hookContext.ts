/**
 * A fake of n8n's hook context (IHookFunctions: what webhookMethods run in) for unit tests, with
 * real HTTP. Its httpRequestWithAuthentication follows n8n-core's
 * (execution-engine/node-execution-context/utils/request-helpers/authentication.ts, 2.40.7, and
 * the same in 1.123): the credential's preAuthentication runs when its expirable hidden field is
 * empty, n8n saves what it returns into the stored credential, then `authenticate` puts the
 * token in the header; `credentialsDecrypted` replaces the stored credential for one call. The
 * e2e suite checks the same against real n8n.
 */
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	INodeType,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { NodeHelpers, ObservableObject } from 'n8n-workflow';

import { InvoiCyApi } from '../../credentials/InvoiCyApi.credentials';

/** n8n's httpRequest for what the InvoiCy client uses (json, qs, full response, status errors). */
export async function httpRequest(options: IHttpRequestOptions): Promise<unknown> {
	const url = new URL(options.url, options.baseURL);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		url.searchParams.set(key, String(value));
	}
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) headers[key] = String(value);
	const hasBody = options.body !== undefined;
	if (hasBody) headers['content-type'] = 'application/json';
	const response = await fetch(url, {
		method: options.method ?? 'GET',
		headers,
		body: hasBody ? JSON.stringify(options.body) : undefined,
	});
	const text = await response.text();
	let body: unknown = text;
	if (options.json) {
		try {
			body = text ? JSON.parse(text) : '';
		} catch {
			body = text;
		}
	}
	if (!response.ok && !options.ignoreHttpStatusErrors) {
		const error = new Error(`Request failed with status code ${response.status}`);
		Object.assign(error, { response: { status: response.status, data: body } });
		throw error;
	}
	return options.returnFullResponse ? { statusCode: response.status, body } : body;
}

export interface HookSetup {
	parameters?: IDataObject;
	/** The stored credential (n8n's DB row); preAuthentication updates it in place. */
	credential: ICredentialDataDecryptedObject;
	/** Node static data, shared between calls (n8n persists it). */
	staticData: IDataObject;
	webhookUrl?: string;
	activation?: WorkflowActivateMode;
	workflowName?: string;
}

export interface HookRun {
	ctx: IHookFunctions;
	logs: Array<{ level: string; message: string }>;
	/** How many times n8n ran the credential's preAuthentication. */
	preAuthentications: () => number;
}

export const PRODUCTION_URL = 'http://127.0.0.1:5678/webhook/wh-1/invoicy-nfse';

export function hookContext(node: INodeType, setup: HookSetup): HookRun {
	const credentialType = new InvoiCyApi();
	const description = node.description;
	const parameters =
		NodeHelpers.getNodeParameters(
			description.properties,
			(setup.parameters ?? {}) as never,
			true,
			false,
			{ typeVersion: 1 },
			description,
		) ?? {};
	const nodeStatic = ObservableObject.create(setup.staticData);
	const logs: HookRun['logs'] = [];
	let preAuthentications = 0;
	const node_ = {
		id: 'node-1',
		name: 'InvoiCy NFS-e Status',
		type: `n8n-nodes-ilink-invoicy.${description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { invoiCyApi: { id: 'cred-1', name: 'InvoiCy API account' } },
	};
	const helpers = { httpRequest };

	async function httpRequestWithAuthentication(
		type: string,
		options: IHttpRequestOptions,
		additional?: { credentialsDecrypted?: { data?: ICredentialDataDecryptedObject } },
	) {
		if (type !== 'invoiCyApi') throw new Error(`unexpected credential type ${type}`);
		const credentials = additional?.credentialsDecrypted?.data ?? { ...setup.credential };
		if (credentials.accessToken === '') {
			preAuthentications++;
			const output = await credentialType.preAuthentication.call({ helpers }, credentials);
			Object.assign(setup.credential, output); // n8n's updateCredentials
			Object.assign(credentials, output);
		}
		const header = credentialType.authenticate.properties.headers!.Authorization;
		if (header !== '={{$credentials.accessToken}}') throw new Error('authenticate changed');
		return await httpRequest({
			...options,
			headers: { ...(options.headers ?? {}), Authorization: String(credentials.accessToken) },
		});
	}

	const log = (level: string) => (message: string) => logs.push({ level, message });
	const ctx = {
		getNode: () => node_,
		getWorkflow: () => ({
			id: 'workflow-1',
			name: setup.workflowName ?? 'NFS-e to ERP',
			active: true,
		}),
		getMode: () => 'trigger',
		getActivationMode: () => setup.activation ?? 'activate',
		getWebhookName: () => 'default',
		getNodeWebhookUrl: () => setup.webhookUrl ?? PRODUCTION_URL,
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getCredentials: async (type: string) => {
			if (type !== 'invoiCyApi') throw new Error(`no credential ${type}`);
			return { ...setup.credential };
		},
		getWorkflowStaticData: (type: string) => {
			if (type !== 'node') throw new Error('only node static data is faked');
			return nodeStatic;
		},
		logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
		helpers: { httpRequest, httpRequestWithAuthentication },
	} as unknown as IHookFunctions;
	return { ctx, logs, preAuthentications: () => preAuthentications };
}
