import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';

import { SetupError } from './delivery';

/**
 * Reads the node's credential of the given type and returns the named fields as trimmed strings.
 * A missing credential or an empty field is a set-up error: the node fails closed.
 */
export async function readCredentialFields<Field extends string>(
	ctx: IWebhookFunctions,
	type: string,
	label: string,
	fields: Field[],
): Promise<Record<Field, string>> {
	let credential: ICredentialDataDecryptedObject;
	try {
		credential = await ctx.getCredentials(type);
	} catch {
		throw new SetupError(`no ${label} credential is selected in the node`);
	}
	const values = {} as Record<Field, string>;
	for (const field of fields) {
		const value = credential[field];
		if (typeof value !== 'string' || value.trim() === '') {
			throw new SetupError(`the ${label} credential has no ${field}`);
		}
		values[field] = value.trim();
	}
	return values;
}
