import type { SenderFacts, StatusFact } from '../shared/facts';

/** iLink as a sender. Addresses: iLink docs, "Webhooks > Security" (194.38.136.153 is retired). */
export const ILINK: SenderFacts = {
	sender: 'iLink',
	source: 'ilink',
	addressPresets: [
		{ value: 'ilinkProduction', label: 'iLink Production', addresses: ['193.43.40.153'] },
		{ value: 'ilinkTest', label: 'iLink Test', addresses: ['62.28.56.162'] },
	],
	linksFiles: true,
	// iLink retries a delivery not answered 200 up to 10 times over about 3 to 7 days (iLink
	// docs, "Webhooks"); one more day covers a retry that starts late in the last day.
	retryWindowDays: 8,
};

export type ILinkStatus =
	| 'tosend'
	| 'sent'
	| 'received'
	| 'accepted'
	| 'rejected'
	| 'paid'
	| 'other';

/**
 * The states a document can be in, in their lifecycle order (a sentence naming two is read as
 * the later one). iLink's simplified EDI aliases are `tosend`, `sent`, `accepted` and `rejected`
 * (iLink docs, "API > Issued documents"); its status webhook also fires when the customer
 * receives a document ("accepts, rejects or receives", iLink docs, "Webhooks > Types"); the rest
 * are labels, and the verbs of the sentences descriptions are written in, in Portuguese or
 * English ("O cliente aceitou o documento.").
 */
export const ILINK_STATES: ReadonlyArray<StatusFact<ILinkStatus>> = [
	{
		value: 'tosend',
		name: 'To Send',
		description: 'Not sent yet (configuration or connection missing)',
		labels: [
			'to send',
			'por enviar',
			'a enviar',
			'nao enviado',
			'nao enviada',
			'not sent',
			'unsent',
		],
	},
	{
		value: 'sent',
		name: 'Sent',
		description: 'Delivered to the customer, awaiting acceptance',
		labels: ['enviado', 'enviada', 'enviou', 'submitted'],
	},
	{
		value: 'received',
		name: 'Received',
		description: 'The customer received the document',
		labels: ['recebido', 'recebida', 'recebeu', 'delivered', 'entregue'],
	},
	{
		value: 'accepted',
		name: 'Accepted',
		description: 'The customer accepted the document (final)',
		labels: [
			'aceite',
			'aceito',
			'aceita',
			'aceitou',
			'approved',
			'aprovado',
			'aprovada',
			'aprovou',
		],
	},
	{
		value: 'rejected',
		name: 'Rejected',
		description: 'The customer rejected the document; see "reasons"',
		labels: [
			'rejeitado',
			'rejeitada',
			'rejeitou',
			'recusado',
			'recusada',
			'recusou',
			'refused',
			'declined',
		],
	},
	{
		value: 'paid',
		name: 'Paid',
		description: 'The customer paid the document',
		labels: ['pago', 'paga', 'pagou'],
	},
	{
		value: 'other',
		name: 'Other',
		description: 'Any state not listed here; the label as sent is in statusCode',
	},
];

/** Portuguese document types (`type_document_fact.type`) and the labels written for them. */
export const ILINK_DOCUMENT_TYPES: ReadonlyArray<StatusFact> = [
	{
		value: 'FT',
		name: 'Invoice',
		description: 'UBL 380',
		labels: ['fatura', 'factura', 'invoice'],
	},
	{
		value: 'FR',
		name: 'Invoice-Receipt',
		labels: ['fatura recibo', 'factura recibo', 'invoice receipt'],
	},
	{
		value: 'FS',
		name: 'Simplified Invoice',
		labels: ['fatura simplificada', 'factura simplificada', 'simplified invoice'],
	},
	{
		value: 'NC',
		name: 'Credit Note',
		description: 'UBL 381',
		labels: ['nota de credito', 'credit note', 'creditnote'],
	},
	{
		value: 'ND',
		name: 'Debit Note',
		description: 'UBL 383',
		labels: ['nota de debito', 'debit note', 'debitnote'],
	},
];

/** Which side of the document the entity is on (`type_document.alias`). */
export const ILINK_DIRECTIONS: ReadonlyArray<StatusFact> = [
	{ value: 'issued', name: 'Issued', labels: ['emitido', 'emitida'] },
	{ value: 'received', name: 'Received', labels: ['recebido', 'recebida'] },
];
