import { statusLookup } from '../shared/facts';
import { code, text } from '../shared/values';
import {
	INVOICY_NOTIFICATION_STATUSES,
	INVOICY_SITUATION_CODES,
	INVOICY_STATUSES,
	INVOICY_VALIDATION_ERROR_PREFIX,
	type InvoiCyStatus,
} from './InvoiCyFacts';
import type { InvoiCyDocument } from './InvoiCySchema';

const byDocStatus = new Map<number, InvoiCyStatus>();
for (const status of INVOICY_STATUSES) {
	for (const docStatus of status.docStatus) byDocStatus.set(docStatus, status.value);
}
const bySituationCode = new Map(INVOICY_SITUATION_CODES.map(({ code, status }) => [code, status]));
const statusOfLabel = statusLookup(INVOICY_STATUSES);

/** What a document sends about its status, read. */
export interface StatusSent {
	docStatus: number | string | null;
	situationCode: number | string | null;
	notificationType: number | string | null;
	description: string | null;
}

export function statusSent(document: InvoiCyDocument): StatusSent {
	return {
		docStatus: code(document.DocStatus),
		situationCode: code(document.DocSitCodigo) ?? code(document.Situacao?.SitCodigo),
		notificationType: code(document.TipoNotificacaoWebHook),
		description: text(document.DocSitDescricao) ?? text(document.Situacao?.SitDescricao),
	};
}

/** A code as a number, or a label written in its place ("Autorizado"). */
function statusOfCode(
	sent: number | string | null,
	byCode: ReadonlyMap<number, InvoiCyStatus>,
): InvoiCyStatus | undefined {
	if (typeof sent === 'number') return byCode.get(sent);
	return sent === null ? undefined : statusOfLabel(sent);
}

function statusOfSituation(situationCode: number | string | null): InvoiCyStatus | undefined {
	if (
		typeof situationCode === 'string' &&
		situationCode.toLowerCase().startsWith(INVOICY_VALIDATION_ERROR_PREFIX)
	)
		return 'rejected';
	return statusOfCode(situationCode, bySituationCode);
}

/**
 * The normalised status, from the first that says one: `DocStatus`, the situation code, the
 * notification type (15 pending, 16 rejected), and, only when no situation code came (a code
 * nobody listed keeps its meaning to itself), the situation's description; else "other".
 */
export function statusOf(sent: StatusSent): InvoiCyStatus {
	const type = sent.notificationType;
	const described =
		sent.situationCode === null && sent.description !== null
			? statusOfLabel(sent.description)
			: undefined;
	return (
		statusOfCode(sent.docStatus, byDocStatus) ??
		statusOfSituation(sent.situationCode) ??
		(typeof type === 'number' ? INVOICY_NOTIFICATION_STATUSES.get(type) : undefined) ??
		described ??
		'other'
	);
}

/**
 * Whether a document says its status at all: a status or situation code (any, even one nobody
 * listed), a notification type that is a status, or a description that names one.
 */
export function saysStatus(document: InvoiCyDocument): boolean {
	const sent = statusSent(document);
	return sent.docStatus !== null || sent.situationCode !== null || statusOf(sent) !== 'other';
}
