import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type INodeCredentialTestResult,
	type IWebhookFunctions,
} from 'n8n-workflow';

/** The node's credential of the given type; none selected is a set-up error: the node fails closed. */
export async function readCredential(
	ctx: IWebhookFunctions,
	type: string,
	label: string,
): Promise<ICredentialDataDecryptedObject> {
	try {
		return await ctx.getCredentials(type);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `no ${label} credential is selected in the node`);
	}
}

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
	return requiredFields(ctx, await readCredential(ctx, type, label), { label, fields });
}

/** The named fields of a credential as trimmed strings; an empty one is a set-up error. */
export function requiredFields<Field extends string>(
	ctx: IWebhookFunctions,
	credential: ICredentialDataDecryptedObject,
	{ label, fields }: { label: string; fields: Field[] },
): Record<Field, string> {
	const values = {} as Record<Field, string>;
	for (const field of fields) {
		const value = credential[field];
		if (typeof value !== 'string' || value.trim() === '') {
			throw new NodeOperationError(ctx.getNode(), `the ${label} credential has no ${field}`);
		}
		values[field] = value.trim();
	}
	return values;
}

/** Characters an HTTP header value cannot carry (controls, DEL) or that senders trim (spaces). */
function notHeaderSafe(char: string): boolean {
	const code = char.charCodeAt(0);
	return code < 0x20 || code === 0x7f || /\s/.test(char);
}

/**
 * The "Test" button of an inbound credential (a node's `methods.credentialTest` entry). Nothing on
 * the sender's side can be called, so the test checks what can go wrong here: an empty secret, or
 * one that cannot be sent in an Authorization header as the sender sends it; `extraCheck` adds the
 * sender's own rule.
 */
export function credentialTest(
	fields: string[],
	extraCheck?: (data: ICredentialDataDecryptedObject) => string | undefined,
) {
	return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted) {
		return checkFields(credential, fields, extraCheck);
	};
}

function checkFields(
	credential: ICredentialsDecrypted,
	fields: string[],
	extraCheck?: (data: ICredentialDataDecryptedObject) => string | undefined,
): INodeCredentialTestResult {
	const data = credential.data ?? {};
	for (const field of fields) {
		const value = data[field];
		if (typeof value !== 'string' || value.trim() === '') {
			return { status: 'Error', message: `The ${field} is empty` };
		}
		if ([...value.trim()].some(notHeaderSafe)) {
			return {
				status: 'Error',
				message: `The ${field} contains spaces or control characters, which an Authorization header cannot carry`,
			};
		}
	}
	const problem = extraCheck?.(data);
	return problem
		? { status: 'Error', message: problem }
		: {
				status: 'OK',
				message: 'Looks right. Give the same value to the sender, as the credential explains.',
			};
}
