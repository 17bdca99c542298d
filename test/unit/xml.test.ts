/**
 * The XML reader (nodes/shared/xml.ts): what it reads, what it refuses and why, and the navigation
 * helpers. Its agreement with fast-xml-parser is in xml.properties.test.ts.
 */
import {
	XmlError,
	XML_LIMITS,
	attribute,
	child,
	children,
	findFirst,
	parseXml,
	readXml,
	text,
	type XmlElement,
} from '../../nodes/shared/xml';

/** The reason a document is refused (fails the test when it is read). */
function refusal(input: string | Buffer, limits = {}): string {
	const result = readXml(input, limits);
	if (result.ok) throw new Error(`read, expected a refusal: ${JSON.stringify(result.root)}`);
	expect(result.error).toBeInstanceOf(XmlError);
	return result.error.message;
}

const el = (
	name: string,
	children: XmlElement[] = [],
	text = '',
	attributes: Record<string, string> = {},
): XmlElement => ({ name, attributes, children, text });

describe('readXml: what it reads', () => {
	it('gives elements by local name, attributes without namespace declarations, direct text', () => {
		const root = parseXml(
			'<?xml version="1.0" encoding="UTF-8"?>\n' +
				'<inv:Invoice xmlns:inv="urn:i" xmlns:cbc="urn:c" xmlns="urn:d" xml:lang="pt" inv:v="2">' +
				'<cbc:ID schemeID="0088">A-1</cbc:ID><Note/>tail</inv:Invoice>\n',
		);
		expect(root).toEqual(
			el('Invoice', [el('ID', [], 'A-1', { schemeID: '0088' }), el('Note')], 'tail', {
				lang: 'pt',
				v: '2',
			}),
		);
	});

	it('decodes the five predefined entities and numeric references, in text and attributes', () => {
		const root = parseXml(
			'<a t="&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x1F600;">&lt;b&gt; &amp;amp; &#233;&#xE7;&#128512;</a>',
		);
		expect(root.attributes.t).toBe('<>&"\' AB😀');
		expect(root.text).toBe('<b> &amp; éç😀');
	});

	it('keeps CDATA as text, skips comments and processing instructions, keeps text order', () => {
		const root = parseXml(
			'<!-- before --><?pi before?><a>one<![CDATA[ <two> & ]]><!-- no -->three<?pi x?><b/>four</a><!-- after -->\n',
		);
		expect(root).toEqual(el('a', [el('b')], 'one <two> & threefour'));
	});

	it('tolerates a BOM, in a string and in UTF-8 bytes', () => {
		expect(parseXml('\uFEFF<a>x</a>').text).toBe('x');
		expect(parseXml(Buffer.from('\uFEFF<a>é</a>', 'utf8')).text).toBe('é');
	});

	it('decodes bytes by BOM or declared encoding: UTF-16, ISO-8859-1, Windows-1252', () => {
		const utf16 = Buffer.concat([
			Buffer.from([0xff, 0xfe]),
			Buffer.from('<a>ação €</a>', 'utf16le'),
		]);
		expect(parseXml(utf16).text).toBe('ação €');
		const utf16be = Buffer.from(Buffer.from('\uFEFF<a>ação</a>', 'utf16le')).swap16();
		expect(parseXml(utf16be).text).toBe('ação');
		const latin1 = Buffer.from(
			'<?xml version="1.0" encoding="ISO-8859-1"?><a>Serviço de manutenção</a>',
			'latin1',
		);
		expect(parseXml(latin1).text).toBe('Serviço de manutenção');
		const cp1252 = Buffer.concat([
			Buffer.from("<?xml version='1.0' encoding='windows-1252'?><a>", 'latin1'),
			Buffer.from([0x80, 0x20, 0x93, 0x61, 0x94]),
			Buffer.from('</a>', 'latin1'),
		]);
		expect(parseXml(cp1252).text).toBe('€ “a”');
		expect(parseXml(Buffer.from('<a>sem declaração</a>')).text).toBe('sem declaração');
	});

	it('normalises line ends, and literal whitespace in attribute values, as XML 1.0 says', () => {
		const root = parseXml('<a b="x\ty\nz" c="&#9;&#10;">one\r\ntwo\rthree</a>');
		expect(root.text).toBe('one\ntwo\nthree');
		expect(root.attributes).toEqual({ b: 'x y z', c: '\t\n' });
	});

	it('accepts whitespace around "=" and in end tags, both quote styles, ">" in values', () => {
		const root = parseXml(`<a  b = "1"\n\tc='2"' d="x>y" ></a  >`);
		expect(root.attributes).toEqual({ b: '1', c: '2"', d: 'x>y' });
	});

	it('keeps whitespace between elements in the parent text (text() trims it)', () => {
		const root = parseXml('<a>\n  <b> x </b>\n</a>');
		expect(root.text).toBe('\n  \n');
		expect(text(root)).toBeNull();
		expect(text(root, 'b')).toBe('x');
	});

	it('is iterative: a document 100,000 elements deep reads when the limit allows it', () => {
		const depth = 100_000;
		const root = parseXml('<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth), {
			maxDepth: depth,
		});
		let levels = 1;
		let current = root;
		while (current.children.length) {
			current = current.children[0];
			levels++;
		}
		expect(levels).toBe(depth);
		expect(current.text).toBe('x');
	});
});

