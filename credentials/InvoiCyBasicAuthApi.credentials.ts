import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * InvoiCy webhook authentication type 1 (Basic): `Authorization: Basic <TokenAutenticacao>`,
 * the field sent as typed: base64 of `user:password`, or any token (Token As Typed).
 */
export class InvoiCyBasicAuthApi implements ICredentialType {
	name = 'invoiCyBasicAuthApi';

	displayName = 'InvoiCy Basic Auth API';

	icon: Icon = { light: 'file:../icons/invoicy.svg', dark: 'file:../icons/invoicy.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-ilink-invoicy/n8n-nodes-ilink-invoicy#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'In InvoiCy set TipoAutenticacao to 1 (Basic). InvoiCy sends TokenAutenticacao verbatim after "Basic ": put there the base64 of "user:password" (e.g. the output of: echo -n \'user:password\' | base64) and fill in User and Password; or, if TokenAutenticacao already holds some other token, copy it into Token As Typed instead.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'Needed unless Token As Typed is filled in',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Needed unless Token As Typed is filled in',
		},
		{
			displayName: 'Token As Typed',
			name: 'tokenAsTyped',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'TokenAutenticacao exactly as it was typed in InvoiCy, when it is not base64 of "user:password". Filled in, it is used instead of User and Password.',
		},
	];
}
