#!/usr/bin/env node
// Writes samples/sample-invoice.pdf: a genuine one-page PDF 1.4 (A4) showing a sample invoice,
// with the PDF objects written by hand and a byte-exact cross-reference table. It uses only the
// standard Helvetica fonts (nothing embedded), so it stays a few KB. The output is
// deterministic: running this again produces the same bytes.
//
// Usage: node samples/make-sample-pdf.mjs [output path]
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A PDF string literal in WinAnsiEncoding; non-ASCII characters become octal escapes. */
function pdfString(text) {
	const winAnsi = { '€': 0x80, '–': 0x96, '—': 0x97 };
	let out = '(';
	for (const char of text) {
		const code = winAnsi[char] ?? char.codePointAt(0);
		if (char === '(' || char === ')' || char === '\\') out += `\\${char}`;
		else if (code >= 0x20 && code < 0x7f) out += char;
		else if (code <= 0xff) out += `\\${code.toString(8).padStart(3, '0')}`;
		else out += '?';
	}
	return `${out})`;
}

/** The page's content stream: text with absolute positions, and a few ruled lines. */
function pageContent() {
	const ops = [];
	const text = (x, y, value, { size = 10, bold = false } = {}) =>
		ops.push(`BT /${bold ? 'F2' : 'F1'} ${size} Tf ${x} ${y} Td ${pdfString(value)} Tj ET`);
	const right = (xRight, y, value, options = {}) => {
		// Helvetica digits, '.', ',' and space are narrow enough to estimate: 0.556 em per digit.
		const size = options.size ?? 10;
		const width = [...value].reduce((sum, ch) => sum + (/[0-9€]/.test(ch) ? 0.556 : ch === ' ' ? 0.278 : ch === '.' || ch === ',' ? 0.278 : ch === '%' ? 0.889 : 0.6), 0) * size;
		text((xRight - width).toFixed(1), y, value, options);
	};
	const line = (x1, y1, x2, y2, width = 0.5) => ops.push(`${width} w ${x1} ${y1} m ${x2} ${y2} l S`);

	// Banner
	ops.push('0.93 0.95 0.98 rg 40 760 515 50 re f 0 0 0 rg');
	text(52, 786, 'SAMPLE INVOICE', { size: 20, bold: true });
	text(52, 770, 'Fatura de exemplo – test data for n8n-nodes-ilink-invoicy. Not a fiscal document.', { size: 9 });
	right(543, 786, 'FT 2025/123', { size: 14, bold: true });

	// Parties
	text(52, 730, 'Supplier', { size: 9, bold: true });
	text(52, 716, 'Fornecedor Exemplo, Lda.');
	text(52, 703, 'NIF 509999990');
	text(52, 690, 'Rua do Exemplo 10, 1000-001 Lisboa, Portugal');
	text(310, 730, 'Customer', { size: 9, bold: true });
	text(310, 716, 'Entidade Pública Exemplo');
	text(310, 703, 'NIF 600000000');
	text(310, 690, 'Av. Teste 1, 4000-001 Porto, Portugal');

	// Document data
	line(40, 672, 555, 672);
	text(52, 656, 'Issue date: 2025-06-02', { size: 9 });
	text(190, 656, 'Due date: 2025-07-02', { size: 9 });
	text(320, 656, 'ATCUD: JJ37MMMM-123', { size: 9 });
	text(450, 656, 'Currency: EUR', { size: 9 });
	line(40, 646, 555, 646);

	// Lines
	const header = 616;
	text(52, header, 'Description', { size: 9, bold: true });
	right(360, header, 'Qty', { size: 9, bold: true });
	right(430, header, 'Unit price', { size: 9, bold: true });
	right(480, header, 'VAT', { size: 9, bold: true });
	right(543, header, 'Amount', { size: 9, bold: true });
	line(40, 608, 555, 608, 0.8);
	const rows = [
		['Consulting services – June 2025 (sample)', '1', '80.00', '23%', '80.00'],
		['Software licence, monthly (sample)', '2', '10.00', '23%', '20.00'],
	];
	rows.forEach(([description, qty, unit, vat, total], index) => {
		const y = 592 - index * 18;
		text(52, y, description);
		right(360, y, qty);
		right(430, y, unit);
		right(480, y, vat);
		right(543, y, total);
	});
	line(40, 550, 555, 550);

	// Totals
	text(380, 532, 'Net amount');
	right(543, 532, '100.00');
	text(380, 516, 'VAT 23%');
	right(543, 516, '23.00');
	line(375, 506, 555, 506, 0.8);
	text(380, 490, 'Total due', { size: 12, bold: true });
	right(543, 490, '€ 123.00', { size: 12, bold: true });

	// Footer
	text(52, 120, 'Payment: bank transfer, IBAN PT50 0000 0000 0000 0000 0000 0 (sample).', { size: 9 });
	text(52, 106, 'Shipped with the n8n-nodes-ilink-invoicy package to try the trigger nodes without a vendor account.', { size: 8 });
	text(52, 94, 'All names, tax ids and amounts are made up.', { size: 8 });
	line(40, 80, 555, 80);
	return `${ops.join('\n')}\n`;
}

export function buildSamplePdf() {
	const content = pageContent();
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>',
		`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
		'<< /Title (Sample invoice FT 2025/123) /Author (n8n-nodes-ilink-invoicy) /Subject (Test data, not a fiscal document) /Producer (samples/make-sample-pdf.mjs) /CreationDate (D:20250602101500Z) >>',
	];

	// Header: version, then a comment with four bytes over 127 so tools treat the file as binary.
	let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets = [];
	objects.forEach((body, index) => {
		offsets.push(Buffer.byteLength(pdf, 'latin1'));
		pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xrefOffset = Buffer.byteLength(pdf, 'latin1');
	// Each cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, EOL.
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
	const id = createHash('md5').update(pdf, 'latin1').digest('hex');
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R /ID [<${id}> <${id}>] >>\n`;
	pdf += `startxref\n${xrefOffset}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const output = process.argv[2] ?? fileURLToPath(new URL('./sample-invoice.pdf', import.meta.url));
	const pdf = buildSamplePdf();
	writeFileSync(output, pdf);
	console.log(`wrote ${output} (${pdf.length} bytes)`);
}
