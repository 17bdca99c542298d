/**
 * The sample assets shipped in samples/: a genuine PDF (structure checked byte by byte, and by
 * Mozilla's pdf.js, a dev dependency), its generator reproducing it exactly, the XML files
 * well-formed enough to pass the node's signature check; and the sample deliveries, one copy each
 * in their sender's folder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SAMPLE_NAMES, samplePath } from '../helpers/fixtures';
import { ROOT, SAMPLE_NFSE_XML, SAMPLE_PDF, SAMPLE_UBL } from './harness';

describe('samples/sample-invoice.pdf', () => {
	const text = SAMPLE_PDF.toString('latin1');

	test('is small and has a PDF header and trailer', () => {
		expect(SAMPLE_PDF.length).toBeGreaterThan(1000);
		expect(SAMPLE_PDF.length).toBeLessThan(8 * 1024);
		expect(text.startsWith('%PDF-1.4\n')).toBe(true);
		expect(text.endsWith('%%EOF\n')).toBe(true);
	});

	test('its cross-reference table points at every object exactly', () => {
		const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
		expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
		const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!.map(Number);
		expect(first).toBe(0);
		const entriesStart = startxref + `xref\n0 ${count}\n`.length;
		for (let index = 0; index < count; index++) {
			const entry = text.slice(entriesStart + index * 20, entriesStart + (index + 1) * 20);
			expect(entry).toMatch(/^\d{10} \d{5} [nf] \n$/);
			if (index === 0) continue;
			const offset = Number(entry.slice(0, 10));
			expect(text.slice(offset, offset + `${index} 0 obj`.length)).toBe(`${index} 0 obj`);
		}
		expect(text).toMatch(new RegExp(`trailer\\n<< /Size ${count} /Root 1 0 R`));
	});

	test('its content stream length is right and it shows an invoice', () => {
		const match = /<< \/Length (\d+) >>\nstream\n/.exec(text)!;
		const start = match.index + match[0].length;
		expect(
			text.slice(start + Number(match[1]), start + Number(match[1]) + 'endstream'.length),
		).toBe('endstream');
		expect(text).toContain('(SAMPLE INVOICE) Tj');
		expect(text).toContain('/Type /Page ');
		expect(text).toContain('/Count 1');
	});

	test('the generator reproduces it byte for byte', () => {
		const dir = mkdtempSync(join(tmpdir(), 'sample-pdf-'));
		try {
			const output = join(dir, 'again.pdf');
			execFileSync(process.execPath, [join(ROOT, 'samples', 'make-sample-pdf.mjs'), output]);
			expect(readFileSync(output).equals(SAMPLE_PDF)).toBe(true);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	test("Mozilla's pdf.js opens it as a one-page A4 document with the invoice's text", () => {
		// pdf.js is an ES module: read in a child process (jest runs these tests as CommonJS).
		const script = `
			import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
			const data = new Uint8Array((await import('node:fs')).readFileSync(process.argv[1]));
			const pdf = await getDocument({ data, verbosity: 0 }).promise;
			const page = await pdf.getPage(1);
			const text = (await page.getTextContent()).items.map((item) => item.str).join(' ');
			console.log(JSON.stringify({ pages: pdf.numPages, size: page.view, text }));
		`;
		const result = spawnSync(
			process.execPath,
			['--input-type=module', '-e', script, join(ROOT, 'samples', 'sample-invoice.pdf')],
			{ cwd: ROOT, encoding: 'utf8' },
		);
		expect(result.stderr).toBe('');
		const read = JSON.parse(result.stdout);
		expect(read.pages).toBe(1);
		expect(read.size).toEqual([0, 0, 595, 842]); // A4 in points
		expect(read.text).toContain('SAMPLE INVOICE');
		expect(read.text).toContain('€ 123.00');
	});
});

describe('sample XML files', () => {
	test.each([
		[
			'sample-invoice.xml',
			SAMPLE_UBL,
			/<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/,
			/<cbc:ID>FT 2025\/123<\/cbc:ID>/,
		],
		[
			'sample-nfse.xml',
			SAMPLE_NFSE_XML,
			/<CompNfse xmlns="http:\/\/www\.abrasf\.org\.br\/nfse\.xsd">/,
			/<CodigoVerificacao>ABCD1234<\/CodigoVerificacao>/,
		],
	])(
		'%s starts with an XML declaration and has its root element',
		(_name, content, root, field) => {
			const xml = content.toString('utf8');
			expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
			expect(xml).toMatch(root);
			expect(xml).toMatch(field);
			// Every opened element is closed, in order (a small well-formedness check).
			const stack: string[] = [];
			for (const [, closing, name, selfClosing] of xml
				.replace(/<!--[\s\S]*?-->/g, '')
				.matchAll(/<(\/?)([A-Za-z][\w:.-]*)[^>]*?(\/?)>/g)) {
				if (selfClosing) continue;
				if (closing) expect(stack.pop()).toBe(name);
				else stack.push(name);
			}
			expect(stack).toEqual([]);
		},
	);
});

describe('sample deliveries', () => {
	test('each is one JSON object in its sender folder, the one copy the CLI and the tests read', () => {
		for (const name of SAMPLE_NAMES) {
			const path = samplePath(name);
			expect(path).toMatch(/nodes\/[A-Za-z]+\/samples\/[a-z-]+\.json$/);
			expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(expect.any(Object));
		}
		expect(readdirSync(join(ROOT, 'samples')).filter((name) => name.endsWith('.json'))).toEqual([]);
	});
});
