/**
 * The drift rules of issue 18, each as a property over generated deliveries rather than one
 * sample: a list where one value is expected, labels written as sentences, dates, hostile
 * nesting and sizes, files that are not what they say, InvoiCy's other body shapes, NFS-e
 * Nacional keys, Basic with a token as typed, and links to private addresses.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { ILINK_DOCUMENT_TYPES, ILINK_STATES } from '../../nodes/ILink/ILinkFacts';
import { INVOICY_SITUATION_CODES, INVOICY_STATUSES } from '../../nodes/InvoiCy/InvoiCyFacts';
import { taxIdOf } from '../../nodes/InvoiCy/InvoiCyTaxIds';
import { statusLookup, type StatusFact } from '../../nodes/shared/facts';
import { fileNameFor } from '../../nodes/shared/files';
import { MAX_NESTING } from '../../nodes/shared/nesting';
import { isNonPublicAddress, privateTarget } from '../../nodes/shared/privateAddresses';
import { date, labelWords, utcOffset } from '../../nodes/shared/values';
import { sample } from '../helpers/fixtures';
import { expectOneDocument, MINIMAL_PDF, send, stableFields, type NodeKind } from '../helpers/unit';

const RUNS = { numRuns: 150 };
const FEW = { numRuns: 40 };

const iLinkNew = () => sample('ilink-new-document');
const invoiCyAuthorized = () => sample('invoicy-nfse-authorized');

/** The paths of a body to every value that is not inside a list (lists are lists already). */
function singleValuePaths(value: unknown, path: string[] = []): string[][] {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return [path];
	return [
		...(path.length ? [path] : []),
		...Object.entries(value).flatMap(([key, entry]) => singleValuePaths(entry, [...path, key])),
	];
}

function setAt(body: Record<string, any>, path: string[], change: (value: unknown) => unknown) {
	let container = body;
	for (const key of path.slice(0, -1)) container = container[key];
	const last = path[path.length - 1];
	container[last] = change(container[last]);
}

const warningPaths = (json: IDataObject) =>
	((json.warnings as IDataObject[] | undefined) ?? []).map((warning) => warning.path);

/** The item without what a list-of-one changes by design: raw (as sent) and the arrival time. */
const sameItem = (json: IDataObject) => {
	const { warnings: _warnings, ...rest } = stableFields(json);
	return rest;
};

const CASES: Array<{ kind: NodeKind; body: () => Record<string, any>; root: string[] }> = [
	{ kind: 'iLinkNewDocument', body: iLinkNew, root: [] },
	{ kind: 'iLinkStatusChange', body: () => sample('ilink-status-change-rejected'), root: [] },
	{ kind: 'invoiCyNfse', body: invoiCyAuthorized, root: ['documento'] },
];

/**
 * A sample's item, and the paths to its values that are not lists already (the inline files,
 * which are files rather than fields, left out).
 */
async function singleValueFieldsOf({ kind, body, root }: (typeof CASES)[number]) {
	const baseline = expectOneDocument(await send(kind, body())).json;
	const document = root.reduce((value, key) => value[key], body());
	const paths = singleValuePaths(document).filter(
		(path) => !/^(Doc(PDF|XML)|attachments|reasons|Eventos)$/.test(path[0]),
	);
	return { baseline, paths };
}

