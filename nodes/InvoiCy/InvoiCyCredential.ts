import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialTestFunctions,
	type ICredentialsDecrypted,
	type IWebhookFunctions,
} from 'n8n-workflow';

import type { ExpectedAuthorization } from '../shared/auth';
import {
	credentialTest,
	readCredential,
	readCredentialFields,
	requiredFields,
} from '../shared/credentials';
import { AUTOMATIC } from './InvoiCySubscriptions';
import { readRegistration } from './InvoiCyWebhookRecord';

/**
 * InvoiCy's `TipoAutenticacao`: 0 none, 1 Basic, 2 Bearer; the node's `authentication`
 * parameter picks the same three, and the credential that goes with it.
 */
export async function invoiCyAuthorization(
	ctx: IWebhookFunctions,
): Promise<ExpectedAuthorization | null> {
	// Without the parameter, expect the node's default (Bearer), never "none": fail closed.
	const authentication = ctx.getNodeParameter('authentication', 'bearerToken') as string;
	switch (authentication) {
		case 'none':
			return null;
		case 'basicAuth':
			return basicAuthorization(ctx);
		case 'bearerToken': {
			const { token } = await readCredentialFields(
				ctx,
				'invoiCyBearerTokenApi',
				'InvoiCy Bearer Token',
				['token'],
			);
			return { scheme: 'Bearer', token };
		}
		case AUTOMATIC: {
			// The token the node generated when it registered the webhook; none yet: fail closed.
			const { token } = readRegistration(ctx);
			if (!token) {
				throw new NodeOperationError(
					ctx.getNode(),
					'the webhook is not registered with InvoiCy yet (publish the workflow)',
				);
			}
			return { scheme: 'Bearer', token };
		}
		default:
			throw new NodeOperationError(
				ctx.getNode(),
				`the authentication "${authentication}" is not none, basicAuth, bearerToken or automatic`,
			);
	}
}

/**
 * TipoAutenticacao 1: InvoiCy sends `Basic <TokenAutenticacao>` with whatever was typed there.
 * The credential's Token As Typed, when given, is that text, matched exactly; otherwise the
 * text is base64 of `user:password`.
 */
async function basicAuthorization(ctx: IWebhookFunctions): Promise<ExpectedAuthorization> {
	const label = 'InvoiCy Basic Auth';
	const credential = await readCredential(ctx, 'invoiCyBasicAuthApi', label);
	const token = tokenAsTyped(credential);
	if (token) return { scheme: 'Basic', token };
	const { user, password } = requiredFields(ctx, credential, {
		label,
		fields: ['user', 'password'],
	});
	return { scheme: 'Basic', user, password };
}

/** The Basic credential's Token As Typed, trimmed, when filled in; then it replaces user and password. */
function tokenAsTyped(data: ICredentialDataDecryptedObject | undefined): string | undefined {
	const token = typeof data?.tokenAsTyped === 'string' ? data.tokenAsTyped.trim() : '';
	return token || undefined;
}

const basicUserPasswordTest = credentialTest(['user', 'password'], (data) =>
	String(data.user).includes(':')
		? 'The user must not contain ":" (Basic auth separates user and password with it)'
		: undefined,
);
const basicTokenTest = credentialTest(['tokenAsTyped']);

/** The Test buttons of the credentials InvoiCy's deliveries carry (their `testedBy`). */
export const invoiCyCredentialTests = {
	async invoiCyBasicAuthTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted) {
		const test = tokenAsTyped(credential.data) ? basicTokenTest : basicUserPasswordTest;
		return await test.call(this, credential);
	},
	invoiCyBearerTokenTest: credentialTest(['token']),
};
