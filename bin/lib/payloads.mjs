// Builds the sample deliveries: realistic payloads from each sender's sample deliveries
// (nodes/<Sender>/samples/, copies of the spec's synthetic samples), with a fresh document id and
// number per run.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

export const SAMPLES_DIR = new URL('../../samples/', import.meta.url);

/** The sender folders: the sources in a checkout; the installed package ships their built copy. */
const SOURCE_NODES_DIR = new URL('../../nodes/', import.meta.url);
export const NODES_DIR = existsSync(SOURCE_NODES_DIR)
	? SOURCE_NODES_DIR
	: new URL('../../dist/nodes/', import.meta.url);

/** What each kind of delivery is, who sends it, and the statuses it can carry. */
export const KINDS = {
	'ilink-new-document': {
		sender: 'ilink',
		senderName: 'iLink',
		statuses: ['tosend', 'sent', 'accepted', 'rejected'],
		defaultStatus: 'sent',
		webhookPath: 'ilink-new-document',
		trigger: 'iLink New Document Trigger',
	},
	'ilink-status-change': {
		sender: 'ilink',
		senderName: 'iLink',
		statuses: ['tosend', 'sent', 'accepted', 'rejected'],
		defaultStatus: 'accepted',
		webhookPath: 'ilink-document-status',
		trigger: 'iLink Document Status Trigger',
	},
	'invoicy-nfse': {
		sender: 'invoicy',
		senderName: 'InvoiCy',
		statuses: ['authorized', 'rejected', 'cancelled', 'pending'],
		defaultStatus: 'authorized',
		webhookPath: 'invoicy-nfse',
		trigger: 'InvoiCy NFS-e Status Trigger',
	},
};

export function readSample(name) {
	return readFileSync(new URL(name, SAMPLES_DIR));
}

function template(name) {
	const folder = name.startsWith('ilink') ? 'ILink' : 'InvoiCy';
	return JSON.parse(readFileSync(new URL(`${folder}/samples/${name}.json`, NODES_DIR), 'utf8'));
}

/** The sample files every delivery links to (iLink) or carries inline (InvoiCy). */
export function sampleFiles() {
	return {
		pdf: readSample('sample-invoice.pdf'),
		ublXml: readSample('sample-invoice.xml'),
		nfseXml: readSample('sample-nfse.xml'),
	};
}

/** `YYYY-MM-DD HH:MM:SS` in the given time zone (falls back to UTC where Intl lacks zones). */
function localDateTime(date, timeZone) {
	try {
		return new Intl.DateTimeFormat('sv-SE', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23',
		})
			.format(date)
			.replace(',', '');
	} catch {
		return date.toISOString().slice(0, 19).replace('T', ' ');
	}
}

const lisbon = (date) => localDateTime(date, 'Europe/Lisbon');
/** São Paulo has kept UTC-3 all year since 2019. */
const brasilia = (date) => `${localDateTime(date, 'America/Sao_Paulo').replace(' ', 'T')}`;
const DAY = 24 * 60 * 60 * 1000;

/** iLink ids look like PHP uniqid('', true): 13 hex digits of time, then e.g. `7.36583702`. */
function iLinkUniqid(now) {
	const seconds = Math.floor(now.getTime() / 1000)
		.toString(16)
		.padStart(8, '0');
	const micro = randomInt(0, 0x100000).toString(16).padStart(5, '0');
	return `${seconds}${micro}${randomInt(0, 10)}.${String(randomInt(0, 1e8)).padStart(8, '0')}`;
}

/** A number from the id, so that the same --id gives the same document (a true duplicate). */
function numberFromId(id, min, max) {
	const hash = createHash('sha256').update(id).digest().readUInt32BE(0);
	return min + (hash % (max - min));
}

/**
 * The identity of this run's document: a fresh id and numbers, or ones derived from --id so
 * that sending the same id twice is the same delivery twice.
 */
export function documentIdentity(kind, fixedId, now = new Date()) {
	const sender = KINDS[kind].sender;
	const id = fixedId ?? (sender === 'ilink' ? iLinkUniqid(now) : randomUUID());
	const pick = (salt, min, max) =>
		fixedId ? numberFromId(`${salt}:${fixedId}`, min, max) : randomInt(min, max);
	return { id, sequence: pick('number', 1000, 99999), secondary: pick('nfse', 100, 99999) };
}

// ---------------------------------------------------------------- iLink

/** `state_document` and `state_edi_document` per simplified state (spec 1.5). */
function iLinkStates() {
	const fromSample = (name) => {
		const sample = template(name);
		return { state_document: sample.state_document, state_edi_document: sample.state_edi_document };
	};
	return {
		tosend: {
			state_document: {
				id: '5c9cb878745b16.4225686',
				alias: 'tosend',
				description: 'Not sent to customer.',
			},
			state_edi_document: null,
			to_send_status: {
				code: 'no_connection',
				title: 'The customer has no connection to receive documents.',
			},
		},
		sent: fromSample('ilink-status-change-sent'),
		accepted: fromSample('ilink-status-change-accepted'),
		rejected: fromSample('ilink-status-change-rejected'),
	};
}

const ILINK_REJECTION_REASON = 'Inconformidade: deve existir número de compromisso.';

/**
 * An iLink document as the webhook sends it. `fileUrls` ({ pdf, xml }) replace the sample's
 * placeholder attachment URLs when the CLI serves the files itself.
 */
