/**
 * The `responseMode` / `responseData` fields of the triggers' webhook description, declared so
 * that n8n can resolve them without its expression engine where it knows how.
 *
 * n8n-workflow 2.40 exports `webhookDescriptionFields`, `fromParameter` and `fromFunction`: each
 * field carries both its template (which the editor keeps evaluating) and a native resolver that
 * n8n's backend calls instead of the engine when the node's parameters hold no expression. With
 * N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true n8n then creates no expression isolate for a delivery.
 * n8n 1.x has none of these exports: there the fields stay the plain templates they always were,
 * with the same answers. Detected once, when the module loads.
 */
import * as n8nWorkflow from 'n8n-workflow';
import type { INodeParameters, IWebhookDescription } from 'n8n-workflow';

export type ResponseFields = Pick<IWebhookDescription, 'responseMode' | 'responseData'>;

/** What the running n8n-workflow may lack (n8n 1.x). */
type NativeFieldHelpers = Partial<
	Pick<typeof n8nWorkflow, 'webhookDescriptionFields' | 'fromParameter' | 'fromFunction'>
>;

/** The templates for an n8n-workflow without native resolvers (n8n 1.x). */
export const TEMPLATE_RESPONSE_FIELDS: ResponseFields = {
	responseMode: '={{$parameter["responseMode"]}}',
	responseData: '={{$parameter["responseMode"] === "lastNode" ? "noData" : ""}}',
};

/**
 * With "When Workflow Finishes" n8n answers 200 with no body; otherwise its default answer.
 * Self-contained on purpose: fromFunction inlines this function's source into the template the
 * editor evaluates, where no outer name exists.
 */
const responseDataOf = (parameters: INodeParameters) =>
	parameters.responseMode === 'lastNode' ? 'noData' : '';

/** The fields as the given n8n-workflow module can best declare them. */
export function responseFieldsFor(helpers: NativeFieldHelpers): ResponseFields {
	const { webhookDescriptionFields, fromParameter, fromFunction } = helpers;
	if (
		typeof webhookDescriptionFields !== 'function' ||
		typeof fromParameter !== 'function' ||
		typeof fromFunction !== 'function'
	) {
		return { ...TEMPLATE_RESPONSE_FIELDS };
	}
	return webhookDescriptionFields({
		responseMode: fromParameter('responseMode'),
		responseData: fromFunction(responseDataOf),
	});
}

/** Spread into each trigger's webhook description (the resolvers ride along under a symbol key). */
export const RESPONSE_FIELDS: ResponseFields = responseFieldsFor(n8nWorkflow);
