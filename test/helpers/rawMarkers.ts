/** The `raw` an item carries once the node has decoded a body's inline files. */

/** InvoiCy's inline file fields and the kind of file each holds. */
const INLINE_FILE_FIELDS: Record<string, 'pdf' | 'xml'> = {
	DocPDF: 'pdf',
	DocPDFBase64: 'pdf',
	DocEvePDF: 'pdf',
	DocXML: 'xml',
	DocXMLBase64: 'xml',
	DocEveXML: 'xml',
};

/**
 * The `raw` an item should carry for a body whose inline files were all decoded: each inline
 * file replaced by `[binary <kind>, <bytes> bytes]` (the contract's marker), the rest as sent.
 */
export function rawWithFileMarkers(body: unknown): unknown {
	if (Array.isArray(body)) return body.map(rawWithFileMarkers);
	if (typeof body !== 'object' || body === null) return body;
	return Object.fromEntries(
		Object.entries(body).map(([key, value]) => {
			const kind = Object.prototype.hasOwnProperty.call(INLINE_FILE_FIELDS, key)
				? INLINE_FILE_FIELDS[key]
				: undefined;
			if (kind && typeof value === 'string' && value !== '') {
				const bytes = value.trimStart().startsWith('<')
					? Buffer.byteLength(value, 'utf8')
					: Buffer.from(value, 'base64').length;
				return [key, `[binary ${kind}, ${bytes} bytes]`];
			}
			return [key, rawWithFileMarkers(value)];
		}),
	);
}
