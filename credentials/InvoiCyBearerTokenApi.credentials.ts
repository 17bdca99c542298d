import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** InvoiCy webhook authentication type 2 (Bearer): `Authorization: Bearer <token>`. */
export class InvoiCyBearerTokenApi implements ICredentialType {
	name = 'invoiCyBearerTokenApi';

	displayName = 'InvoiCy Bearer Token API';

	icon: Icon = { light: 'file:../icons/invoicy.svg', dark: 'file:../icons/invoicy.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-ilink-invoicy/n8n-nodes-ilink-invoicy#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'In InvoiCy set TipoAutenticacao to 2 (Bearer) and put this same token in TokenAutenticacao. InvoiCy then sends "Authorization: Bearer &lt;token&gt;".',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
	];
}