export function buildILinkPayload({ kind, status, identity, now = new Date(), fileUrls, files }) {
	const document = template(
		kind === 'ilink-new-document' ? 'ilink-new-document' : 'ilink-status-change-sent',
	);
	const year = now.getUTCFullYear();
	const number = `FT ${year}/${identity.sequence}`;
	const created = new Date(now.getTime() - 60 * 60 * 1000);

	document.id = identity.id;
	document.number = number;
	document.atcud = `JJ37MMMM-${identity.sequence}`;
	document.emission_date = lisbon(created).slice(0, 10);
	document.due_date = lisbon(new Date(created.getTime() + 30 * DAY)).slice(0, 10);
	document.created_at = lisbon(created);

	const state = iLinkStates()[status];
	document.state_document = state.state_document;
	if (state.state_edi_document) document.state_edi_document = state.state_edi_document;
	else delete document.state_edi_document;
	if (state.to_send_status) document.to_send_status = state.to_send_status;
	document.reasons =
		status === 'rejected' ? [{ reason: ILINK_REJECTION_REASON, created_at: lisbon(now) }] : [];

	for (const attachment of document.attachments) {
		const kindOfFile = attachment.type === 'pdf' ? 'pdf' : 'xml';
		attachment.identifier = number;
		if (fileUrls?.[kindOfFile]) attachment.file = fileUrls[kindOfFile];
		if (files) {
			const content = kindOfFile === 'pdf' ? files.pdf : files.ublXml;
			attachment.hash = createHash('sha256').update(content).digest('hex');
		}
	}
	return { payload: document, summary: { id: identity.id, number, status } };
}

// ---------------------------------------------------------------- InvoiCy

/** DocStatus / DocSitCodigo / DocSitDescricao per status (spec 2.5). */
const INVOICY_STATUSES = {
	authorized: {
		template: 'invoicy-nfse-authorized',
		DocStatus: 2,
		DocSitCodigo: 100,
		DocSitDescricao: 'Autorizado o uso da NFS-e',
		TipoNotificacaoWebHook: 2,
		files: true,
	},
	rejected: {
		template: 'invoicy-nfse-rejected',
		DocStatus: 3,
		DocSitCodigo: 999,
		DocSitDescricao: null,
		TipoNotificacaoWebHook: 2,
		files: false,
	},
	cancelled: {
		template: 'invoicy-nfse-cancelled',
		DocStatus: 5,
		DocSitCodigo: 101,
		DocSitDescricao: 'Cancelado',
		TipoNotificacaoWebHook: 3,
		files: true,
	},
	// 105 (the first answer of the asynchronous flow) never fires the webhook; a document that
	// stays pending afterwards is reported with the generic "status pendente".
	pending: {
		template: 'invoicy-nfse-rejected',
		DocStatus: 1,
		DocSitCodigo: 113,
		DocSitDescricao: 'Documento com status pendente, aguardando o retorno da prefeitura',
		TipoNotificacaoWebHook: 2,
		files: false,
	},
};

function verificationCode(identity) {
	const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const seed = createHash('sha256').update(`code:${identity.id}`).digest();
	return [...seed.subarray(0, 8)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** An InvoiCy webhook body `{ documento: { ... } }` with the PDF and XML inline as base64. */
export function buildInvoiCyPayload({ status, identity, now = new Date(), files }) {
	const spec = INVOICY_STATUSES[status];
	const body = template(spec.template);
	const doc = body.documento;
	const issued =
		status === 'cancelled' ? new Date(now.getTime() - DAY) : new Date(now.getTime() - 60 * 1000);
	const withFiles = spec.files;
	const authorized = status === 'authorized' || status === 'cancelled';
	const nfseNumber = authorized ? identity.secondary : 0;
	const token = createHash('sha256')
		.update(`link:${identity.id}`)
		.digest('hex')
		.slice(0, 32)
		.toUpperCase();

	doc.DocNumero = identity.sequence;
	doc.DocIDUnico = identity.id;
	doc.DocStatus = spec.DocStatus;
	doc.DocSitCodigo = spec.DocSitCodigo;
	if (spec.DocSitDescricao) doc.DocSitDescricao = spec.DocSitDescricao;
	doc.TipoNotificacaoWebHook = spec.TipoNotificacaoWebHook;
	doc.DocProtocolo = authorized
		? `PROTO-${issued.getUTCFullYear()}-${String(nfseNumber).padStart(6, '0')}`
		: '';
	doc.DocPDF = withFiles ? files.pdf.toString('base64') : '';
	doc.DocXML = withFiles ? files.nfseXml.toString('base64') : '';
	doc.DocPDFLink = withFiles
		? `https://homolog.invoicy.com.br/DownloadPDF.aspx?ParmCript=SAMPLE${token}`
		: '';
	doc.DocXMLLink = withFiles
		? `https://homolog.invoicy.com.br/HNUC002.aspx?ParmCript=SAMPLE${token}`
		: '';
	doc.Resumo.DocDataEmissao = brasilia(issued);
	doc.Resumo.DocFusoHorario = '-03:00';
	doc.Resumo.DocDhAut = authorized ? `${brasilia(new Date(issued.getTime() + 7000))}-03:00` : '';
	doc.NFSe = {
		NFSeNumero: nfseNumber,
		NFSeCodVerificacao: authorized ? verificationCode(identity) : '',
	};
	if (status === 'cancelled') {
		for (const event of doc.Eventos) event.DocEveDhReg = `${brasilia(now)}-03:00`;
	} else {
		doc.Eventos = [];
	}
	return {
		payload: body,
		summary: {
			id: identity.id,
			number: String(identity.sequence),
			status,
			nfseNumber: authorized ? String(nfseNumber) : null,
		},
	};
}
