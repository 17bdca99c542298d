/**
 * Workflows for the queue-mode suite (queue.test.ts): the reliability workflows, plus one whose
 * steps after the trigger read the downloaded files, so that they run in the worker.
 */
import type { WorkflowSpec } from './harness';
import { type RelHook, reliabilityWorkflows, relTrigger } from './reliabilityWorkflows';

/**
 * Respond Immediately, Download Attachments on → SHA-256 of the PDF, and of the XML (two branches:
 * n8n's Crypto node does not pass the binary data on).
 */
export const FILES_HOOK: RelHook = {
	id: 'queueWfFiles0001',
	node: 'New Document',
	webhookId: 'e2e0ae11-0000-4000-8000-000000000003',
	path: 'ilink-new-document',
};

/** n8n's Crypto node hashing one binary property of the item (reads the bytes where it runs). */
function hashOf(kind: 'pdf' | 'xml', id: string, x: number) {
	return {
		id,
		name: `Hash ${kind}`,
		type: 'n8n-nodes-base.crypto',
		typeVersion: 1,
		position: [x, 0],
		parameters: {
			action: 'hash',
			type: 'SHA256',
			binaryData: true,
			binaryPropertyName: kind,
			dataPropertyName: `${kind}Sha256`,
			encoding: 'hex',
		},
	};
}

export function queueWorkflows(sinkUrl: string): WorkflowSpec[] {
	return [
		...reliabilityWorkflows(sinkUrl),
		{
			id: FILES_HOOK.id,
			name: 'queue: files reach the worker',
			nodes: [
				relTrigger(FILES_HOOK, 'e2e0ae12-0000-4000-8000-000000000003', {
					responseMode: 'onReceived',
					// The test's file server is on 127.0.0.1.
					options: { downloadAttachments: true, allowPrivateAddresses: true },
				}),
				hashOf('pdf', 'e2e0ae13-0000-4000-8000-000000000003', 300),
				hashOf('xml', 'e2e0ae14-0000-4000-8000-000000000003', 300),
			],
			connections: {
				[FILES_HOOK.node]: {
					main: [
						[
							{ node: 'Hash pdf', type: 'main', index: 0 },
							{ node: 'Hash xml', type: 'main', index: 0 },
						],
						[],
					],
				},
			},
			settings: { executionOrder: 'v1' },
		},
	];
}
