import type { IWebhookFunctions } from 'n8n-workflow';

import type { ExpectedAuthorization } from '../shared/auth';
import { credentialTest, readCredentialFields } from '../shared/credentials';

/** Both iLink triggers: `Authorization: Bearer <accessKey>` from the iLinkAccessKeyApi credential. */
export async function iLinkAuthorization(ctx: IWebhookFunctions): Promise<ExpectedAuthorization> {
	const { accessKey } = await readCredentialFields(ctx, 'iLinkAccessKeyApi', 'iLink Access Key', [
		'accessKey',
	]);
	return { scheme: 'Bearer', token: accessKey };
}

/** The Test button of the iLinkAccessKeyApi credential (its `testedBy`). */
export const iLinkCredentialTests = { iLinkAccessKeyTest: credentialTest(['accessKey']) };
