// Peer of the iLink New Document Trigger, as a user would write it in a Code node after a
// Webhook node (header auth): validate the body, map it to the package's item fields (README,
// "Item fields"), send invalid deliveries to a second list. No attachment download (the
// benchmark runs the trigger with downloads off too).
const text = (value) => {
	if (value === undefined || value === null) return null;
	const result = String(value).trim();
	return result === '' ? null : result;
};
const amount = (value) => {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string' || value.trim() === '') return null;
	let numeric = value.trim();
	if (/^-?\d{1,3}(\.\d{3})*,\d+$|^-?\d+,\d+$/.test(numeric))
		numeric = numeric.replace(/\./g, '').replace(',', '.');
	const parsed = Number(numeric);
	return Number.isFinite(parsed) ? parsed : null;
};
const isStringish = (value) =>
	value == null || typeof value === 'string' || typeof value === 'number';
const isLabel = (value) => value == null || typeof value === 'string' || typeof value === 'object';
const label = (value, field) =>
	value == null ? null : typeof value === 'string' ? text(value) : text(value[field]);

const results = [];
for (const item of $input.all()) {
	const body = item.json.body;
	const document = body && body.response && 'data' in body.response ? body.response.data : body;
	const errors = [];
	if (!document || typeof document !== 'object' || Array.isArray(document)) {
		errors.push({ path: '', message: 'Expected a document object' });
	} else {
		if (!isStringish(document.id) || text(document.id) === null)
			errors.push({ path: 'id', message: 'Document id must not be empty' });
		for (const field of ['number', 'atcud', 'emission_date', 'due_date'])
			if (!isStringish(document[field])) errors.push({ path: field, message: 'Expected a string' });
		for (const field of [
			'type_document_fact',
			'type_document',
			'state_document',
			'state_edi_document',
		])
			if (!isLabel(document[field])) errors.push({ path: field, message: 'Expected a label' });
		for (const field of ['supplier', 'customer', 'amounts'])
			if (document[field] != null && typeof document[field] !== 'object')
				errors.push({ path: field, message: 'Expected an object' });
		if (document.attachments != null && !Array.isArray(document.attachments))
			errors.push({ path: 'attachments', message: 'Expected an array' });
	}
	if (errors.length) {
		results.push({ json: { valid: false, errors, raw: body } });
		continue;
	}
	const state = label(document.state_document, 'alias');
	const reasons = (
		Array.isArray(document.reasons)
			? document.reasons
			: document.reasons == null
				? []
				: [document.reasons]
	).map((entry) =>
		typeof entry === 'string'
			? { reason: entry, createdAt: null }
			: { reason: text(entry.reason), createdAt: text(entry.created_at) },
	);
	const files = (document.attachments || []).flatMap((attachment) => {
		const type = (text(attachment.type) || '').toLowerCase();
		const kind =
			type === 'pdf' ? 'pdf' : type === 'xml' || attachment.ubl_type === 'ubl' ? 'xml' : null;
		const url = text(attachment.file);
		return kind && url ? [{ kind, url, binaryProperty: null, fileName: null }] : [];
	});
	results.push({
		json: {
			source: 'ilink',
			event: 'document.received',
			documentId: text(document.id),
			documentNumber: text(document.number),
			documentType: label(document.type_document_fact, 'type'),
			status: state === null ? null : state.toLowerCase(),
			statusCode: state,
			statusDescription: label(document.state_document, 'description'),
			issuer: { taxId: text(document.supplier?.number), name: text(document.supplier?.name) },
			recipient: { taxId: text(document.customer?.number), name: text(document.customer?.name) },
			issueDate: text(document.emission_date),
			totalAmount:
				amount(document.amounts?.payable_amount) ?? amount(document.amounts?.total_amount),
			currency:
				typeof document.currency === 'string'
					? text(document.currency)
					: text(document.currency?.code),
			documentTypeCode:
				typeof document.type_document_fact === 'object'
					? text(document.type_document_fact?.code)
					: null,
			direction: label(document.type_document, 'alias'),
			atcud: text(document.atcud),
			dueDate: text(document.due_date),
			reasons,
			files,
			raw: body,
			receivedAt: new Date().toISOString(),
		},
	});
}
return results;
