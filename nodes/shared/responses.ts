import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { PayloadIssue } from './types';

/**
 * Writes an answer without starting the workflow: `noWebhookResponse` tells n8n the response
 * is already sent, and no `workflowData` means no execution.
 */
function answer(
	ctx: IWebhookFunctions,
	status: number,
	body: IDataObject,
	headers: Record<string, string> = {},
): IWebhookResponseData {
	const response = ctx.getResponseObject();
	response.status(status);
	for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
	response.json(body);
	return { noWebhookResponse: true };
}

/** The answers of the contract's HTTP table, other than an accepted delivery that starts the workflow. */
export const reply = {
	/** Accepted but not started: filtered out, or a duplicate. Always exactly 200. */
	acceptedNotStarted: (ctx: IWebhookFunctions, message: string) => answer(ctx, 200, { message }),

	unauthorized: (ctx: IWebhookFunctions, wwwAuthenticate: string) =>
		answer(
			ctx,
			401,
			{ error: 'unauthorized', message: 'Authorization is missing or not valid.' },
			{ 'WWW-Authenticate': wwwAuthenticate },
		),

	forbidden: (ctx: IWebhookFunctions) =>
		answer(ctx, 403, {
			error: 'forbidden',
			message: 'Requests from this address are not allowed.',
		}),

	badRequest: (ctx: IWebhookFunctions, message: string) =>
		answer(ctx, 400, { error: 'invalid_body', message }),

	payloadTooLarge: (ctx: IWebhookFunctions, limitMiB: number) =>
		answer(ctx, 413, {
			error: 'payload_too_large',
			message: `The request body is larger than this webhook's limit of ${limitMiB} MiB.`,
		}),

	unprocessable: (ctx: IWebhookFunctions, issues: PayloadIssue[]) =>
		answer(ctx, 422, { error: 'invalid_payload', issues }),

	/** Something unexpected failed; the log line has the error and its stack. */
	internalError: (ctx: IWebhookFunctions) =>
		answer(ctx, 500, {
			error: 'internal_error',
			message: 'The delivery could not be processed. The n8n log has the details.',
		}),

	/** The node is not set up correctly; the log line (not the body) says what to fix. */
	misconfigured: (ctx: IWebhookFunctions) =>
		answer(ctx, 500, {
			error: 'webhook_not_configured',
			message: 'This webhook is not configured correctly. The n8n log says what to fix.',
		}),
};
