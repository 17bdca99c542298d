import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { ILINK_SUPPORT } from '../nodes/ILink/ILinkTexts';

/** The access key iLink sends with every webhook call, as `Authorization: Bearer <key>`. */
export class ILinkAccessKeyApi implements ICredentialType {
	name = 'iLinkAccessKeyApi';

	displayName = 'iLink Access Key API';

	icon: Icon = { light: 'file:../icons/ilink.svg', dark: 'file:../icons/ilink.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-ilink-invoicy/n8n-nodes-ilink-invoicy#credentials';

	properties: INodeProperties[] = [
		{
			displayName: `Choose an access key (a long random string) and send it to ${ILINK_SUPPORT} together with the webhook's production URL. iLink then sends it with every delivery as "Authorization: Bearer &lt;key&gt;". If no key was set on iLink's side, iLink sends your integration application token instead: put that token here.`,
			name: 'notice',
			type: 'notice',
			default: '',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the access key is the secret iLink sends as a Bearer token
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The key iLink puts after "Bearer " in the Authorization header',
		},
	];
}