describe('1. a list where one value is expected, at any depth', () => {
	test.each(CASES)(
		'$kind: any value wrapped in a list of one reads as the value, silently',
		async ({ kind, body, root }) => {
			const { baseline, paths } = await singleValueFieldsOf({ kind, body, root });
			await fc.assert(
				fc.asyncProperty(fc.constantFrom(...paths), async (path) => {
					const changed = body();
					setAt(changed, [...root, ...path], (value) => [value]);
					const json = expectOneDocument(await send(kind, changed)).json;
					expect(sameItem(json)).toEqual(sameItem(baseline));
					expect(json.warnings).toEqual(baseline.warnings);
				}),
				RUNS,
			);
		},
	);

	test.each(CASES)(
		'$kind: a list of several reads its first entry; a field the node reads gets one warning at its path',
		async ({ kind, body, root }) => {
			const { baseline, paths } = await singleValueFieldsOf({ kind, body, root });
			let warned = 0;
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom(...paths),
					fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }),
					async (path, others) => {
						const changed = body();
						setAt(changed, [...root, ...path], (value) => [value, ...others]);
						const json = expectOneDocument(await send(kind, changed)).json;
						expect(sameItem(json)).toEqual(sameItem(baseline));
						// A field the schema does not declare is only kept in raw: nothing to warn about.
						if (json.warnings === undefined) return;
						warned++;
						expect(others.some((other) => other !== null)).toBe(true);
						expect(json.warnings).toEqual([
							{
								path: [...root, ...path].join('.'),
								message: expect.stringMatching(/the first is read$/),
							},
						]);
					},
				),
				RUNS,
			);
			expect(warned).toBeGreaterThan(RUNS.numRuns / 4);
		},
	);
});

/** Words that name no status in either language: the filler of generated sentences. */
const FILLER = [
	'o',
	'documento',
	'foi',
	'pelo',
	'cliente',
	'em',
	'the',
	'invoice',
	'by',
	'customer',
	'on',
	'data',
];

/** A sentence around a label, in any letter case, with punctuation. */
const sentenceAround = (label: string) =>
	fc
		.tuple(
			fc.array(fc.constantFrom(...FILLER), { maxLength: 4 }),
			fc.array(fc.constantFrom(...FILLER), { maxLength: 4 }),
			fc.constantFrom('', '.', '!', ':', ' ...', ';'),
			fc.constantFrom('lower', 'upper', 'title'),
		)
		.map(([before, after, stop, letterCase]) => {
			const cased =
				letterCase === 'upper'
					? label.toUpperCase()
					: letterCase === 'title'
						? label.replace(/^./, (c) => c.toUpperCase())
						: label;
			return `${[...before, cased].join(' ')}${after.length ? `, ${after.join(' ')}` : ''}${stop}`;
		});

/** Every (label, status) of a list of status facts, for the labelled statuses. */
const labelled = <S extends string>(statuses: ReadonlyArray<StatusFact<S>>) =>
	statuses.flatMap((status) =>
		status.labels?.length
			? [status.value, ...status.labels].map((label) => ({ label, value: status.value }))
			: [],
	);

describe('2. states and statuses from what senders write', () => {
	test.each([
		['iLink states', ILINK_STATES],
		['iLink document types', ILINK_DOCUMENT_TYPES],
		['InvoiCy statuses', INVOICY_STATUSES],
	] as const)('%s: a sentence around any label reads as its status', (_name, statuses) => {
		const lookup = statusLookup<string>(statuses);
		const labels = labelled<string>(statuses);
		// A label that is part of a longer one ("enviado" in "nao enviado") is read as the longer.
		const longest = labels.filter(
			({ label }) =>
				!labels.some(
					(other) =>
						other.label !== label &&
						` ${other.label} `.includes(` ${label} `) &&
						other.value !== labels.find((entry) => entry.label === label)!.value,
				),
		);
		fc.assert(
			fc.property(
				fc
					.constantFrom(...longest)
					.chain(({ label, value }) => sentenceAround(label).map((text) => ({ text, value }))),
				({ text, value }) => {
					expect(lookup(text)).toBe(value);
				},
			),
			{ numRuns: 500 },
		);
	});

	test('a negation just before a label keeps it from counting', () => {
		const lookup = statusLookup(ILINK_STATES);
		fc.assert(
			fc.property(
				fc.constantFrom(
					...labelled(ILINK_STATES).filter(({ label }) => !/^(nao|not)\b/.test(label)),
				),
				fc.constantFrom('não', 'nao', 'not', 'never', 'sem'),
				fc.constantFrom('', 'yet', 'foi'),
				({ label }, negation, between) => {
					const text = [negation, between, label].filter(Boolean).join(' ');
					// "não enviado" is itself a label (to send): not a negated "enviado".
					const isLabel = labelled(ILINK_STATES).some(
						(entry) => labelWords(entry.label).join(' ') === labelWords(text).join(' '),
					);
					fc.pre(!isLabel);
					expect(lookup(text)).toBeUndefined();
				},
			),
			{ numRuns: 300 },
		);
	});

	test('iLink: a state in a sentence passes exactly its own States filter', async () => {
		const states = labelled(ILINK_STATES).filter(({ label }) => !/^(nao|not|a|por) /.test(label));
		await fc.assert(
			fc.asyncProperty(
				fc
					.constantFrom(...states)
					.chain(({ label, value }) => sentenceAround(label).map((text) => ({ text, value }))),
				fc.constantFrom('description', 'alias', 'plain', 'list of one'),
				async ({ text, value }, shape) => {
					const state_document =
						shape === 'plain'
							? text
							: shape === 'list of one'
								? [{ description: text }]
								: { [shape]: text };
					const body = { ...sample('ilink-status-change-sent'), state_document };
					const own = await send('iLinkStatusChange', body, { parameters: { states: [value] } });
					expect(expectOneDocument(own).json.status).toBe(value);
					const others = ILINK_STATES.map((state) => state.value).filter((s) => s !== value);
					const rest = await send('iLinkStatusChange', body, { parameters: { states: others } });
					expect(rest.started).toBe(false);
				},
			),
			FEW,
		);
	});

	test('InvoiCy: every situation code in the facts is read as its status', async () => {
		for (const { code, status } of INVOICY_SITUATION_CODES) {
			const body = invoiCyAuthorized();
			delete body.documento.DocStatus;
			body.documento.DocSitCodigo = code;
			const json = expectOneDocument(
				await send('invoiCyNfse', body, { parameters: { statuses: [status] } }),
			).json;
			expect([code, json.status]).toEqual([code, status]);
		}
	});
});

