/** Deliveries built for the storage checks: an InvoiCy NFS-e whose PDF has a chosen size. */
import { readFileSync } from 'node:fs';

import { samplePath } from '../helpers/fixtures';

/** A PDF of `bytes` bytes: a PDF header and bytes that do not compress. */
export function pdfOfSize(bytes: number): Buffer {
	const head = Buffer.from('%PDF-1.4\n');
	const body = Buffer.alloc(bytes - head.length);
	for (let i = 0; i < body.length; i++) body[i] = (i * 2654435761) >>> 24;
	return Buffer.concat([head, body]);
}

/** The authorized InvoiCy sample with a PDF of `pdfBytes` bytes and its own document number. */
export function invoiCyDeliveryWithPdf(pdfBytes: number, number: number): string {
	const body = JSON.parse(readFileSync(samplePath('invoicy-nfse-authorized'), 'utf8'));
	body.documento.DocPDF = pdfOfSize(pdfBytes).toString('base64');
	body.documento.DocNumero = number;
	return JSON.stringify(body);
}
