/**
 * Credentials and workflows the e2e suite imports into n8n. One workflow per trigger variant,
 * each trigger followed by a NoOp on its first output, with a fixed webhookId so the production
 * URL is /webhook/<webhookId>/<path>.
 */
import type { CredentialSpec, WorkflowSpec } from './harness';

export const PKG = 'n8n-nodes-ilink-invoicy';

export const SECRETS = {
	ilinkKey: 'e2e-ilink-access-key-0123456789',
	invoicyUser: 'e2e-user',
	invoicyPassword: 'e2e-pass:with:colons',
	invoicyToken: 'e2e-invoicy-token-abcdef',
};

export const CREDENTIALS: CredentialSpec[] = [
	{
		id: 'e2eCredILink0001',
		name: 'iLink e2e',
		type: 'iLinkAccessKeyApi',
		data: { accessKey: SECRETS.ilinkKey },
	},
	{
		id: 'e2eCredBasic0001',
		name: 'InvoiCy basic e2e',
		type: 'invoiCyBasicAuthApi',
		data: { user: SECRETS.invoicyUser, password: SECRETS.invoicyPassword },
	},
	{
		id: 'e2eCredBearer001',
		name: 'InvoiCy bearer e2e',
		type: 'invoiCyBearerTokenApi',
		data: { token: SECRETS.invoicyToken },
	},
];
const credRef = (type: string) => {
	const c = CREDENTIALS.find((x) => x.type === type)!;
	return { [type]: { id: c.id, name: c.name } };
};

export const PATHS = {
	newDocument: 'ilink-new-document',
	statusChange: 'ilink-document-status',
	nfse: 'invoicy-nfse',
} as const;

export interface Hook {
	/** Workflow id. */
	id: string;
	/** Name of the trigger node (its output is read from the execution by this name). */
	node: string;
	webhookId: string;
	path: string;
}