describe('readXml: what it refuses', () => {
	it('refuses a DTD: DOCTYPE, entity declarations, XXE and the billion laughs', () => {
		expect(refusal('<!DOCTYPE a><a/>')).toMatch(/DTD/);
		expect(
			refusal('<?xml version="1.0"?>\n<!DOCTYPE a SYSTEM "http://example.com/a.dtd"><a/>'),
		).toMatch(/DTD/);
		expect(refusal('<!ENTITY x "y"><a>&x;</a>')).toMatch(/entity declarations/);
		expect(refusal('<a><!ENTITY x "y"></a>')).toMatch(/entity declarations/);
		const xxe =
			'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
		expect(refusal(xxe)).toMatch(/DTD/);
		const laughs = [
			'<?xml version="1.0"?>',
			'<!DOCTYPE lolz [',
			' <!ENTITY lol "lol">',
			...Array.from(
				{ length: 9 },
				(_, k) => ` <!ENTITY lol${k + 1} "${`&lol${k || ''};`.repeat(10)}">`,
			),
			']>',
			'<lolz>&lol9;</lolz>',
		].join('\n');
		const started = Date.now();
		expect(refusal(laughs)).toMatch(/DTD/);
		expect(Date.now() - started).toBeLessThan(100);
	});

	it('refuses a reference to an entity no DTD declares, and a bare "&"', () => {
		expect(refusal('<a>&nbsp;</a>')).toMatch(/unknown entity &nbsp;/);
		expect(refusal('<a b="&x;"/>')).toMatch(/unknown entity/);
		expect(refusal('<a>fish & chips</a>')).toMatch(/not a reference/);
		expect(refusal('<a>&#0;</a>')).toMatch(/non-XML character/);
		expect(refusal('<a>&#xD800;</a>')).toMatch(/non-XML character/);
		expect(refusal('<a>&#xZZ;</a>')).toMatch(/bad character reference/);
	});

	it('refuses mismatched, unclosed and stray tags', () => {
		expect(refusal('<a><b></a></b>')).toBe('mismatched end tag </a>, expected </b>');
		expect(refusal('<x:a></y:a>')).toMatch(/mismatched end tag <\/y:a>, expected <\/x:a>/);
		expect(refusal('<a></ab>')).toMatch(/mismatched/);
		expect(refusal('<a><b>')).toBe('unclosed element <b>');
		expect(refusal('</a>')).toMatch(/end tag without a start tag/);
		expect(refusal('<a')).toMatch(/unclosed tag/);
		expect(refusal('<a b="1"')).toMatch(/unclosed tag/);
		expect(refusal('<a b="1/>')).toMatch(/unclosed attribute|unclosed tag/);
	});

	it('refuses two roots, no root, text or CDATA outside the root', () => {
		expect(refusal('<a/><b/>')).toBe('more than one root element');
		expect(refusal('<a></a><a></a>')).toBe('more than one root element');
		expect(refusal('')).toBe('no root element');
		expect(refusal('  \n')).toBe('no root element');
		expect(refusal('<!-- only a comment -->')).toBe('no root element');
		expect(refusal('hello')).toBe('text outside the root element');
		expect(refusal('<a/>trailing')).toBe('text outside the root element');
		expect(refusal('<![CDATA[x]]><a/>')).toMatch(/CDATA outside/);
	});

	it('refuses garbage inside tags: bad names, attributes without quotes or values, "<" in values', () => {
		expect(refusal('<1a/>')).toMatch(/bad tag name/);
		expect(refusal('< a/>')).toMatch(/bad tag name/);
		expect(refusal('<:a/>')).toMatch(/bad tag name/);
		expect(refusal('<a:/>')).toMatch(/bad tag name/);
		expect(refusal('<a:b:c/>')).toMatch(/bad tag name/);
		expect(refusal('<a b=c/>')).toMatch(/without quotes/);
		expect(refusal('<a b/>')).toMatch(/without value/);
		expect(refusal('<a b="1"c="2"/>')).toMatch(/bad tag/);
		expect(refusal('<a b="1" b="2"/>')).toBe('duplicate attribute b');
		expect(refusal('<a b="x<y"/>')).toMatch(/"<" inside tag/);
		expect(refusal('<a / >')).toMatch(/bad tag/);
		expect(refusal('<a><!x></a>')).toMatch(/bad markup/);
		expect(refusal('\u0000<a/>')).toMatch(/text outside/);
	});

	it('refuses malformed comments, CDATA and processing instructions', () => {
		expect(refusal('<a><!-- a -- b --></a>')).toMatch(/"--" inside a comment/);
		expect(refusal('<a><!-- a ---></a>')).toMatch(/"--" inside a comment/);
		expect(refusal('<a><!-- open</a>')).toBe('unclosed comment');
		expect(refusal('<a><![CDATA[open</a>')).toBe('unclosed CDATA section');
		expect(refusal('<a><?pi open</a>')).toBe('unclosed processing instruction');
		expect(refusal(' <?xml version="1.0"?><a/>')).toMatch(/XML declaration not at the start/);
		expect(refusal('<a/><?xml version="1.0"?>')).toMatch(/XML declaration not at the start/);
	});

	it('refuses deep nesting with a clean error, never a stack overflow (100,000 levels)', () => {
		const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
		expect(refusal(deep)).toBe(`nesting deeper than ${XML_LIMITS.maxDepth} elements`);
		expect(refusal('<a>'.repeat(100_000))).toBe(
			`nesting deeper than ${XML_LIMITS.maxDepth} elements`,
		);
		expect(refusal('<a><a><a/></a></a>', { maxDepth: 2 })).toBe('nesting deeper than 2 elements');
		expect(parseXml('<a><a/></a>', { maxDepth: 2 }).children).toHaveLength(1);
	});

	it('refuses a document over the size limit before reading it, and too many elements', () => {
		expect(refusal('<a>0123456789</a>', { maxLength: 10 })).toBe(
			'document too large (17 > 10 bytes allowed)',
		);
		expect(refusal(Buffer.from('<a>ééééé</a>'), { maxLength: 12 })).toMatch(/too large \(17 > 12/);
		const huge = `<a>${'x'.repeat(XML_LIMITS.maxLength)}</a>`;
		expect(refusal(huge)).toMatch(/document too large/);
		expect(refusal(`<a>${'<b/>'.repeat(10)}</a>`, { maxElements: 10 })).toBe(
			'more than 10 elements',
		);
	});

	it('refuses an encoding it does not know', () => {
		expect(refusal(Buffer.from('<?xml version="1.0" encoding="EBCDIC-CP-US"?><a/>'))).toBe(
			'unsupported encoding "EBCDIC-CP-US"',
		);
	});

	it('says where it stopped', () => {
		const result = readXml('<a>\n<b></c></a>');
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.error.offset).toBe(7);
		expect(() => parseXml('<a>')).toThrow(XmlError);
	});
});

