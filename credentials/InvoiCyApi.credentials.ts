import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IAuthenticateGeneric,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { BASE_URLS, WEBHOOK_PATHS, exchangeToken } from '../nodes/InvoiCy/InvoiCyApi';

/**
 * InvoiCy's REST API, for the NFS-e trigger's "Automatic" mode: the node registers its own
 * webhook. n8n exchanges the signed JWT for an access token (preAuthentication), keeps it in the
 * hidden `accessToken` field until it expires, and sends it as `Authorization: <accessToken>`.
 */
export class InvoiCyApi implements ICredentialType {
	name = 'invoiCyApi';

	displayName = 'InvoiCy API';

	icon: Icon = { light: 'file:../icons/invoicy.svg', dark: 'file:../icons/invoicy.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-ilink-invoicy/n8n-nodes-ilink-invoicy#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'The CNPJ, partner key (Chave de Parceiro) and company access key (Chave de acesso) are in "Dados da Empresa" of the InvoiCy control panel. The Test button exchanges them for an access token.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: BASE_URLS.production },
				{ name: 'Homologation', value: 'homologation', description: BASE_URLS.homologation },
				{
					name: 'Custom Base URL',
					value: 'custom',
					description: 'A proxy in front of the production API, or a test server',
				},
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://invoicy-proxy.example.com',
			description: `Answers like InvoiCy’s production API (webhooks at ${WEBHOOK_PATHS.production})`,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'CNPJ',
			name: 'cnpj',
			type: 'string',
			default: '',
			required: true,
			placeholder: '12345678000195',
			description: 'The company’s CNPJ (the JWT’s sub claim)',
		},
		{
			displayName: 'Partner Key',
			name: 'partnerKey',
			type: 'string',
			default: '',
			required: true,
			description: 'Chave de Parceiro',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- the access key signs the JWTs: it is the secret
		{
			displayName: 'Access Key',
			name: 'accessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The company’s Chave de acesso; signs the JWT (HS256)',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token Expires At',
			name: 'accessTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: 0,
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return await exchangeToken.call(this, credentials);
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '={{$credentials.accessToken}}' } },
	};

	/**
	 * n8n runs the preAuthentication (the real token exchange) before every test, so a wrong key
	 * fails with InvoiCy's answer. The follow-up call reads a webhook that does not exist: any
	 * answer but a refused token means the API accepted it.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : $credentials.environment === "homologation" ? "' +
				BASE_URLS.homologation +
				'" : "' +
				BASE_URLS.production +
				'"}}',
			url:
				'={{$credentials.environment === "homologation" ? "' +
				WEBHOOK_PATHS.homologation +
				'" : "' +
				WEBHOOK_PATHS.production +
				'"}}',
			method: 'GET',
			qs: { Identificador: '00000000-0000-0000-0000-000000000000' },
			ignoreHttpStatusErrors: true,
		},
	};
}