/** A calendar date from 1900 to 2999, as its parts. */
const calendarDate = fc
	.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z') })
	.filter((time) => !Number.isNaN(time.getTime()))
	.map((time) => time.toISOString());

describe('3. dates', () => {
	test('digits shaped like yyyymmdd (number or text) are that date; yyyymmddhhmmss that time', () => {
		fc.assert(
			fc.property(calendarDate, fc.boolean(), fc.boolean(), (iso, asNumber, withTime) => {
				const digits = withTime
					? iso.slice(0, 19).replace(/\D/g, '')
					: iso.slice(0, 10).replace(/\D/g, '');
				const expected = withTime ? iso.slice(0, 19) : iso.slice(0, 10);
				expect(date(asNumber ? Number(digits) : digits)).toBe(expected);
			}),
			{ numRuns: 500 },
		);
	});

	test('digits shaped like yyyymmdd that are no calendar date are null, with a warning', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1900, max: 2999 }),
				fc.oneof(
					fc.tuple(fc.integer({ min: 13, max: 99 }), fc.integer({ min: 1, max: 28 })),
					fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 32, max: 99 })),
					fc.tuple(fc.constant(2), fc.constant(30)),
				),
				async (year, [month, day]) => {
					const value = Number(
						`${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`,
					);
					const body = { ...iLinkNew(), emission_date: value };
					const json = expectOneDocument(await send('iLinkNewDocument', body)).json;
					expect(json.issueDate).toBeNull();
					expect(warningPaths(json)).toEqual(['emission_date']);
				},
			),
			FEW,
		);
	});

	test("InvoiCy's empty date (year 0000 or 0001, any time) is null, without a warning", async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom(
					'0001-01-01',
					'0000-00-00',
					'0001-01-01T00:00:00',
					'0000-00-00T00:00:00',
					'0001-01-01T10:30:22',
				),
				async (empty) => {
					const body = invoiCyAuthorized();
					body.documento.Resumo.DocDataEmissao = empty;
					body.documento.Resumo.DocDhAut = empty;
					const json = expectOneDocument(await send('invoiCyNfse', body)).json;
					expect([json.issueDate, json.authorizedAt, json.warnings]).toEqual([
						null,
						null,
						undefined,
					]);
				},
			),
			FEW,
		);
	});

	test('a time without a zone gets the zone DocFusoHorario names; a time with one keeps its own', () => {
		const offset = fc
			.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45))
			.map(([sign, hours, minutes]) => ({
				iso: `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`,
				written: fc.constantFrom(
					`${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`,
					`${sign}${String(hours).padStart(2, '0')}${String(minutes).padStart(2, '0')}`,
					...(minutes === 0 ? [`${sign}${hours}`, `UTC${sign}${hours}`, `GMT${sign}${hours}`] : []),
				),
			}))
			.chain(({ iso, written }) => written.map((text) => ({ iso, text })));
		fc.assert(
			fc.property(
				calendarDate,
				offset,
				fc.constantFrom('T', ' '),
				(time, { iso, text }, separator) => {
					const local = `${time.slice(0, 10)}${separator}${time.slice(11, 19)}`;
					const zone = utcOffset(text);
					expect(zone).toBe(iso);
					expect(date(local, zone)).toBe(`${time.slice(0, 10)}T${time.slice(11, 19)}${iso}`);
					expect(date(`${time.slice(0, 19)}-03:00`, zone)).toBe(`${time.slice(0, 19)}-03:00`);
					expect(date(`${time.slice(0, 19)}Z`, zone)).toBe(`${time.slice(0, 19)}Z`);
					expect(date(time.slice(0, 10), zone)).toBe(time.slice(0, 10));
				},
			),
			{ numRuns: 500 },
		);
	});
});

