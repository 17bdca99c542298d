/**
 * Workflows for the load and fault tests (test/e2e/reliability.test.ts). Separate from the e2e
 * suite's workflows.ts: the reliability run starts its own n8n with only these.
 */
import type { CredentialSpec, WorkflowSpec } from './harness';

const PKG = 'n8n-nodes-ilink-invoicy';

export const RELIABILITY_KEY = 'reliability-ilink-access-key-0123456789';

export const RELIABILITY_CREDENTIALS: CredentialSpec[] = [
	{
		id: 'relCredILink0001',
		name: 'iLink reliability',
		type: 'iLinkAccessKeyApi',
		data: { accessKey: RELIABILITY_KEY },
	},
];
const RELIABILITY_CREDENTIAL_REF = {
	iLinkAccessKeyApi: { id: 'relCredILink0001', name: 'iLink reliability' },
};

export interface RelHook {
	id: string;
	node: string;
	webhookId: string;
	path: string;
}

export const REL_HOOKS = {
	/** Respond Immediately, Ignore Repeated Deliveries at its default (on), no downloads → NoOp. */
	immediate: {
		id: 'relWfImmediate01',
		node: 'New Document',
		webhookId: 'e2e0ae11-0000-4000-8000-000000000001',
		path: 'ilink-new-document',
	},
	/** Respond When Workflow Finishes, duplicates option at its default → HTTP Request to the sink. */
	lastNode: {
		id: 'relWfLastNode001',
		node: 'New Document',
		webhookId: 'e2e0ae11-0000-4000-8000-000000000002',
		path: 'ilink-new-document',
	},
} satisfies Record<string, RelHook>;

export const relHookPath = (h: RelHook) => `/webhook/${h.webhookId}/${h.path}`;

/** An iLink New Document trigger node with the reliability credential. */
export function relTrigger(h: RelHook, nodeId: string, parameters: Record<string, unknown>) {
	return {
		id: nodeId,
		name: h.node,
		type: `${PKG}.iLinkNewDocumentTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: h.webhookId,
		parameters,
		credentials: RELIABILITY_CREDENTIAL_REF,
	};
}

/** The workflows, with the lastNode one POSTing `{ documentId }` to `sinkUrl`. */
export function reliabilityWorkflows(sinkUrl: string): WorkflowSpec[] {
	const immediate = REL_HOOKS.immediate;
	const lastNode = REL_HOOKS.lastNode;
	return [
		{
			id: immediate.id,
			name: 'reliability: respond immediately',
			nodes: [
				relTrigger(immediate, 'e2e0ae12-0000-4000-8000-000000000001', {
					responseMode: 'onReceived',
					options: { downloadAttachments: false },
				}),
				{
					id: 'e2e0ae13-0000-4000-8000-000000000001',
					name: 'After',
					type: 'n8n-nodes-base.noOp',
					typeVersion: 1,
					position: [300, 0],
					parameters: {},
				},
			],
			connections: {
				[immediate.node]: { main: [[{ node: 'After', type: 'main', index: 0 }], []] },
			},
			settings: { executionOrder: 'v1' },
		},
		{
			id: lastNode.id,
			name: 'reliability: respond when workflow finishes',
			nodes: [
				relTrigger(lastNode, 'e2e0ae12-0000-4000-8000-000000000002', {
					responseMode: 'lastNode',
					options: { downloadAttachments: false },
				}),
				{
					id: 'e2e0ae13-0000-4000-8000-000000000002',
					name: 'Process',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [300, 0],
					parameters: {
						method: 'POST',
						url: sinkUrl,
						sendBody: true,
						specifyBody: 'json',
						jsonBody: '={{ JSON.stringify({ documentId: $json.documentId }) }}',
						options: {},
					},
				},
			],
			connections: {
				[lastNode.node]: { main: [[{ node: 'Process', type: 'main', index: 0 }], []] },
			},
			settings: { executionOrder: 'v1' },
		},
	];
}
