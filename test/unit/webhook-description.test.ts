/**
 * The triggers' webhook descriptions resolve without n8n's expression engine on n8n-workflow
 * 2.40+, and give exactly the answers the templates give through the engine, as n8n's own
 * Webhook node description test pins for that node (nodes-base Webhook/test/description.test.ts).
 * On an n8n-workflow without the helpers (n8n 1.x) the fields are the plain templates.
 */
import {
	WEBHOOK_RESOLVERS,
	Workflow,
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
	type IDataObject,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IWebhookDescription,
} from 'n8n-workflow';

import { responseModeProperty } from '../../nodes/shared/options';
import {
	TEMPLATE_RESPONSE_FIELDS,
	responseFieldsFor,
} from '../../nodes/shared/webhookResponseFields';
import { NODES, NODE_KINDS, type NodeKind } from '../helpers/unit';

const RESPOND_VALUES = (responseModeProperty.options ?? []).map(
	(option) => (option as { value: string }).value,
);

/** A workflow holding the node, so that its parameters get the defaults n8n applies. */
function workflowWith(kind: NodeKind, parameters: INodeParameters) {
	const nodeType = NODES[kind];
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType as INodeType,
		getByNameAndVersion: () => nodeType as INodeType,
		getKnownTypes: () => ({}) as IDataObject,
	};
	const workflow = new Workflow({
		id: 'wf-description',
		nodes: [
			{
				id: 'trigger-1',
				name: 'Trigger',
				type: `n8n-nodes-ilink-invoicy.${nodeType.description.name}`,
				typeVersion: 1,
				position: [0, 0],
				parameters,
			},
		],
		connections: {},
		active: true,
		nodeTypes,
	});
	return { workflow, node: workflow.getNode('Trigger')! };
}

const viaEngine = (kind: NodeKind, parameters: INodeParameters, template: unknown) => {
	const { workflow, node } = workflowWith(kind, parameters);
	return workflow.expression.getSimpleParameterValue(node, template as string, 'internal', {});
};

const webhookOf = (kind: NodeKind): IWebhookDescription => NODES[kind].description.webhooks![0];

const PARAMETER_SETS: Array<{ case: string; parameters: INodeParameters }> = [
	{ case: 'defaults only', parameters: {} },
	...RESPOND_VALUES.map((value) => ({
		case: `Respond: ${value}`,
		parameters: { responseMode: value, options: {} },
	})),
];

describe.each(NODE_KINDS)('%s webhook description', (kind) => {
	const description = webhookOf(kind);
	const resolvers = description[WEBHOOK_RESOLVERS]!;

	it('is fully resolvable without the expression engine', () => {
		expect(Object.keys(resolvers).sort()).toEqual(['responseData', 'responseMode']);
		expect(webhookDescriptionIsNativelyResolvable(description)).toBe(true);
	});

	it('keeps the template the editor evaluates for responseMode, and an inlined function for responseData', () => {
		expect(description.responseMode).toBe(TEMPLATE_RESPONSE_FIELDS.responseMode);
		expect(description.responseData).toMatch(/^=\{\{\(.+\)\(\$parameter\)\}\}$/s);
	});

	describe.each(PARAMETER_SETS)('$case', ({ parameters }) => {
		it.each(['responseMode', 'responseData'])(
			'%s: native resolver = its template through the engine = the 1.x template',
			(field) => {
				const { node } = workflowWith(kind, parameters);
				const native = resolveWebhookDescriptionField(node, description, field);
				expect(native.resolved).toBe(true);
				const value = native.resolved ? native.value : undefined;
				expect(value).toEqual(viaEngine(kind, parameters, description[field]));
				expect(value).toEqual(
					viaEngine(kind, parameters, TEMPLATE_RESPONSE_FIELDS[field as 'responseMode']),
				);
			},
		);
	});

	it('gives the answers the delivery pipeline relies on', () => {
		const resolve = (responseMode: string, field: string) =>
			resolvers[field].resolve(workflowWith(kind, { responseMode }).node.parameters);
		expect(resolve('onReceived', 'responseMode')).toBe('onReceived');
		expect(resolve('onReceived', 'responseData')).toBe('');
		expect(resolve('lastNode', 'responseMode')).toBe('lastNode');
		expect(resolve('lastNode', 'responseData')).toBe('noData');
	});

	it('leaves a Respond set by an expression to the engine, which still answers right', () => {
		const parameters = { responseMode: '={{ "lastNode" }}' };
		const { node } = workflowWith(kind, parameters);
		expect(resolveWebhookDescriptionField(node, description, 'responseData').resolved).toBe(false);
		expect(viaEngine(kind, parameters, description.responseData)).toBe('noData');
	});
});

describe('on an n8n-workflow without native resolvers (n8n 1.x)', () => {
	it('declares the plain templates, with no resolvers', () => {
		const fields = responseFieldsFor({});
		expect(fields).toEqual(TEMPLATE_RESPONSE_FIELDS);
		expect(Object.getOwnPropertySymbols(fields)).toEqual([]);
	});

	it('is what the triggers declare when n8n-workflow lacks the helpers', () => {
		jest.isolateModules(() => {
			jest.doMock('n8n-workflow', () => {
				const actual = jest.requireActual('n8n-workflow');
				const {
					webhookDescriptionFields: _fields,
					fromParameter: _parameter,
					fromFunction: _function,
					...without
				} = actual;
				return without;
			});
			const { deliveryWebhook } = require('../../nodes/shared/options');
			const description = deliveryWebhook('ilink-new-document') as IWebhookDescription;
			expect(description).toMatchObject(TEMPLATE_RESPONSE_FIELDS);
			expect(description[WEBHOOK_RESOLVERS]).toBeUndefined();
		});
		jest.dontMock('n8n-workflow');
	});
});
