// Peer of the InvoiCy NFS-e Status Trigger, as a user would write it in a Code node after a
// Webhook node (header auth): validate the body, map it to the package's item fields (README,
// "Item fields"), and turn the base64 PDF and XML into binary files. Convert to File's "Move
// Base64 String to File" would drop the item's JSON, so users do it here.
const text = (value) => {
	if (value === undefined || value === null) return null;
	const result = String(value).trim();
	return result === '' ? null : result;
};
const code = (value) => {
	if (value === undefined || value === null || value === '') return null;
	const number = Number(value);
	return Number.isInteger(number) ? number : undefined;
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
const BY_DOC_STATUS = {
	1: 'pending',
	2: 'authorized',
	3: 'rejected',
	5: 'cancelled',
	6: 'voided',
	12: 'denied',
};
const BY_SITUATION = {
	100: 'authorized',
	101: 'cancelled',
	102: 'voided',
	105: 'pending',
	108: 'pending',
	113: 'pending',
	112: 'rejected',
	999: 'rejected',
	110: 'denied',
	301: 'denied',
	302: 'denied',
	303: 'denied',
};
const MIME = { pdf: 'application/pdf', xml: 'application/xml' };

const results = [];
for (const item of $input.all()) {
	const body = item.json.body;
	const document =
		body &&
		(body.documento ??
			body.Documento ??
			(Array.isArray(body.Documentos) ? body.Documentos[0] : body));
	const errors = [];
	if (!document || typeof document !== 'object') {
		errors.push({ path: 'documento', message: 'Expected an NFS-e document under "documento"' });
	} else {
		if (!text(document.DocNumero) && !text(document.DocIDUnico) && !text(document.DocChaAcesso))
			errors.push({
				path: 'DocNumero',
				message: 'The document has no number, unique id or access key',
			});
		for (const field of ['DocStatus', 'DocSitCodigo', 'TipoNotificacaoWebHook'])
			if (code(document[field]) === undefined)
				errors.push({ path: field, message: 'Expected an integer code' });
		if (
			code(document.DocStatus) === null &&
			code(document.DocSitCodigo ?? document.Situacao?.SitCodigo) === null
		)
			errors.push({
				path: 'DocStatus',
				message: 'The document has no status (DocStatus or DocSitCodigo)',
			});
		for (const field of ['DocPDF', 'DocXML', 'DocPDFBase64', 'DocXMLBase64'])
			if (document[field] != null && typeof document[field] !== 'string')
				errors.push({ path: field, message: 'Expected a base64 string' });
	}
	if (errors.length) {
		results.push({ json: { valid: false, errors, raw: body } });
		continue;
	}
	const summary = document.Resumo || {};
	const situationCode = code(document.DocSitCodigo ?? document.Situacao?.SitCodigo);
	const docStatus = code(document.DocStatus);
	const model = text(document.DocModelo);
	const number = text(document.DocNumero);
	const binary = {};
	const files = [];
	for (const [kind, base64, url] of [
		[
			'pdf',
			document.DocPDF ?? document.DocPDFBase64,
			document.DocPDFLink ?? document.DocPDFDownload,
		],
		[
			'xml',
			document.DocXML ?? document.DocXMLBase64,
			document.DocXMLLink ?? document.DocXMLDownload,
		],
	]) {
		if (!base64) {
			if (url) files.push({ kind, url: text(url), binaryProperty: null, fileName: null });
			continue;
		}
		const fileName = `${model || 'NFSe'}_${number || 'document'}.${kind}`;
		const bytes = Buffer.from(base64, 'base64');
		if (bytes.length === 0) {
			files.push({
				kind,
				url: text(url),
				binaryProperty: null,
				fileName,
				error: 'the base64 content could not be decoded',
			});
			continue;
		}
		binary[kind] = await this.helpers.prepareBinaryData(bytes, fileName, MIME[kind]);
		files.push({ kind, url: text(url), binaryProperty: kind, fileName });
	}
	results.push({
		json: {
			source: 'invoicy',
			event: 'nfse.status_changed',
			documentId:
				text(document.DocIDUnico) ??
				text(document.DocChaAcesso) ??
				[model ?? '', text(document.DocSerie) ?? '', number ?? ''].join(':'),
			documentNumber: number,
			documentType: model,
			status: BY_DOC_STATUS[docStatus] ?? BY_SITUATION[situationCode] ?? 'other',
			statusCode: situationCode,
			statusDescription: text(document.DocSitDescricao ?? document.Situacao?.SitDescricao),
			issuer: { taxId: text(summary.DocCNPJEmitente), name: text(summary.DocNomeEmitente) },
			recipient: {
				taxId: text(summary.DocCNPJDestinatario),
				name: text(summary.DocNomeDestinatario),
			},
			issueDate: text(summary.DocDataEmissao),
			totalAmount: amount(summary.DocVlrTotal),
			currency: 'BRL',
			series: text(document.DocSerie),
			nfseNumber: text(document.NFSe?.NFSeNumero),
			verificationCode: text(document.NFSe?.NFSeCodVerificacao),
			protocol: text(document.DocProtocolo),
			accessKey: text(document.DocChaAcesso),
			authorizedAt: text(summary.DocDhAut),
			docStatus,
			notificationType: code(document.TipoNotificacaoWebHook),
			events: (document.Eventos || []).map((event) => ({
				sequence: code(event.DocEvenSeq),
				type: code(event.DocEveTp),
				code: code(event.cStat),
				description: text(event.DocEveDescricao),
				protocol: text(event.DocEveProtocolo),
				registeredAt: text(event.DocEveDhReg),
			})),
			files,
			raw: body,
			receivedAt: new Date().toISOString(),
		},
		binary,
	});
}
return results;
