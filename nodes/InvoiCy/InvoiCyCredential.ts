import { NodeOperationError, type IWebhookFunctions } from 'n8n-workflow';

import type { ExpectedAuthorization } from '../shared/auth';
import { credentialTest, readCredentialFields } from '../shared/credentials';
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
		case 'basicAuth': {
			const { user, password } = await readCredentialFields(
				ctx,
				'invoiCyBasicAuthApi',
				'InvoiCy Basic Auth',
				['user', 'password'],
			);
			return { scheme: 'Basic', user, password };
		}
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

/** The Test buttons of the credentials InvoiCy's deliveries carry (their `testedBy`). */
export const invoiCyCredentialTests = {
	invoiCyBasicAuthTest: credentialTest(['user', 'password'], (data) =>
		String(data.user).includes(':')
			? 'The user must not contain ":" (Basic auth separates user and password with it)'
			: undefined,
	),
	invoiCyBearerTokenTest: credentialTest(['token']),
};