/**
 * A body as JSON text with a value nested `depth` levels deep (objects or lists) at `path`:
 * written as text, since JSON.stringify itself overflows on such a value.
 */
function withNestedValue(
	body: Record<string, any>,
	path: string[],
	depth: number,
	asList: boolean,
) {
	setAt(body, path, () => '__NESTED__');
	const [open, close] = asList ? ['[', ']'] : ['{"a":', '}'];
	const nested = `${open.repeat(depth)}"bottom"${close.repeat(depth)}`;
	return JSON.stringify(body).replace('"__NESTED__"', nested);
}

describe('4. hostile shapes never answer 500', () => {
	test.each(CASES)(
		'$kind: a value nested thousands of levels deep in any field, or beside them',
		async ({ kind, body, root }) => {
			const document = root.reduce((value, key) => value[key], body());
			const paths = [...singleValuePaths(document), ['unknownField']];
			await fc.assert(
				fc.asyncProperty(
					fc.constantFrom(...paths),
					fc.integer({ min: MAX_NESTING + 1, max: 20_000 }),
					fc.boolean(),
					async (path, depth, asList) => {
						const text = withNestedValue(body(), [...root, ...path], depth, asList);
						const result = await send(kind, text, { contentType: 'application/json' });
						expect(result.status).toBe(200);
						const items = [...result.outputs[0], ...(result.outputs[1] ?? [])];
						expect(items.length).toBeGreaterThan(0);
						for (const item of items) {
							// n8n stores an item with JSON.stringify: it must not overflow.
							const stored = JSON.stringify(item.json);
							expect(stored).toContain(`nested more than ${MAX_NESTING} levels deep`);
							for (const warning of (item.json.warnings as IDataObject[]) ?? [])
								expect(String(warning.message).length + String(warning.path).length).toBeLessThan(
									300,
								);
						}
					},
				),
				FEW,
			);
		},
	);

	test('a warning quotes a short excerpt of a huge value, never the value', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1000, max: 300_000 }),
				fc.constantFrom('amounts.payable_amount', 'amounts.total_amount'),
				async (size, field) => {
					const huge = 'x'.repeat(size);
					const body = iLinkNew();
					setAt(body, field.split('.'), () => huge);
					const json = expectOneDocument(await send('iLinkNewDocument', body)).json;
					const warnings = json.warnings as IDataObject[];
					expect(warnings.map((warning) => warning.path)).toContain(field);
					expect(JSON.stringify(warnings).length).toBeLessThan(400);
				},
			),
			FEW,
		);
	});

	test('file names are at most 255 bytes, of safe characters, never a device name, distinct when cut', () => {
		const anyText = fc.oneof(
			fc.string({ maxLength: 600 }),
			fc.fullUnicodeString({ maxLength: 300 }),
			fc.constantFrom(
				'CON',
				'nul',
				'Com1',
				'LPT9',
				'aux',
				'..',
				'.hidden',
				'/etc/passwd',
				'a\\b',
				'',
			),
		);
		fc.assert(
			fc.property(
				fc.option(anyText),
				fc.option(anyText),
				fc.constantFrom('pdf', 'xml') as fc.Arbitrary<'pdf' | 'xml'>,
				fc.constantFrom(undefined, 'eventPdf1', 'eventXml12'),
				(type, number, kind, property) => {
					const name = fileNameFor(type, number, kind, property ?? kind);
					expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
					expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._~-]*\.(pdf|xml)$/);
					expect(name.split('.')[0]).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
				},
			),
			{ numRuns: 1000 },
		);
		const long = 'N'.repeat(400);
		expect(fileNameFor('FT', `${long}1`, 'pdf')).not.toBe(fileNameFor('FT', `${long}2`, 'pdf'));
	});
});

