import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** InvoiCy webhook authentication type 1 (Basic): `Authorization: Basic base64(user:password)`. */
export class InvoiCyBasicAuthApi implements ICredentialType {
	name = 'invoiCyBasicAuthApi';

	displayName = 'InvoiCy Basic Auth API';

	icon: Icon = { light: 'file:../icons/invoicy.svg', dark: 'file:../icons/invoicy.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-ilink-invoicy/n8n-nodes-ilink-invoicy#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'In InvoiCy set TipoAutenticacao to 1 (Basic). InvoiCy sends TokenAutenticacao verbatim after "Basic ", so put there the base64 of "user:password", e.g. the output of: echo -n \'user:password\' | base64',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			required: true,
			default: '',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
	];
}
