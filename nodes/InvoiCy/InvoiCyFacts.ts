import type { SenderFacts, StatusFact } from '../shared/facts';

/** InvoiCy as a sender: it publishes no source addresses; its files come inline or as links. */
export const INVOICY: SenderFacts = {
	sender: 'InvoiCy',
	source: 'invoicy',
	addressPresets: [],
	linksFiles: true,
	// InvoiCy resends at most WEBHOOK_LAYOUT.maxResends times, at most 60 minutes apart; two days
	// leave room for a resend that InvoiCy starts late.
	retryWindowDays: 2,
};

/**
 * InvoiCy's rules for a webhook registration (CadastroWebhook), from its layout
 * `webhook/Layout WebHook.xlsx` in migrate-company/integracao-InvoiCy-BR: `Descricao` V(40),
 * required; `TentativasReenvioAut` 0 to 3 automatic resends, required; `IntervaloTentativas` 5,
 * 10, 15 or 60 minutes between them, required.
 */
export const WEBHOOK_LAYOUT = {
	descriptionMaxLength: 40,
	maxResends: 3,
	resendIntervalsMinutes: [5, 10, 15, 60],
} as const;

export type InvoiCyStatus =
	| 'pending'
	| 'authorized'
	| 'rejected'
	| 'cancelled'
	| 'voided'
	| 'denied'
	| 'other';

/*
 * Sources of the facts below (InvoiCy's public material, read 2026-12):
 * - MIG: github.com/migrate-company/integracao-InvoiCy-BR, Migrate's repository of InvoiCy
 *   layouts and examples; "layout consultas" is its `Consulta de documentos/Layouts/layout
 *   consultas para todos os módulos.xlsx` (sheet Retorno), "llms.txt" its REST guide
 *   `Integração IA/REST/llms.txt` (2026-07).
 * - returnCodes.json: `src/data/returnCodes.json` of github.com/kauaazevedo-migrate/invoicyapi,
 *   the return-code table of a Migrate developer's InvoiCy API portal (category "Documento
 *   Enviado" is the document-level codes).
 */

/** A normalised NFS-e status, with the labels written for it and InvoiCy's `DocStatus` codes. */
interface InvoiCyStatusFact extends StatusFact<InvoiCyStatus> {
	docStatus: number[];
}

/**
 * `DocStatus` decides (MIG, layout consultas: 1 Pendente, 2 Autorizado, 3 Rejeitado, 4 Necessita
 * interação, 5 Cancelado, 6 Inutilizado, 8 Encerrado, 9 Em conflito, 10 EPEC, 11 Contingência
 * Offline, 12 Denegado, 13 Contingência FSDA, 15 Contingência SVC); then the situation code
 * (INVOICY_SITUATION_CODES), then the notification type (INVOICY_NOTIFICATION_STATUSES), then the
 * situation's description read with the labels. The other `DocStatus` codes are states on the
 * way (4 waits for an action; 10, 11, 13 and 15 are contingencies) or not an NFS-e's (8 an MDF-e
 * closed, 9 in conflict): the situation code says more, so they do not decide. Codes nobody
 * listed: "other".
 */
export const INVOICY_STATUSES: ReadonlyArray<InvoiCyStatusFact> = [
	{
		value: 'pending',
		name: 'Pending',
		description: 'DocStatus 1',
		docStatus: [1],
		labels: ['pendente', 'em processamento', 'processando', 'pending', 'processing'],
	},
	{
		value: 'authorized',
		name: 'Authorized',
		description: 'DocStatus 2 / code 100',
		docStatus: [2],
		labels: ['autorizado', 'autorizada', 'authorised', 'authorized'],
	},
	{
		value: 'rejected',
		name: 'Rejected',
		description: 'DocStatus 3; the reason is in statusDescription',
		docStatus: [3],
		labels: ['rejeitado', 'rejeitada', 'rejeicao', 'rejected'],
	},
	{
		value: 'cancelled',
		name: 'Cancelled',
		description: 'DocStatus 5 / code 101',
		docStatus: [5],
		labels: ['cancelado', 'cancelada', 'cancelamento', 'canceled', 'cancelled'],
	},
	{
		value: 'voided',
		name: 'Voided',
		description: 'DocStatus 6 (inutilizado) / code 102',
		docStatus: [6],
		labels: ['inutilizado', 'inutilizada', 'inutilizacao', 'voided'],
	},
	{
		value: 'denied',
		name: 'Denied',
		description: 'DocStatus 12',
		docStatus: [12],
		labels: ['denegado', 'denegada', 'denied'],
	},
	{
		value: 'other',
		name: 'Other',
		description: 'Any status not listed here',
		docStatus: [],
	},
];

/**
 * Situation codes (`DocSitCodigo`, `Situacao.SitCodigo`) and the status each means. Codes that
 * answer a request rather than describe the document (106 not in InvoiCy's database, 117 none
 * found, 135 an event authorised, 138 found, 173/174/176 key or type not identified, 179 abuse,
 * 602 no web service, 606/607 not licensed) are left out: "other".
 */