/** HTML's element names beside the roots of the documents this package reads. */
const HTML_ROOTS = [
	'html',
	'HTML',
	'body',
	'div',
	'head',
	'title',
	'p',
	'table',
	'form',
	'h1',
	'xhtml:html',
];
const XML_ROOTS = [
	'Invoice',
	'CreditNote',
	'DebitNote',
	'CompNfse',
	'NFSe',
	'ConsultarNfseRpsResposta',
	'EnviarLoteRpsResposta',
	'nfseProc',
	'ubl:Invoice',
];

const prolog = fc
	.array(
		fc.constantFrom(
			'<?xml version="1.0" encoding="UTF-8"?>',
			'<!-- a comment -->',
			'<?xml-stylesheet href="s.xsl"?>',
			'\n  ',
			'<!DOCTYPE x [ <!ELEMENT x ANY> ]>',
		),
		{ maxLength: 4 },
	)
	.map((parts) => parts.join(''));

describe('5. files are what they say', () => {
	test('an "XML" whose root element is HTML is refused, with or without a doctype; document roots are taken', async () => {
		await fc.assert(
			fc.asyncProperty(
				prolog,
				fc.oneof(
					fc.constantFrom(...HTML_ROOTS).map((root) => ({ root, html: true })),
					fc.constantFrom(...XML_ROOTS).map((root) => ({ root, html: false })),
				),
				fc.boolean(),
				async (before, { root, html }, asBase64) => {
					const text = `${before}<${root}><x>Sessão expirada</x></${root}>`;
					const body = invoiCyAuthorized();
					body.documento.DocXML = asBase64 ? Buffer.from(text).toString('base64') : text;
					const item = expectOneDocument(await send('invoiCyNfse', body));
					const xmlEntry = (item.json.files as IDataObject[]).find((file) => file.kind === 'xml')!;
					if (html) {
						expect(item.binary?.xml).toBeUndefined();
						expect(xmlEntry.error).toMatch(/not a XML file/);
					} else {
						expect(item.binary?.xml).toBeDefined();
						expect(xmlEntry.error).toBeUndefined();
					}
				},
			),
			RUNS,
		);
	});

	test('the data: prefix is read in any letter case', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc
					.constantFrom('data:application/pdf;base64,', 'application/pdf;charset=binary;base64,')
					.chain((prefix) =>
						fc
							.array(fc.boolean(), { minLength: prefix.length, maxLength: prefix.length })
							.map((upper) =>
								[...(prefix.startsWith('data:') ? prefix : `data:${prefix}`)]
									.map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c))
									.join(''),
							),
					),
				async (prefix) => {
					const body = invoiCyAuthorized();
					body.documento.DocPDF = `${prefix}${MINIMAL_PDF.toString('base64')}`;
					const item = expectOneDocument(await send('invoiCyNfse', body));
					expect(Buffer.from(item.binary!.pdf.data, 'base64')).toEqual(MINIMAL_PDF);
				},
			),
			FEW,
		);
	});
});