describe('navigation helpers', () => {
	const invoice = parseXml(
		'<Invoice><cac:AccountingSupplierParty xmlns:cac="c"><cac:Party><Name> Acme \n</Name><ID scheme="VAT">PT1</ID></cac:Party></cac:AccountingSupplierParty>' +
			'<Line><ID>1</ID></Line><Other/><Line><ID>2</ID></Line><Empty>  </Empty></Invoice>',
	);

	it('child and text follow a path of local names; text trims', () => {
		expect(child(invoice, 'AccountingSupplierParty', 'Party')?.name).toBe('Party');
		expect(text(invoice, 'AccountingSupplierParty', 'Party', 'Name')).toBe('Acme');
		expect(attribute(invoice, 'scheme', 'AccountingSupplierParty', 'Party', 'ID')).toBe('VAT');
		expect(child(invoice)).toBe(invoice);
	});

	it('children lists the repeated element, in order', () => {
		expect(children(invoice, 'Line').map((line) => text(line, 'ID'))).toEqual(['1', '2']);
		expect(children(invoice, 'AccountingSupplierParty', 'Party', 'ID')).toHaveLength(1);
		expect(children(invoice)).toHaveLength(5);
	});

	it('a missing path is null or empty, never an exception', () => {
		expect(child(invoice, 'Nope', 'Party')).toBeNull();
		expect(text(invoice, 'Nope')).toBeNull();
		expect(text(invoice, 'Empty')).toBeNull();
		expect(text(null, 'Anything')).toBeNull();
		expect(text(undefined)).toBeNull();
		expect(children(invoice, 'Nope', 'Line')).toEqual([]);
		expect(children(null, 'Line')).toEqual([]);
		expect(attribute(invoice, 'nope', 'Line')).toBeNull();
		expect(attribute(null, 'x')).toBeNull();
	});

	it('findFirst searches breadth first, within a depth', () => {
		expect(findFirst(invoice, 'ID')?.text).toBe('1');
		expect(findFirst(invoice, 'Name', 1)).toBeNull();
		expect(findFirst(invoice, 'Name', 3)?.text).toBe(' Acme \n');
		expect(findFirst(null, 'ID')).toBeNull();
	});
});