export function triggerWorkflow(
	hook: Hook,
	type: string,
	parameters: Record<string, unknown>,
	credentials?: Record<string, unknown>,
	next: Record<string, unknown> = { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
	typeVersion = 1, // what examples/ and older workflows hold; the editor adds 1.1
): WorkflowSpec {
	return {
		id: hook.id,
		name: `e2e ${hook.id}`,
		nodes: [
			{
				id: hook.webhookId.replace(/^e2e00000/, 'e2e00001'),
				name: hook.node,
				type: `${PKG}.${type}`,
				typeVersion,
				position: [0, 0],
				webhookId: hook.webhookId,
				parameters,
				...(credentials ? { credentials } : {}),
			},
			{
				id: hook.webhookId.replace(/^e2e00000/, 'e2e00002'),
				name: 'After',
				position: [300, 0],
				...next,
			},
		],
		connections: { [hook.node]: { main: [[{ node: 'After', type: 'main', index: 0 }], []] } },
		settings: { executionOrder: 'v1' },
	};
}

export const hook = (id: string, node: string, n: number, path: string): Hook => ({
	id,
	node,
	webhookId: `e2e00000-0000-4000-8000-${String(n).padStart(12, '0')}`,
	path,
});

// Duplicate detection is on by default; most cases resend the same samples, so it is off except
// in the workflow that tests it.
const noDedup = { ignoreDuplicates: false };
// iLink's attachments come from the test's file server on 127.0.0.1: private addresses allowed.
const fromTestServer = { ...noDedup, allowPrivateAddresses: true };

export const HOOKS = {
	newDocument: hook('e2eWfNewDoc00001', 'New Document', 1, PATHS.newDocument),
	statusChange: hook('e2eWfStatus00001', 'Status', 2, PATHS.statusChange),
	statusChangeAccepted: hook('e2eWfStatusAcc01', 'Status accepted', 3, PATHS.statusChange),
	nfseNone: hook('e2eWfNfseNone001', 'NFS-e none', 4, PATHS.nfse),
	nfseBasic: hook('e2eWfNfseBasic01', 'NFS-e basic', 5, PATHS.nfse),
	nfseBearer: hook('e2eWfNfseBearer1', 'NFS-e bearer', 6, PATHS.nfse),
	newDocumentReject: hook('e2eWfNewDocRej01', 'New Document reject', 7, PATHS.newDocument),
	newDocumentDedup: hook('e2eWfNewDocDup01', 'New Document dedup', 8, PATHS.newDocument),
	newDocumentLastNode: hook('e2eWfNewDocLast1', 'New Document lastNode', 9, PATHS.newDocument),
	nfseNotices: hook('e2eWfNfseNotice1', 'NFS-e notices', 10, PATHS.nfse),
	newDocumentV11: hook('e2eWfNewDocV1101', 'New Document 1.1', 11, PATHS.newDocument),
};

export const WORKFLOWS: WorkflowSpec[] = [
	triggerWorkflow(
		HOOKS.newDocument,
		'iLinkNewDocumentTrigger',
		{ options: { ...fromTestServer, downloadTimeout: 5 } },
		credRef('iLinkAccessKeyApi'),
	),
	triggerWorkflow(
		HOOKS.statusChange,
		'iLinkStatusChangeTrigger',
		{ options: fromTestServer },
		credRef('iLinkAccessKeyApi'),
	),
	triggerWorkflow(
		HOOKS.statusChangeAccepted,
		'iLinkStatusChangeTrigger',
		{ states: ['accepted'], options: fromTestServer },
		credRef('iLinkAccessKeyApi'),
	),
	triggerWorkflow(HOOKS.nfseNone, 'invoiCyNfseTrigger', {
		authentication: 'none',
		options: noDedup,
	}),
	triggerWorkflow(
		HOOKS.nfseBasic,
		'invoiCyNfseTrigger',
		{ authentication: 'basicAuth', options: noDedup },
		credRef('invoiCyBasicAuthApi'),
	),
	triggerWorkflow(
		HOOKS.nfseBearer,
		'invoiCyNfseTrigger',
		{ authentication: 'bearerToken', options: noDedup },
		credRef('invoiCyBearerTokenApi'),
	),
	// InvoiCy's account notifications asked for, and Reject With 422: a notification never gets one.
	triggerWorkflow(HOOKS.nfseNotices, 'invoiCyNfseTrigger', {
		authentication: 'none',
		options: {
			...noDedup,
			invalidPayload: 'reject',
			accountNotifications: ['certificate.expiring', 'issuing.stopped', 'notification.other'],
		},
	}),
	triggerWorkflow(
		HOOKS.newDocumentReject,
		'iLinkNewDocumentTrigger',
		{
			options: { ...noDedup, invalidPayload: 'reject', downloadAttachments: false, maxBodySize: 1 },
		},
		credRef('iLinkAccessKeyApi'),
	),
	triggerWorkflow(
		HOOKS.newDocumentDedup,
		'iLinkNewDocumentTrigger',
		{ options: { downloadAttachments: false } }, // ignoreDuplicates left at its default (true)
		credRef('iLinkAccessKeyApi'),
	),
	// responseMode lastNode, followed by a node that always fails: what does the sender get?
	triggerWorkflow(
		HOOKS.newDocumentLastNode,
		'iLinkNewDocumentTrigger',
		{ responseMode: 'lastNode', options: { ...noDedup, downloadAttachments: false } },
		credRef('iLinkAccessKeyApi'),
		{
			type: 'n8n-nodes-base.stopAndError',
			typeVersion: 1,
			parameters: { errorType: 'errorMessage', errorMessage: 'e2e: failing on purpose' },
		},
	),
	triggerWorkflow(
		HOOKS.newDocumentV11,
		'iLinkNewDocumentTrigger',
		{ options: { ...noDedup, downloadAttachments: false } },
		credRef('iLinkAccessKeyApi'),
		undefined,
		1.1,
	),
];

export const hookPath = (h: Hook) => `/webhook/${h.webhookId}/${h.path}`;