/** A random spelling of a name's letters. */
const anyCase = (name: string) =>
	fc
		.array(fc.boolean(), { minLength: name.length, maxLength: name.length })
		.map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

/** Independent oracle for the mod-11 check digits of a CNPJ (12 digits) or CPF (9 digits). */
function withCheckDigits(digits: string): string {
	const next = (text: string) => {
		const weights =
			text.length >= 12
				? [...'6543298765432'].slice(13 - text.length).map(Number)
				: Array.from({ length: text.length }, (_, i) => text.length + 1 - i);
		const rest = [...text].reduce((sum, d, i) => sum + Number(d) * weights[i], 0) % 11;
		return `${text}${rest < 2 ? 0 : 11 - rest}`;
	};
	return next(next(digits));
}

describe('6. InvoiCy: other body shapes', () => {
	test('wrappers in any letter case read as documento / Documentos / notificacao', async () => {
		const baseline = expectOneDocument(await send('invoiCyNfse', invoiCyAuthorized())).json;
		await fc.assert(
			fc.asyncProperty(
				anyCase('documento'),
				anyCase('documentos'),
				fc.boolean(),
				async (one, many, list) => {
					const document = invoiCyAuthorized().documento;
					const body = list ? { [many]: [document] } : { [one]: document };
					const json = expectOneDocument(await send('invoiCyNfse', body)).json;
					expect(sameItem(json)).toEqual(sameItem(baseline));
				},
			),
			FEW,
		);
		await fc.assert(
			fc.asyncProperty(anyCase('notificacao'), async (key) => {
				const body = { [key]: { TipoNotificacao: 14, DescNotificacao: 'Pulo de numeração' } };
				const result = await send('invoiCyNfse', body, {
					options: { accountNotifications: ['issuing.stopped'] },
				});
				expect(expectOneDocument(result).json.event).toBe('issuing.stopped');
			}),
			FEW,
		);
	});

	test("a top-level JSON list, InvoiCy's return shape, gives one item per document", async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
				fc.boolean(),
				async (perReturn, asReturns) => {
					let number = 0;
					const documentsOf = (count: number) =>
						Array.from({ length: count }, () => ({
							...invoiCyAuthorized().documento,
							DocIDUnico: `doc-${++number}`,
						}));
					const body = asReturns
						? perReturn.map((count) => ({
								Codigo: 100,
								Descricao: 'Documentos processados',
								Documentos: documentsOf(count),
							}))
						: documentsOf(perReturn.reduce((a, b) => a + b, 0));
					const result = await send('invoiCyNfse', body);
					expect(result.status).toBe(200);
					expect(result.outputs[0].map((item) => item.json.documentId)).toEqual(
						Array.from({ length: number }, (_, i) => `doc-${i + 1}`),
					);
					expect(result.outputs[0][0].json.raw).toEqual(expect.any(Array));
				},
			),
			FEW,
		);
	});

	test('events as { EventosItem: [...] } or { EventosItem: {...} } read as Eventos', async () => {
		const baseline = expectOneDocument(
			await send('invoiCyNfse', sample('invoicy-nfse-cancelled')),
		).json;
		for (const wrap of [
			(events: unknown[]) => ({ EventosItem: events }),
			(events: unknown[]) => ({ EventosItem: events[0] }),
		]) {
			const body = sample('invoicy-nfse-cancelled');
			body.documento.Eventos = wrap(body.documento.Eventos);
			const json = expectOneDocument(await send('invoiCyNfse', body)).json;
			expect(json.events).toEqual(baseline.events);
			expect(json.warnings).toBeUndefined();
		}
	});

	test('a CNPJ or CPF sent as a number gets its leading zeros back', () => {
		fc.assert(
			fc.property(
				fc.boolean(),
				fc.integer({ min: 1, max: 3 }),
				fc.stringMatching(/^[1-9][0-9]{10}$/),
				(cnpj, zeros, digits) => {
					// CNPJ: 1 or 2 leading zeros leave 12 or 13 digits; CPF: 1 to 3 leave 8 to 10.
					const body = `${'0'.repeat(cnpj ? Math.min(zeros, 2) : zeros)}${digits}`.slice(
						0,
						cnpj ? 12 : 9,
					);
					const taxId = withCheckDigits(body);
					expect(taxIdOf(Number(taxId))).toBe(taxId);
					expect(taxIdOf(taxId)).toBe(taxId);
				},
			),
			{ numRuns: 1000 },
		);
	});
});

