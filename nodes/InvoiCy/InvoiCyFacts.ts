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

/** A normalised NFS-e status, with InvoiCy's `DocStatus` and `DocSitCodigo` codes for it. */
interface InvoiCyStatusFact extends StatusFact<InvoiCyStatus> {
	docStatus: number[];
	situationCodes: number[];
}

/**
 * `DocStatus` (InvoiCy's query layout, sheet "Retorno") decides; `DocSitCodigo` /
 * `Situacao.SitCodigo` is used when `DocStatus` says nothing we know. Codes not listed are "other".
 */
export const INVOICY_STATUSES: ReadonlyArray<InvoiCyStatusFact> = [
	{
		value: 'pending',
		name: 'Pending',
		description: 'DocStatus 1',
		docStatus: [1],
		situationCodes: [105, 108, 113],
		labels: ['pendente'],
	},
	{
		value: 'authorized',
		name: 'Authorized',
		description: 'DocStatus 2 / code 100',
		docStatus: [2],
		situationCodes: [100],
		labels: ['autorizado', 'autorizada', 'authorised'],
	},
	{
		value: 'rejected',
		name: 'Rejected',
		description: 'DocStatus 3; the reason is in statusDescription',
		docStatus: [3],
		situationCodes: [112, 999],
		labels: ['rejeitado', 'rejeitada'],
	},
	{
		value: 'cancelled',
		name: 'Cancelled',
		description: 'DocStatus 5 / code 101',
		docStatus: [5],
		situationCodes: [101],
		labels: ['cancelado', 'cancelada', 'canceled'],
	},
	{
		value: 'voided',
		name: 'Voided',
		description: 'DocStatus 6 (inutilizado) / code 102',
		docStatus: [6],
		situationCodes: [102],
		labels: ['inutilizado', 'inutilizada'],
	},
	{
		value: 'denied',
		name: 'Denied',
		description: 'DocStatus 12',
		docStatus: [12],
		situationCodes: [110, 301, 302, 303],
		labels: ['denegado', 'denegada'],
	},
	{
		value: 'other',
		name: 'Other',
		description: 'Any status not listed here',
		docStatus: [],
		situationCodes: [],
	},
];

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