export const INVOICY_SITUATION_CODES: ReadonlyArray<{
	code: number;
	meaning: string;
	status: InvoiCyStatus;
}> = [
	// llms.txt "Códigos principais"; returnCodes.json "Documento Enviado".
	{ code: 100, meaning: 'Autorizado o uso', status: 'authorized' },
	{ code: 101, meaning: 'Cancelamento homologado', status: 'cancelled' },
	{ code: 102, meaning: 'Inutilização de número homologado', status: 'voided' },
	// MIG `Emissão/NFSe/Exemplos JSON/retorno_documento_nfse.json`: an NFS-e sent to the city
	// hall, "Em processamento". (As a request's answer 104 is "certificate not given".)
	{ code: 104, meaning: 'Em processamento', status: 'pending' },
	// returnCodes.json "Documento Enviado".
	{ code: 105, meaning: 'Documento pendente', status: 'pending' },
	{ code: 112, meaning: 'Documento está rejeitado', status: 'rejected' },
	{ code: 113, meaning: 'Documento está com status pendente', status: 'pending' },
	// returnCodes.json, NF-e/NFC-e/CT-e/MDF-e/NFCom: issued in contingency, to be transmitted.
	{ code: 108, meaning: 'Entrada da SEFAZ em contingência', status: 'pending' },
	{ code: 109, meaning: 'SEFAZ em contingência', status: 'pending' },
	{ code: 111, meaning: 'Contingência Offline', status: 'pending' },
	// The document failed before it could be authorised (returnCodes.json, every module).
	{ code: 103, meaning: 'Falha na validação do certificado digital', status: 'rejected' },
	{ code: 145, meaning: 'Falha na estrutura do documento enviado', status: 'rejected' },
	{ code: 199, meaning: 'Falha na busca dos dados para emissão', status: 'rejected' },
	{ code: 201, meaning: 'Falha na assinatura digital', status: 'rejected' },
	{ code: 999, meaning: 'Erro genérico', status: 'rejected' },
	// SEFAZ's "uso denegado" codes, which InvoiCy passes through (0.1.0's table).
	{ code: 110, meaning: 'Uso denegado', status: 'denied' },
	{ code: 301, meaning: 'Uso denegado: irregularidade fiscal do emitente', status: 'denied' },
	{ code: 302, meaning: 'Uso denegado: irregularidade fiscal do destinatário', status: 'denied' },
	{ code: 303, meaning: 'Uso denegado: destinatário não habilitado', status: 'denied' },
];

/**
 * A situation code that starts so is a layout validation error found before the document was
 * sent ("#inv0003" ... "#inv03xx" for NFS-e): the document is rejected. llms.txt, "Códigos de erro
 * de validação de layout (#inv)".
 */
export const INVOICY_VALIDATION_ERROR_PREFIX = '#inv';

/**
 * Webhook notification types that say the document's status themselves (llms.txt, Webhooks,
 * `Uso[].TipoNotificacao`: 15 Documento Pendente, 16 Documento Rejeitado), for a notification
 * that carries no status code.
 */
export const INVOICY_NOTIFICATION_STATUSES: ReadonlyMap<number, InvoiCyStatus> = new Map([
	[15, 'pending'],
	[16, 'rejected'],
]);

/**
 * Where InvoiCy took the document from (`DocIntegracao`, N(2), new in the layout consultas of
 * 2025-12-16): 22 is the national NFS-e data environment (ADN) of the NFS-e Nacional.
 */
export const INVOICY_INTEGRATIONS: ReadonlyMap<number, string> = new Map([
	[1, 'webService'],
	[11, 'webServiceImport'],
	[12, 'email'],
	[13, 'screen'],
	[15, 'cityHall'],
	[19, 'ocr'],
	[22, 'nationalEnvironment'],
]);

/**
 * The access key of an NFS-e Nacional: 50 digits (municipality, issuer, number, date ...), as
 * `NFS` + 50 digits in the XML's Id. InvoiCy's layout still types `DocChaAcesso` C(44), but a
 * Migrate example (kauaazevedo-migrate/invoicyapi `src/data/endpoints.json`) carries a base64
 * hash in `DocChaAcesso` and a 50-digit number in `NFSe.NFSeCodVerificacao`: neither field has a
 * length to rely on, and the key is looked for in both.
 */
export const NATIONAL_NFSE_KEY = /^(?:NFS)?(\d{50})$/i;

/**
 * Brazilian tax ids: a CNPJ has 14 digits, a CPF 11, each ending in two mod-11 check digits
 * (Receita Federal). Sent as a JSON number, their leading zeros are lost.
 */
export const TAX_ID_DIGITS = { cnpj: 14, cpf: 11 } as const;

/** The NFS-e status notification (`TipoNotificacao` 2, module 4 NFS-e): what the trigger is for. */
export const INVOICY_STATUS_UPDATES = { notificationType: 2, module: 4 } as const;

export type InvoiCyNoticeEvent = 'certificate.expiring' | 'issuing.stopped' | 'notification.other';

/**
 * Account notifications InvoiCy sends to the same URL when the account subscribes to them
 * (`TipoNotificacao` / `TipoNotificacaoWebHook`): they are about the account, not a document.
 */
export const INVOICY_NOTICES: ReadonlyArray<{
	event: InvoiCyNoticeEvent;
	name: string;
	description: string;
	notificationTypes: number[];
	/** InvoiCy's `Uso[].Modulo` to subscribe to it through the REST API; absent: not offered there. */
	module?: number;
}> = [
	{
		event: 'certificate.expiring',
		name: 'Certificate Expiring',
		description: 'The digital certificate is about to expire (type 8)',
		notificationTypes: [8],
		module: 14,
	},
	{
		event: 'issuing.stopped',
		name: 'Issuing Stopped',
		description: 'Issuing stopped, e.g. a gap in the RPS numbering (type 14)',
		notificationTypes: [14],
		module: 4,
	},
	{
		event: 'notification.other',
		name: 'Other Notifications',
		description: 'Any other account notification, e.g. the city-hall capture queue (types 9 to 11)',
		notificationTypes: [9, 10, 11],
	},
];
