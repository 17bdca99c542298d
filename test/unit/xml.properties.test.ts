/**
 * The XML reader against a well-kept parser as the oracle: fast-xml-parser (a devDependency only)
 * reads the same documents, its ordered output is turned into our element shape, and both must be
 * equal. Generated documents cover prefixed names, namespace declarations, attributes with every
 * kind of quoting and escaping, text with references and non-ASCII characters, CDATA, comments,
 * processing instructions, mixed content and nesting; then every fixture file.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

import { XmlError, readXml, type XmlElement } from '../../nodes/shared/xml';

const oracle = new XMLParser({
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	removeNSPrefix: true,
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
	processEntities: true,
	// Decodes numeric character references too (named HTML entities never occur here).
	htmlEntities: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	commentPropName: false,
});

type OrderedNode = Record<string, unknown>;

/** fast-xml-parser's ordered output as our shape: element children in order, text concatenated. */
function fromOracle(nodes: OrderedNode[]): XmlElement {
	const elements = nodes.filter((node) => !('#text' in node));
	expect(elements).toHaveLength(1);
	return convert(elements[0]);
}

function convert(node: OrderedNode): XmlElement {
	const name = Object.keys(node).find((key) => key !== ':@') as string;
	const element: XmlElement = {
		name,
		attributes: { ...((node[':@'] as Record<string, string>) ?? {}) },
		children: [],
		text: '',
	};
	for (const inner of node[name] as OrderedNode[]) {
		if ('#text' in inner) element.text += String(inner['#text']);
		else element.children.push(convert(inner));
	}
	return element;
}

function ours(xml: string | Buffer): XmlElement {
	const result = readXml(xml);
	if (!result.ok) throw new Error(`refused: ${result.error.message} at ${result.error.offset}`);
	return result.root;
}

// ------------------------------------------------------------------------------------------------
// Generated documents

/** Characters for text and attribute values: markup characters, spaces, accents, astral, CJK. */
const CHARS = [
	...'abcXYZ019 .,;:-_/#=?!()[]{}*+%$@',
	'<',
	'>',
	'&',
	'"',
	"'",
	']',
	'é',
	'ç',
	'ã',
	'º',
	'€',
	'\u00a0',
	'中',
	'😀',
];
const TEXT_CHARS = [...CHARS, '\n', '\t', ' '];
const rawText = (chars: string[], maxLength = 12) =>
	fc.array(fc.constantFrom(...chars), { maxLength }).map((list) => list.join(''));

type Style = 'plain' | 'decimal' | 'hex';

/** Escapes what must be escaped, and writes some other characters as references by `style`. */
function escape(value: string, quote: '"' | "'" | null, style: Style): string {
	let out = '';
	for (const char of value) {
		const code = char.codePointAt(0) as number;
		if (char === '<') out += '&lt;';
		else if (char === '&') out += '&amp;';
		else if (char === '>' && out.endsWith(']]')) out += '&gt;';
		else if (quote && char === quote) out += quote === '"' ? '&quot;' : '&apos;';
		else if (style !== 'plain' && (code > 127 || char === 'a'))
			out += style === 'hex' ? `&#x${code.toString(16).toUpperCase()};` : `&#${code};`;
		else out += char;
	}
	return out;
}

const prefix = fc.constantFrom('', '', 'cbc:', 'cac:', 'ns1:', 'x:');
const localName = fc
	.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,7}$/)
	.filter((name) => !/^xml/i.test(name));

interface Attribute {
	prefix: string;
	name: string;
	value: string;
	quote: '"' | "'";
	style: Style;
	spacing: string;
}
const style = fc.constantFrom<Style>('plain', 'plain', 'decimal', 'hex');
const attributeArb: fc.Arbitrary<Attribute> = fc.record({
	prefix,
	name: localName,
	value: rawText(CHARS),
	quote: fc.constantFrom<'"' | "'">('"', "'"),
	style,
	spacing: fc.constantFrom(' ', ' ', '  ', '\n\t', ' = '),
});

type Piece =
	| { kind: 'text'; value: string; style: Style }
	| { kind: 'cdata'; value: string }
	| { kind: 'comment'; value: string }
	| { kind: 'pi'; value: string }
	| { kind: 'element'; element: ElementSpec };
interface ElementSpec {
	prefix: string;
	name: string;
	attributes: Attribute[];
	declareDefault: boolean;
	content: Piece[];
	selfClose: boolean;
}

const textPiece = fc.record({
	kind: fc.constant('text' as const),
	value: rawText(TEXT_CHARS),
	style,
});
const cdataPiece = fc.record({
	kind: fc.constant('cdata' as const),
	value: rawText(TEXT_CHARS).filter((value) => !value.includes(']]>')),
});
const commentPiece = fc.record({
	kind: fc.constant('comment' as const),
	value: rawText(TEXT_CHARS).filter((value) => !value.includes('--') && !value.endsWith('-')),
});
const piPiece = fc.record({
	kind: fc.constant('pi' as const),
	// fast-xml-parser reads quotes in an instruction as attribute quoting: plain characters only.
	value: rawText([...'abcXYZ019 .,;:-_/#=']),
});

const { element: elementArb } = fc.letrec<{ element: ElementSpec; piece: Piece }>((tie) => ({
	element: fc.record({
		prefix,
		name: localName,
		attributes: fc.uniqueArray(attributeArb, {
			maxLength: 4,
			selector: (attribute) => attribute.name,
		}),
		declareDefault: fc.boolean(),
		content: fc.array(tie('piece'), { maxLength: 5 }),
		selfClose: fc.boolean(),
	}),
	piece: fc.oneof(
		{ maxDepth: 5, depthIdentifier: 'xml' },
		textPiece,
		cdataPiece,
		commentPiece,
		piPiece,
		tie('element').map((element) => ({ kind: 'element' as const, element })),
	),
}));