describe('7. NFS-e Nacional', () => {
	const fiftyDigits = fc.stringMatching(/^[0-9]{50}$/);

	test('a 50-digit national key in DocChaAcesso or NFSeCodVerificacao is nationalKey; nothing assumes 44 digits', async () => {
		await fc.assert(
			fc.asyncProperty(
				fiftyDigits,
				fc.constantFrom('DocChaAcesso', 'NFSeCodVerificacao'),
				fc.constantFrom('', 'NFS', 'nfs'),
				async (key, field, prefix) => {
					const body = invoiCyAuthorized();
					delete body.documento.DocIDUnico;
					if (field === 'DocChaAcesso') body.documento.DocChaAcesso = `${prefix}${key}`;
					else body.documento.NFSe.NFSeCodVerificacao = `${prefix}${key}`;
					const json = expectOneDocument(await send('invoiCyNfse', body)).json;
					expect(json.nationalKey).toBe(key);
					if (field === 'DocChaAcesso') expect(json.documentId).toBe(`${prefix}${key}`);
				},
			),
			FEW,
		);
	});

	test('any other key (a hash, 44 digits, 49 or 51) is kept as sent and is no nationalKey', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc
					.oneof(
						fc.base64String({ minLength: 8, maxLength: 40 }),
						fc.stringMatching(/^[0-9]{44}$/),
						fc.stringMatching(/^[0-9]{49}$/),
						fc.stringMatching(/^[0-9]{51}$/),
					)
					.filter((key) => key.trim() !== ''),
				async (key) => {
					const body = invoiCyAuthorized();
					delete body.documento.DocIDUnico;
					body.documento.DocChaAcesso = key;
					const json = expectOneDocument(await send('invoiCyNfse', body)).json;
					expect([json.documentId, json.accessKey, json.nationalKey]).toEqual([
						key.trim(),
						key.trim(),
						null,
					]);
				},
			),
			FEW,
		);
	});
});

describe('8. InvoiCy Basic with the token as typed', () => {
	/** Tokens a partner can type: printable, no spaces at the ends. */
	const token = fc
		.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,40}[\x21-\x7e]$/)
		.filter((value) => !/\s{2}/.test(value));
	const basic = (tokenAsTyped: string) => ({
		parameters: { authentication: 'basicAuth' },
		credentials: { invoiCyBasicAuthApi: { user: '', password: '', tokenAsTyped } },
	});

	test('the header Basic <token> is accepted exactly as typed; anything else is 401', async () => {
		await fc.assert(
			fc.asyncProperty(token, fc.constantFrom('Basic', 'basic', 'BASIC'), async (typed, scheme) => {
				const ok = await send('invoiCyNfse', invoiCyAuthorized(), {
					...basic(typed),
					authorization: `${scheme} ${typed}`,
				});
				expect(ok.status).toBe(200);
				for (const wrong of [`Basic ${typed}x`, `Basic ${typed.slice(1)}`, `Bearer ${typed}`])
					expect(
						(
							await send('invoiCyNfse', invoiCyAuthorized(), {
								...basic(typed),
								authorization: wrong,
							})
						).status,
					).toBe(401);
			}),
			FEW,
		);
	});

	test('base64 of user:password with or without the newline echo adds is that user and password', async () => {
		const pair = fc.tuple(
			fc.stringMatching(/^[a-z0-9_.-]{1,20}$/),
			fc.stringMatching(/^[\x21-\x7e]{1,30}$/),
		);
		await fc.assert(
			fc.asyncProperty(pair, fc.constantFrom('', '\n'), async ([user, password], newline) => {
				const header = `Basic ${Buffer.from(`${user}:${password}${newline}`).toString('base64')}`;
				const options = {
					parameters: { authentication: 'basicAuth' },
					credentials: { invoiCyBasicAuthApi: { user, password } },
				};
				expect(
					(await send('invoiCyNfse', invoiCyAuthorized(), { ...options, authorization: header }))
						.status,
				).toBe(200);
				const twice = `Basic ${Buffer.from(`${user}:${password}\n\n`).toString('base64')}`;
				expect(
					(await send('invoiCyNfse', invoiCyAuthorized(), { ...options, authorization: twice }))
						.status,
				).toBe(401);
			}),
			FEW,
		);
	});
});

