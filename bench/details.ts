/**
 * Document Details on a 200-line UBL invoice: our XML reader plus the UBL mapping
 * (`readDocumentDetails`, from the bytes to `details`) against `fast-xml-parser` parsing the same
 * bytes, measured in one run, alternating so that both see the same machine state.
 *
 * fast-xml-parser is timed twice: with the options that give what our reader gives (attributes,
 * namespace prefixes removed, values left as text: the comparison the target is about), and with
 * its defaults (attributes ignored, values converted), for reference. The heap row is what one
 * `details` object holds once the XML is gone.
 *
 * Run: node --expose-gc --import tsx bench/details.ts   (sources through tsx; no build needed)
 */
import { XMLParser } from 'fast-xml-parser';

import { readDocumentDetails } from '../nodes/shared/details';
import { parseXml } from '../nodes/shared/xml';

const exposedGc = (globalThis as { gc?: () => void }).gc;
if (!exposedGc) throw new Error('run with node --expose-gc');
const gc: () => void = exposedGc;

const LINES = Number(process.env.BENCH_LINES ?? 200);

/** A CIUS-PT style invoice with `count` lines: three VAT rates, line discounts, base quantities. */
export function ublInvoice(count: number): Buffer {
	const rates = [
		['NOR', '23.00'],
		['INT', '13.00'],
		['RED', '6.00'],
	];
	const lines = Array.from({ length: count }, (_, i) => {
		const [category, percent] = rates[i % 3];
		const quantity = (1 + (i % 7)).toFixed(3);
		const price = (10 + (i % 50) * 1.25).toFixed(2);
		const net = (Number(quantity) * Number(price) - 1).toFixed(2);
		return `
	<cac:InvoiceLine>
		<cbc:ID>${i + 1}</cbc:ID>
		<cbc:InvoicedQuantity unitCode="C62">${quantity}</cbc:InvoicedQuantity>
		<cbc:LineExtensionAmount currencyID="EUR">${net}</cbc:LineExtensionAmount>
		<cac:OrderLineReference><cbc:LineID>${i + 1}</cbc:LineID></cac:OrderLineReference>
		<cac:AllowanceCharge>
			<cbc:ChargeIndicator>false</cbc:ChargeIndicator>
			<cbc:AllowanceChargeReason>Desconto &amp; promo&#xE7;&#xE3;o</cbc:AllowanceChargeReason>
			<cbc:Amount currencyID="EUR">1.00</cbc:Amount>
		</cac:AllowanceCharge>
		<cac:Item>
			<cbc:Description>Artigo de exemplo n.º ${i + 1} — descrição longa para a linha</cbc:Description>
			<cbc:Name>Artigo ${i + 1}</cbc:Name>
			<cac:SellersItemIdentification><cbc:ID>ART-${String(i + 1).padStart(5, '0')}</cbc:ID></cac:SellersItemIdentification>
			<cac:ClassifiedTaxCategory>
				<cbc:ID>${category}</cbc:ID>
				<cbc:Percent>${percent}</cbc:Percent>
				<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
			</cac:ClassifiedTaxCategory>
		</cac:Item>
		<cac:Price>
			<cbc:PriceAmount currencyID="EUR">${price}</cbc:PriceAmount>
			<cbc:BaseQuantity unitCode="C62">1.000</cbc:BaseQuantity>
		</cac:Price>
	</cac:InvoiceLine>`;
	}).join('');
	const party = (nif: string, name: string, city: string) => `
		<cac:Party>
			<cbc:EndpointID schemeID="9946">PT${nif}</cbc:EndpointID>
			<cac:PartyName><cbc:Name>${name}</cbc:Name></cac:PartyName>
			<cac:PostalAddress>
				<cbc:StreetName>Rua de Exemplo 1</cbc:StreetName>
				<cbc:CityName>${city}</cbc:CityName>
				<cbc:PostalZone>1000-001</cbc:PostalZone>
				<cac:Country><cbc:IdentificationCode>PT</cbc:IdentificationCode></cac:Country>
			</cac:PostalAddress>
			<cac:PartyTaxScheme><cbc:CompanyID>PT${nif}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
			<cac:PartyLegalEntity><cbc:RegistrationName>${name}</cbc:RegistrationName><cbc:CompanyID>PT${nif}</cbc:CompanyID></cac:PartyLegalEntity>
			<cac:Contact><cbc:ElectronicMail>geral@example.pt</cbc:ElectronicMail></cac:Contact>
		</cac:Party>`;
	const subtotals = rates
		.map(
			([category, percent]) => `
		<cac:TaxSubtotal>
			<cbc:TaxableAmount currencyID="EUR">1000.00</cbc:TaxableAmount>
			<cbc:TaxAmount currencyID="EUR">${(Number(percent) * 10).toFixed(2)}</cbc:TaxAmount>
			<cac:TaxCategory><cbc:ID>${category}</cbc:ID><cbc:Percent>${percent}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
		</cac:TaxSubtotal>`,
		)
		.join('');
	return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
	<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:feap.gov.pt:CIUS-PT:2.1.1</cbc:CustomizationID>
	<cbc:ID>FT 2026/${count}</cbc:ID>
	<cbc:IssueDate>2026-11-30</cbc:IssueDate>
	<cbc:DueDate>2026-12-30</cbc:DueDate>
	<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
	<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
	<cbc:BuyerReference>CP-2026-0042</cbc:BuyerReference>
	<cac:OrderReference><cbc:ID>PO-7781</cbc:ID></cac:OrderReference>
	<cac:AccountingSupplierParty>${party('509999990', 'Fornecedor Exemplo, Lda.', 'Lisboa')}
	</cac:AccountingSupplierParty>
	<cac:AccountingCustomerParty>${party('600000000', 'Entidade Pública Exemplo', 'Porto')}
	</cac:AccountingCustomerParty>
	<cac:PaymentMeans>
		<cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
		<cac:PayeeFinancialAccount><cbc:ID>PT50000201231234567890154</cbc:ID></cac:PayeeFinancialAccount>
	</cac:PaymentMeans>
	<cac:TaxTotal>
		<cbc:TaxAmount currencyID="EUR">420.00</cbc:TaxAmount>${subtotals}
	</cac:TaxTotal>
	<cac:LegalMonetaryTotal>
		<cbc:LineExtensionAmount currencyID="EUR">3000.00</cbc:LineExtensionAmount>
		<cbc:TaxExclusiveAmount currencyID="EUR">3000.00</cbc:TaxExclusiveAmount>
		<cbc:TaxInclusiveAmount currencyID="EUR">3420.00</cbc:TaxInclusiveAmount>
		<cbc:PayableAmount currencyID="EUR">3420.00</cbc:PayableAmount>
	</cac:LegalMonetaryTotal>${lines}
</Invoice>
`);
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Contender {
	label: string;
	run: (bytes: Buffer) => unknown;
}

function measure(contenders: Contender[], bytes: Buffer, rounds: number, perRound: number) {
	const times = contenders.map(() => [] as number[]);
	for (let round = -5; round < rounds; round++) {
		// Alternate the order, so that neither side always runs right after a collection.
		const order =
			round % 2 === 0 ? contenders.map((_, k) => k) : contenders.map((_, k) => k).reverse();
		for (const k of order) {
			gc();
			const t0 = process.hrtime.bigint();
			for (let i = 0; i < perRound; i++) contenders[k].run(bytes);
			const us = Number(process.hrtime.bigint() - t0) / perRound / 1000;
			if (round >= 0) times[k].push(us);
		}
	}
	return times.map(median);
}

function heapPerDetails(bytes: Buffer, count: number): number {
	const kept: unknown[] = [];
	const settle = () => {
		for (let i = 0; i < 4; i++) gc();
		return process.memoryUsage().heapUsed;
	};
	const before = settle();
	// From a fresh string each time, as the delivery reads it, so that nothing is shared.
	for (let i = 0; i < count; i++) kept.push(readDocumentDetails(Buffer.from(bytes)).details);
	const after = settle();
	if (kept.length !== count) throw new Error('lost results');
	return (after - before) / count;
}

function main() {
	const bytes = ublInvoice(LINES);
	const check = readDocumentDetails(bytes);
	if (check.details?.lines.length !== LINES || check.warnings.length)
		throw new Error(`the benchmark invoice did not map: ${JSON.stringify(check.warnings)}`);

	const equivalent = new XMLParser({
		ignoreAttributes: false,
		attributeNamePrefix: '',
		removeNSPrefix: true,
		parseTagValue: false,
		parseAttributeValue: false,
	});
	const defaults = new XMLParser();
	const contenders: Contender[] = [
		{ label: 'ours: readDocumentDetails (read + UBL mapping)', run: (b) => readDocumentDetails(b) },
		{ label: 'ours: XML reader alone (parseXml)', run: (b) => parseXml(b) },
		{
			label: 'fast-xml-parser, same information (attributes, no prefixes, text values)',
			run: (b) => equivalent.parse(b),
		},
		{ label: 'fast-xml-parser, default options', run: (b) => defaults.parse(b) },
	];
	const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
	const perRound = Number(process.env.BENCH_PER_ROUND ?? 40);
	const [ours, reader, fxp, fxpDefault] = measure(contenders, bytes, rounds, perRound);
	const heap = heapPerDetails(bytes, 200);
	const kib = (bytes.length / 1024).toFixed(1);
	const rows = [
		[contenders[0].label, ours],
		[contenders[1].label, reader],
		[contenders[2].label, fxp],
		[contenders[3].label, fxpDefault],
	].map(
		([label, us]) =>
			`| ${label} | ${(us as number).toFixed(0)} µs | ${((us as number) / fxp).toFixed(2)}× |`,
	);
	process.stdout.write(
		[
			`Document Details, ${LINES}-line UBL invoice (${kib} KiB), median of ${rounds} rounds × ${perRound}`,
			'',
			'| from the same bytes | median per document | vs fast-xml-parser (same information) |',
			'|---|---|---|',
			...rows,
			'',
			`**Document Details / fast-xml-parser: ${(ours / fxp).toFixed(2)}×** (target ≤ 1.5×); ` +
				`against its default options ${(ours / fxpDefault).toFixed(2)}×. ` +
				`Heap held by one \`details\`: ${(heap / 1024).toFixed(1)} KiB.`,
			'',
		].join('\n'),
	);
}

main();