const PREFIX_DECLARATIONS =
	' xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"' +
	' xmlns:cac="urn:c" xmlns:ns1="urn:n" xmlns:x="urn:x"';

function serialise(element: ElementSpec, root: boolean): string {
	const qname = element.prefix + element.name;
	let tag = `<${qname}`;
	if (root) tag += PREFIX_DECLARATIONS;
	if (element.declareDefault) tag += ' xmlns="urn:default"';
	for (const attribute of element.attributes) {
		const [before, after] = attribute.spacing === ' = ' ? [' ', ' = '] : [attribute.spacing, '='];
		tag += `${before}${attribute.prefix}${attribute.name}${after}${attribute.quote}${escape(attribute.value, attribute.quote, attribute.style)}${attribute.quote}`;
	}
	if (element.selfClose && !element.content.length) return `${tag}/>`;
	const inner = element.content
		.map((piece) => {
			switch (piece.kind) {
				case 'text':
					return escape(piece.value, null, piece.style);
				case 'cdata':
					return `<![CDATA[${piece.value}]]>`;
				case 'comment':
					return `<!--${piece.value}-->`;
				case 'pi':
					return `<?pi${piece.value ? ' ' + piece.value : ''}?>`;
				case 'element':
					return serialise(piece.element, false);
			}
		})
		.join('');
	return `${tag}>${inner}</${qname}>`;
}

const documentArb = fc
	.record({
		declaration: fc.boolean(),
		before: fc.constantFrom('', '\n', '<!-- head -->\n', '<?pi head?>\n'),
		root: elementArb,
		after: fc.constantFrom('', '\n', '\n<!-- tail -->\n', '<?pi tail?>'),
	})
	.map(
		({ declaration, before, root, after }) =>
			(declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') +
			before +
			serialise(root, true) +
			after,
	);

describe('the XML reader and fast-xml-parser agree', () => {
	it('on generated documents (string and UTF-8 bytes)', () => {
		fc.assert(
			fc.property(documentArb, (xml) => {
				expect(XMLValidator.validate(xml)).toBe(true);
				const expected = fromOracle(oracle.parse(xml) as OrderedNode[]);
				expect(ours(xml)).toEqual(expected);
				expect(ours(Buffer.from(xml, 'utf8'))).toEqual(expected);
			}),
			{ numRuns: 400 },
		);
	});

	const folder = join(__dirname, '..', 'fixtures', 'xml');
	const samples = join(__dirname, '..', '..', 'samples');
	const files = [
		...readdirSync(folder)
			.filter((name) => name.endsWith('.xml'))
			.map((name) => join(folder, name)),
		join(samples, 'sample-invoice.xml'),
		join(samples, 'sample-nfse.xml'),
	].map((file) => [relative(join(__dirname, '..', '..'), file), file]);

	it.each(files)('on %s', (_name, file) => {
		const bytes = readFileSync(file);
		expect(ours(bytes)).toEqual(fromOracle(oracle.parse(bytes.toString('utf8')) as OrderedNode[]));
	});
});

describe('the XML reader on anything', () => {
	const MARKUP = ['<', '>', '/', '!', '?', '=', '"', "'", '&', ';', '#', ':', '-', '[', ']'];
	const soup = fc
		.array(
			fc.oneof(
				fc.constantFrom(
					...MARKUP,
					'a',
					'b',
					'x',
					' ',
					'\n',
					'CDATA',
					'DOCTYPE',
					'xml',
					'amp',
					'lt',
				),
				fc.constantFrom(
					'<a>',
					'</a>',
					'<b/>',
					'<!--',
					'-->',
					'<![CDATA[',
					']]>',
					'<?',
					'?>',
					'&#x',
				),
			),
			{ maxLength: 40 },
		)
		.map((parts) => parts.join(''));

	it('answers a tree or an XmlError, never throws, on markup soup and random strings', () => {
		fc.assert(
			fc.property(fc.oneof(soup, fc.string(), fc.fullUnicodeString()), (input) => {
				const result = readXml(input);
				if (!result.ok) expect(result.error).toBeInstanceOf(XmlError);
				const fromBytes = readXml(Buffer.from(input, 'utf8'));
				expect(fromBytes.ok).toBe(result.ok);
			}),
			{ numRuns: 2000 },
		);
	});

	/** A generated document with one character deleted, doubled, or replaced by markup. */
	const mutated = fc
		.tuple(
			documentArb,
			fc.nat(),
			fc.constantFrom('delete', 'double', 'replace'),
			fc.constantFrom(...MARKUP),
		)
		.map(([xml, at, operation, char]) => {
			const k = at % xml.length;
			if (operation === 'delete') return xml.slice(0, k) + xml.slice(k + 1);
			if (operation === 'double') return xml.slice(0, k + 1) + xml.slice(k);
			return xml.slice(0, k) + char + xml.slice(k + 1);
		});

	it('accepts only what fast-xml-parser also finds well-formed (soup, mutated documents)', () => {
		fc.assert(
			fc.property(fc.oneof(soup, mutated), (input) => {
				const result = readXml(input);
				if (!result.ok) return;
				// fast-xml-parser reads a quote inside a processing instruction as attribute quoting.
				if (/<\?(?!xml\s)(?:(?!\?>)[\s\S])*["']/.test(input)) return;
				expect(XMLValidator.validate(input)).toBe(true);
				expect(result.root).toEqual(fromOracle(oracle.parse(input) as OrderedNode[]));
			}),
			{ numRuns: 2000 },
		);
	});
});