/** An IPv4 address inside a CIDR range. */
const inRange = (base: string, prefix: number) =>
	fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => {
		const start = base.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
		const value = start + offset;
		return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
	});

const PRIVATE_V4 = fc.oneof(
	inRange('127.0.0.0', 8),
	inRange('10.0.0.0', 8),
	inRange('172.16.0.0', 12),
	inRange('192.168.0.0', 16),
	inRange('169.254.0.0', 16),
	inRange('100.64.0.0', 10),
	inRange('0.0.0.0', 8),
);

/** The ways a URL can write an IPv4 address. */
const spellings = (ipv4: string) => {
	const value = ipv4.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
	const hex = (n: number) => n.toString(16);
	return fc.constantFrom(
		ipv4,
		String(value),
		`0x${hex(value)}`,
		`[::ffff:${ipv4}]`,
		`[::ffff:${hex(Math.floor(value / 65536))}:${hex(value % 65536)}]`,
		`[64:ff9b::${ipv4}]`,
	);
};

describe('9. links to private addresses', () => {
	test('an IPv4 private, loopback or link-local address in any spelling is a private target', () => {
		fc.assert(
			fc.property(PRIVATE_V4.chain(spellings), (host) => {
				expect(privateTarget(new URL(`http://${host}:8080/file.pdf`))).toMatch(/private address/);
			}),
			{ numRuns: 1000 },
		);
	});

	test('IPv6 loopback, link-local and unique-local addresses are private targets', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.constant('::1'),
					fc.constant('::'),
					fc.stringMatching(/^fe[89ab][0-9a-f]:(:[0-9a-f]{1,4}){1,3}$/),
					fc.stringMatching(/^f[cd][0-9a-f]{2}:[0-9a-f]{1,4}::[0-9a-f]{1,4}$/),
				),
				(address) => {
					expect(isNonPublicAddress(address)).toBe(true);
					expect(privateTarget(new URL(`https://[${address}]/x.xml`))).toMatch(/private address/);
				},
			),
			{ numRuns: 500 },
		);
	});

	test('public addresses and public names are no private targets', () => {
		const publicV4 = fc.ipV4().filter((ip) => !isNonPublicAddress(ip));
		fc.assert(
			fc.property(
				fc.oneof(
					publicV4,
					fc
						.domain()
						.filter(
							(name) => name.includes('.') && !/(local|localhost|internal|home\.arpa)$/.test(name),
						),
				),
				(host) => {
					expect(privateTarget(new URL(`https://${host}/doc.pdf`))).toBeUndefined();
				},
			),
			{ numRuns: 1000 },
		);
		for (const host of [
			'193.43.40.153',
			'8.8.8.8',
			'ilink.pt',
			'apibr.invoicy.com.br',
			'[2001:4860:4860::8888]',
		])
			expect(privateTarget(new URL(`https://${host}/doc.pdf`))).toBeUndefined();
	});

	test('local names are private targets', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.constantFrom(
						'localhost',
						'LOCALHOST',
						'localhost.',
						'metadata',
						'fileserver',
						'metadata.google.internal',
					),
					fc.domain().map((name) => `${name.split('.')[0]}.localhost`),
					fc.domain().map((name) => `${name.split('.')[0]}.local`),
					fc.domain().map((name) => `${name.split('.')[0]}.home.arpa`),
				),
				(host) => {
					expect(privateTarget(new URL(`http://${host}/x.pdf`))).toMatch(/local host/);
				},
			),
			{ numRuns: 300 },
		);
	});
});
