/**
 * Document Details (nodes/shared/details): each public fixture in test/fixtures/xml, and the
 * package's own samples, map to the `details` written out here by hand from the XML (not a
 * snapshot of what the code answers); then the cases around them: unknown or unreadable XML,
 * a line without its optional parts, numbers that are not numbers, wrappers, encodings, and the
 * promise never to throw.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import fc from 'fast-check';

import {
	readDocumentDetails,
	type DetailAddress,
	type DetailLine,
	type DetailParty,
	type DetailTax,
	type DocumentDetails,
} from '../../nodes/shared/details';

const FIXTURES = join(__dirname, '..', 'fixtures', 'xml');
const SAMPLES = join(__dirname, '..', '..', 'samples');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));

/** Reads a document that must give details without warnings. */
function details(xml: Buffer | string): DocumentDetails {
	const result = readDocumentDetails(xml);
	expect(result.warnings).toEqual([]);
	if (!result.details) throw new Error('no details');
	return result.details;
}

const address = (
	street: string | null,
	city: string | null,
	postalCode: string | null,
	region: string | null,
	country: string | null,
): DetailAddress => ({ street, city, postalCode, region, country });
const NO_ADDRESS = address(null, null, null, null, null);
const party = (
	taxId: string | null,
	name: string | null,
	email: string | null,
	where: DetailAddress,
): DetailParty => ({ taxId, name, email, address: where });
const vat = (
	category: string,
	percent: number,
	taxableAmount: number,
	amount: number,
): DetailTax => ({ type: 'VAT', category, percent, taxableAmount, amount, withheld: false });
const retained = (type: string, amount: number): DetailTax => ({
	type,
	category: null,
	percent: null,
	taxableAmount: null,
	amount,
	withheld: true,
});
const NO_PAYMENT = { dueDate: null, means: null, iban: null };
const NO_REFERENCES = { order: null, contract: null, precedingInvoice: null, buyerReference: null };

// Peppol BIS 3 examples: seller and buyer are the same in the three.
const PEPPOL_SELLER = party(
	'GB1232434',
	'SupplierOfficialName Ltd',
	null,
	address('Main street 1, Postbox 123', 'London', 'GB 123 EW', null, 'GB'),
);
const PEPPOL_BUYER = party(
	'SE4598375937',
	'Buyer Official Name',
	'lj@buyer.se',
	address('Hovedgatan 32, Po box 878', 'Stockholm', '456 34', null, 'SE'),
);
const PEPPOL_BASE_LINES: DetailLine[] = [
	{
		lineNumber: 1,
		description: 'item name',
		itemCode: '21382183120983',
		quantity: 7,
		unitCode: 'DAY',
		unitPrice: 400,
		netAmount: 2800,
		taxCategory: 'S',
		taxPercent: 25,
		taxAmount: null,
	},
	{
		lineNumber: 2,
		description: 'item name 2',
		itemCode: '21382183120983',
		quantity: -3,
		unitCode: 'DAY',
		unitPrice: 500,
		netAmount: -1500,
		taxCategory: 'S',
		taxPercent: 25,
		taxAmount: null,
	},
];
const PEPPOL_BASE_TOTALS = {
	lineTotal: 1300,
	taxExclusive: 1325,
	taxInclusive: 1656.25,
	allowances: null,
	charges: 25,
	prepaid: null,
	payable: 1656.25,
};

describe('UBL 2.1 fixtures', () => {
	it('Peppol BIS 3 base example: invoice, one VAT rate, a charge, a negative line', () => {
		expect(details(fixture('ubl-peppol-base-example.xml'))).toEqual({
			format: 'ubl',
			currency: 'EUR',
			lines: PEPPOL_BASE_LINES,
			taxes: [vat('S', 25, 1325, 331.25)],
			totals: PEPPOL_BASE_TOTALS,
			issuer: PEPPOL_SELLER,
			recipient: PEPPOL_BUYER,
			payment: { dueDate: '2017-12-01', means: '30', iban: 'IBAN32423940' },
			references: { ...NO_REFERENCES, buyerReference: '0150abc' },
			service: null,
			ibsCbs: null,
		});
	});

	it('Peppol BIS 3 allowance example: two VAT rates, allowances and charges, base quantity, prepaid', () => {
		expect(details(fixture('ubl-peppol-allowance-example.xml'))).toEqual({
			format: 'ubl',
			currency: 'EUR',
			lines: [
				{
					lineNumber: 1,
					description: 'item name',
					itemCode: '97iugug876',
					quantity: 10,
					unitCode: 'C62',
					unitPrice: 410,
					netAmount: 4000,
					taxCategory: 'S',
					taxPercent: 25,
					taxAmount: null,
				},
				{
					lineNumber: 2,
					description: 'item name',
					itemCode: '97iugug876',
					quantity: 10,
					unitCode: 'C62',
					// PriceAmount 200 for a BaseQuantity of 2.
					unitPrice: 100,
					netAmount: 1000,
					taxCategory: 'E',
					taxPercent: 0,
					taxAmount: null,
				},
				{
					lineNumber: 3,
					description: 'item name',
					itemCode: '97iugug876',
					quantity: 10,
					unitCode: 'C62',
					unitPrice: 100,
					netAmount: 900,
					taxCategory: 'S',
					taxPercent: 25,
					taxAmount: null,
				},
			],
			// The second TaxTotal (in SEK, BT-111) has no breakdown and is not a tax of its own.
			taxes: [vat('S', 25, 4900, 1225), vat('E', 0, 1000, 0)],
			totals: {
				lineTotal: 5900,
				taxExclusive: 5900,
				taxInclusive: 7125,
				allowances: 200,
				charges: 200,
				prepaid: 1000,
				payable: 6125,
			},
			issuer: PEPPOL_SELLER,
			recipient: {
				...PEPPOL_BUYER,
				address: address('Hovedgatan 32, Po box 878', 'Stockholm', '456 34', 'Södermalm', 'SE'),
			},
			payment: { dueDate: '2017-12-01', means: '30', iban: 'IBAN32423940' },
			references: { ...NO_REFERENCES, contract: 'framework no 1', buyerReference: '0150abc' },
			service: null,
			ibsCbs: null,
		});
	});

	it('Peppol BIS 3 credit note: CreditNoteLine and CreditedQuantity, the preceding invoice', () => {
		expect(details(fixture('ubl-peppol-creditnote-correction.xml'))).toEqual({
			format: 'ubl',
			currency: 'EUR',
			lines: PEPPOL_BASE_LINES,
			taxes: [vat('S', 25, 1325, 331.25)],
			totals: PEPPOL_BASE_TOTALS,
			issuer: PEPPOL_SELLER,
			recipient: PEPPOL_BUYER,
			// A credit note has no DueDate (BT-9) here.
			payment: { dueDate: null, means: '30', iban: 'IBAN32423940' },
			references: { ...NO_REFERENCES, precedingInvoice: 'Snippet1', buyerReference: '0150abc' },
			service: null,
			ibsCbs: null,
		});
	});

	it("iLink's CIUS-PT example with three line discounts (type FT, category NOR)", () => {
		expect(details(fixture('ubl-cius-pt-ilink-varios-descontos.xml'))).toEqual({
			format: 'ubl',
			currency: 'EUR',
			lines: [
				{
					lineNumber: 1,
					description: '45666',
					itemCode: null,
					quantity: 1,
					unitCode: 'C62',
					unitPrice: 10,
					netAmount: 4.8,
					taxCategory: 'NOR',
					taxPercent: 23,
					taxAmount: null,
				},
			],
			taxes: [vat('NOR', 23, 4.8, 1.1)],
			totals: {
				lineTotal: 4.8,
				taxExclusive: 4.8,
				taxInclusive: 5.9,
				allowances: 0,
				charges: 0,
				prepaid: 0,
				payable: 5.9,
			},
			issuer: party(
				'PT206405570',
				'Fornecedor T2',
				'magycot@getnada.com',
				address('aaaaaa', 'aaaaaaa', '1234-321', null, 'PT'),
			),
			recipient: party(
				'PT264051181',
				'Ent T2',
				'gibyry@getnada.com',
				address('Desconhecido', 'Desconhecido', '0000-000', null, 'PT'),
			),
			payment: { dueDate: '2021-07-29', means: null, iban: null },
			references: NO_REFERENCES,
			service: null,
			ibsCbs: null,
		});
	});

	it("iLink's CIUS-PT example with a withholding tax in the notes", () => {
		expect(details(fixture('ubl-cius-pt-ilink-retencao.xml'))).toEqual({
			format: 'ubl',
			currency: 'EUR',
			lines: [
				{
					lineNumber: 1,
					description: 'Artigo xpto',
					itemCode: null,
					quantity: 2,
					unitCode: 'C62',
					unitPrice: 10,
					netAmount: 20,
					taxCategory: 'NOR',
					taxPercent: 23,
					taxAmount: null,
				},
			],
			taxes: [vat('NOR', 23, 20, 4.6), retained('IRF', 10)],
			totals: {
				lineTotal: 20,
				taxExclusive: 20,
				taxInclusive: 24.6,
				allowances: 0,
				charges: 0,
				prepaid: 0,
				payable: 24.6,
			},
			issuer: party(
				'PT589309340',
				'Entidade t2 cliente',
				'gujora@getnada.com',
				address('RUA 123', 'Viana do Castelo', '1234-321', null, 'PT'),
			),
			recipient: party(
				'PT500000379',
				'Andreia Sousa e Filhos Lda',
				'contacto@example.pt',
				address('Rua da carne azeda', 'Funchal', '9050-330', null, 'PT'),
			),
			payment: { dueDate: '2022-06-16', means: null, iban: null },
			references: NO_REFERENCES,
			service: null,
			ibsCbs: null,
		});
	});

	it("the package's sample invoice (samples/sample-invoice.xml, a comment before the root)", () => {
		const sample = details(readFileSync(join(SAMPLES, 'sample-invoice.xml')));
		expect(sample.lines).toEqual([
			{
				lineNumber: 1,
				description: 'Consulting services - June 2025 (sample)',
				itemCode: null,
				quantity: 1,
				unitCode: 'C62',
				unitPrice: 80,
				netAmount: 80,
				taxCategory: 'S',
				taxPercent: 23,
				taxAmount: null,
			},
			{
				lineNumber: 2,
				description: 'Software licence, monthly (sample)',
				itemCode: null,
				quantity: 2,
				unitCode: 'C62',
				unitPrice: 10,
				netAmount: 20,
				taxCategory: 'S',
				taxPercent: 23,
				taxAmount: null,
			},
		]);
		expect(sample.issuer).toEqual(
			party(
				'PT509999990',
				'Fornecedor Exemplo, Lda.',
				null,
				address('Rua do Exemplo 10', 'Lisboa', '1000-001', null, 'PT'),
			),
		);
		expect(sample.recipient.name).toBe('Entidade Pública Exemplo');
		expect(sample.payment).toEqual({
			dueDate: '2025-07-02',
			means: '30',
			iban: 'PT50000000000000000000000',
		});
		expect(sample.references).toEqual({ ...NO_REFERENCES, order: 'CO-2025/451' });
		expect(sample.totals).toEqual({
			lineTotal: 100,
			taxExclusive: 100,
			taxInclusive: 123,
			allowances: null,
			charges: null,
			prepaid: null,
			payable: 123,
		});
	});
});

describe('NFS-e fixtures', () => {
	it('NFS-e Nacional with the IBS/CBS group (Niterói, 2026)', () => {
		const description = 'Desenvolvimento de sistema de gestão empresarial - Contrato #2026-001';
		expect(details(fixture('nfse-nacional-ibscbs.xml'))).toEqual({
			format: 'nfse-nacional',
			currency: 'BRL',
			lines: [
				{
					lineNumber: 1,
					description,
					itemCode: '010700',
					quantity: null,
					unitCode: null,
					unitPrice: null,
					netAmount: 1500,
					taxCategory: '1',
					taxPercent: 2,
					taxAmount: 27,
				},
			],
			taxes: [
				// tpRetISSQN 2: withheld by the taker. 2 % of the base 1,350.00 is 27.00.
				{ type: 'ISS', category: '1', percent: 2, taxableAmount: 1350, amount: 27, withheld: true },
				// State 9 % + municipal 1.8 % effective: 145.80 on 1,350.00; CBS 7.92 %: 106.92.
				{
					type: 'IBS',
					category: '000',
					percent: 10.8,
					taxableAmount: 1350,
					amount: 145.8,
					withheld: null,
				},
				{
					type: 'CBS',
					category: '000',
					percent: 7.92,
					taxableAmount: 1350,
					amount: 106.92,
					withheld: null,
				},
				{
					type: 'PIS',
					category: '01',
					percent: 0.65,
					taxableAmount: 1500,
					amount: 9.75,
					withheld: null,
				},
				{
					type: 'COFINS',
					category: '01',
					percent: 3,
					taxableAmount: 1500,
					amount: 45,
					withheld: null,
				},
				retained('INSS', 15),
				retained('IR', 22.5),
				retained('CSLL', 15),
			],
			totals: {
				lineTotal: 1500,
				taxExclusive: null,
				taxInclusive: 1638.65,
				allowances: 150,
				charges: null,
				prepaid: null,
				payable: 1292.75,
			},
			issuer: party(
				'11222333000181',
				'EMPRESA EXEMPLO DESENVOLVIMENTO LTDA',
				'financeiro@example.org',
				address('Rua Visconde do Rio Branco, 100', 'Niterói', '24020005', 'RJ', 'BR'),
			),
			recipient: party(
				'91712343000134',
				'CLIENTE FICTICIO COMERCIO S.A.',
				'contato@clienteficticio.com.br',
				// São Paulo's name is not in the document: its IBGE code; SP from the code.
				address('Avenida Paulista, 1000', '3550308', '01310100', 'SP', 'BR'),
			),
			payment: NO_PAYMENT,
			references: NO_REFERENCES,
			service: { code: '007', nationalCode: '010700', description, municipality: 'Niterói' },
			ibsCbs: {
				cst: '000',
				classCode: '000001',
				operationCode: '110001',
				taxableAmount: 1350,
				stateRate: 10,
				stateEffectiveRate: 9,
				municipalRate: 2,
				municipalEffectiveRate: 1.8,
				cbsRate: 8.8,
				cbsEffectiveRate: 7.92,
				stateAmount: 121.5,
				municipalAmount: 24.3,
				ibsAmount: 145.8,
				cbsAmount: 106.92,
				totalWithIbsCbs: 1638.65,
			},
		});
	});

	it('ABRASF 1.00, Porto Alegre: ISS rate written as a fraction, not withheld', () => {
		expect(details(fixture('nfse-abrasf-porto-alegre.xml'))).toEqual({
			format: 'nfse-abrasf',
			currency: 'BRL',
			lines: [
				{
					lineNumber: 1,
					description: 'Teste',
					itemCode: '1.06',
					quantity: null,
					unitCode: null,
					unitPrice: null,
					netAmount: 10,
					taxCategory: '1',
					// Aliquota 0.02: 2 % (0.20 of ISS on 10.00).
					taxPercent: 2,
					taxAmount: 0.2,
				},
			],
			taxes: [
				{ type: 'ISS', category: '1', percent: 2, taxableAmount: 10, amount: 0.2, withheld: false },
			],
			totals: {
				lineTotal: 10,
				taxExclusive: null,
				taxInclusive: null,
				allowances: null,
				charges: null,
				prepaid: null,
				payable: 10,
			},
			issuer: party(
				'99999999000191',
				'Empresa de Testes',
				null,
				address('AV IPIRANGA, 01200', '4314902', '90160091', 'RS', 'BR'),
			),
			recipient: party(
				// Fictitious values in our copy (test/fixtures/xml/README.md: personal data).
				'12345678909',
				'TOMADOR FICTICIO',
				null,
				address('RUA FICTICIA, 100, SALA 1', '4314902', '90010000', 'RS', 'BR'),
			),
			payment: NO_PAYMENT,
			references: NO_REFERENCES,
			service: {
				code: '10600100',
				nationalCode: '1.06',
				description: 'Teste',
				municipality: '4314902',
			},
			ibsCbs: null,
		});
	});

	it('ABRASF 1.00, Belo Horizonte: ISS withheld, federal retentions, discounts', () => {
		expect(details(fixture('nfse-abrasf-belo-horizonte.xml'))).toEqual({
			format: 'nfse-abrasf',
			currency: 'BRL',
			lines: [
				{
					lineNumber: 1,
					description: 'Teste.',
					itemCode: '11.01',
					quantity: null,
					unitCode: null,
					unitPrice: null,
					netAmount: 1000,
					// NaturezaOperacao: 1.0 has no ExigibilidadeISS.
					taxCategory: '1',
					taxPercent: 5,
					taxAmount: 49,
				},
			],
			taxes: [
				{ type: 'ISS', category: '1', percent: 5, taxableAmount: 980, amount: 49, withheld: true },
				retained('PIS', 10),
				retained('COFINS', 10),
				retained('INSS', 10),
				retained('IR', 10),
				retained('CSLL', 10),
				retained('OTHER', 10),
			],
			totals: {
				lineTotal: 1000,
				taxExclusive: null,
				taxInclusive: null,
				allowances: 20,
				charges: null,
				prepaid: null,
				payable: 871,
			},
			issuer: party(
				'99999999000191',
				// Wrapped over two lines in the XML.
				"INSCRICAO DE TESTE SIATU - D'AGUA - PAULINO'S",
				'teste@example.com',
				address('DA BAHIA, 200, G 1,5 ANDAR 14', '3106200', '30160010', 'MG', 'BR'),
			),
			recipient: party(
				'99999999000191',
				"INSCRICAO DE TESTE SIATU - D'AGUA -PAULINO'S",
				null,
				// No municipality in the taker's address: no city, no state.
				address('DA BAHIA, 200, ANDAR 14', null, '30160010', null, 'BR'),
			),
			payment: NO_PAYMENT,
			references: NO_REFERENCES,
			service: {
				code: '522310000',
				nationalCode: '11.01',
				description: 'Teste.',
				municipality: '3106200',
			},
			ibsCbs: null,
		});
	});

	it('ABRASF 2.03, Campinas, in a SOAP envelope: the 2.0x structure; placeholders are not numbers', () => {
		const result = readDocumentDetails(fixture('nfse-abrasf-campinas-soap.xml'));
		expect(result.details).toEqual({
			format: 'nfse-abrasf',
			currency: 'BRL',
			lines: [
				{
					lineNumber: 1,
					description: 'ANON_DISCRIMINACAO',
					itemCode: '0106',
					quantity: null,
					unitCode: null,
					unitPrice: null,
					netAmount: null,
					taxCategory: '1',
					// Servico/Valores/Aliquota, as ValoresNfse has none.
					taxPercent: 2,
					taxAmount: null,
				},
			],
			taxes: [
				{
					type: 'ISS',
					category: '1',
					percent: 2,
					taxableAmount: null,
					amount: null,
					withheld: false,
				},
			],
			totals: {
				lineTotal: null,
				taxExclusive: null,
				taxInclusive: null,
				allowances: 0,
				charges: null,
				prepaid: null,
				payable: null,
			},
			issuer: party(
				'ANON_CNPJ_PRESTADOR',
				'ANON_RAZAO_SOCIAL_PRESTADOR',
				null,
				address(
					'ANON_ENDERECO_PRESTADOR, ANON_NUMERO_ENDERECO_PRESTADOR, ANON_COMPLEMENTO_ENDERECO_PRESTADOR',
					'3509502',
					'ANON_CEP_PRESTADOR',
					'SP',
					'BR',
				),
			),
			recipient: party(
				'ANON_CPF_TOMADOR',
				'ANON_RAZAO_SOCIAL_TOMADOR',
				null,
				address(
					'ANON_ENDERECO_TOMADOR, ANON_NUMERO_ENDERECO_TOMADOR, ANON_COMPLEMENTO_ENDERECO_TOMADOR',
					'3536505',
					'ANON_CEP_TOMADOR',
					'SP',
					'BR',
				),
			),
			payment: NO_PAYMENT,
			references: NO_REFERENCES,
			service: {
				code: null,
				nationalCode: '0106',
				description: 'ANON_DISCRIMINACAO',
				municipality: '3509502',
			},
			ibsCbs: null,
		});
		expect(result.warnings).toEqual([
			{
				path: 'details.lines.0.netAmount',
				message: 'ValorServicos "ANON_VALOR_SERVICOS" is not a decimal number',
			},
			{
				path: 'details.lines.0.taxAmount',
				message: 'ValorIss "ANON_VALOR_ISS" is not a decimal number',
			},
			{
				path: 'details.taxes.0.taxableAmount',
				message: 'BaseCalculo "ANON_BASE_CALCULO" is not a decimal number',
			},
			{
				path: 'details.totals.payable',
				message: 'ValorLiquidoNfse "ANON_VALOR_LIQUIDO" is not a decimal number',
			},
		]);
	});

	it("the package's sample NFS-e (samples/sample-nfse.xml, ABRASF 2.04 CompNfse)", () => {
		const description = 'Suporte tecnico em informatica - junho de 2025 (exemplo)';
		expect(details(readFileSync(join(SAMPLES, 'sample-nfse.xml')))).toEqual({
			format: 'nfse-abrasf',
			currency: 'BRL',
			lines: [
				{
					lineNumber: 1,
					description,
					itemCode: '01.07',
					quantity: null,
					unitCode: null,
					unitPrice: null,
					netAmount: 1500,
					taxCategory: '1',
					taxPercent: 2,
					taxAmount: 30,
				},
			],
			taxes: [
				{
					type: 'ISS',
					category: '1',
					percent: 2,
					taxableAmount: 1500,
					amount: 30,
					withheld: false,
				},
			],
			totals: {
				lineTotal: 1500,
				taxExclusive: null,
				taxInclusive: null,
				allowances: null,
				charges: null,
				prepaid: null,
				payable: 1500,
			},
			issuer: party('11222333000181', 'Empresa Exemplo Servicos Ltda', null, NO_ADDRESS),
			recipient: party('44555666000199', 'Cliente Exemplo SA', null, NO_ADDRESS),
			payment: NO_PAYMENT,
			references: NO_REFERENCES,
			service: { code: null, nationalCode: '01.07', description, municipality: '3550308' },
			ibsCbs: null,
		});
	});
});

const UBL_HEAD =
	'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:c" xmlns:cbc="urn:b">';

describe('what does not map', () => {
	it('unknown root: details null and a warning', () => {
		expect(readDocumentDetails('<nfeProc><NFe><infNFe/></NFe></nfeProc>')).toEqual({
			details: null,
			warnings: [
				{
					path: 'details',
					message: 'not a UBL invoice or credit note, nor an NFS-e (root element <nfeProc>)',
				},
			],
		});
	});

	it('malformed, empty, or with a DTD: details null and a warning', () => {
		expect(readDocumentDetails(`${UBL_HEAD}<cbc:ID>1</Invoice>`)).toEqual({
			details: null,
			warnings: [
				{
					path: 'details',
					message: 'the XML could not be read: mismatched end tag </Invoice>, expected </cbc:ID>',
				},
			],
		});
		expect(readDocumentDetails(Buffer.alloc(0)).warnings).toEqual([
			{ path: 'details', message: 'the XML could not be read: no root element' },
		]);
		expect(readDocumentDetails('%PDF-1.4 not xml').details).toBeNull();
		const xxe = `<!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>${UBL_HEAD}<cbc:Note>&x;</cbc:Note></Invoice>`;
		expect(readDocumentDetails(xxe)).toEqual({
			details: null,
			warnings: [
				{
					path: 'details',
					message: 'the XML could not be read: DTDs are not accepted (<!DOCTYPE>)',
				},
			],
		});
	});

	it('over the size limit given: details null and a warning', () => {
		const result = readDocumentDetails(fixture('ubl-peppol-base-example.xml'), {
			maxLength: 1000,
		});
		expect(result.details).toBeNull();
		expect(result.warnings[0].message).toMatch(/document too large \(9284 > 1000/);
	});
});

describe('UBL details, case by case', () => {
	it('a line without optional parts: nulls, not missing fields', () => {
		const result = details(
			`${UBL_HEAD}<cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:LineExtensionAmount currencyID="EUR">12.50</cbc:LineExtensionAmount>` +
				'<cac:Item><cbc:Name>Bare line</cbc:Name></cac:Item></cac:InvoiceLine></Invoice>',
		);
		expect(result.lines).toEqual([
			{
				lineNumber: 1,
				description: 'Bare line',
				itemCode: null,
				quantity: null,
				unitCode: null,
				unitPrice: null,
				netAmount: 12.5,
				taxCategory: null,
				taxPercent: null,
				taxAmount: null,
			},
		]);
		expect(result.taxes).toEqual([]);
		expect(result.issuer).toEqual(party(null, null, null, NO_ADDRESS));
		expect(result.totals).toEqual({
			lineTotal: null,
			taxExclusive: null,
			taxInclusive: null,
			allowances: null,
			charges: null,
			prepaid: null,
			payable: null,
		});
		expect(result.currency).toBeNull();
	});

	it('a number that is not a plain decimal is null, with a warning naming the field', () => {
		const result = readDocumentDetails(
			`${UBL_HEAD}<cac:InvoiceLine><cbc:InvoicedQuantity unitCode="H87">1,5</cbc:InvoicedQuantity>` +
				'<cbc:LineExtensionAmount> 30.00 </cbc:LineExtensionAmount>' +
				'<cac:Item><cbc:Description>Only a description</cbc:Description><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>1e1</cbc:Percent></cac:ClassifiedTaxCategory></cac:Item>' +
				'<cac:Price><cbc:PriceAmount>twenty</cbc:PriceAmount></cac:Price></cac:InvoiceLine>' +
				'<cac:LegalMonetaryTotal><cbc:PayableAmount>+30.</cbc:PayableAmount><cbc:PrepaidAmount>-0</cbc:PrepaidAmount></cac:LegalMonetaryTotal></Invoice>',
		);
		expect(result.details?.lines[0]).toEqual({
			lineNumber: 1,
			description: 'Only a description',
			itemCode: null,
			quantity: null,
			unitCode: 'H87',
			unitPrice: null,
			netAmount: 30,
			taxCategory: 'S',
			taxPercent: null,
			taxAmount: null,
		});
		expect(result.details?.totals.payable).toBe(30);
		expect(Object.is(result.details?.totals.prepaid, 0)).toBe(true);
		expect(result.warnings).toEqual([
			{
				path: 'details.lines.0.unitPrice',
				message: 'Price/PriceAmount "twenty" is not a decimal number',
			},
			{
				path: 'details.lines.0.quantity',
				message: 'InvoicedQuantity "1,5" is not a decimal number',
			},
			{
				path: 'details.lines.0.taxPercent',
				message: 'ClassifiedTaxCategory/Percent "1e1" is not a decimal number',
			},
		]);
	});

	it("a line's own tax amount, the item id order, a DebitNote, a VAT id among other schemes", () => {
		const result = details(
			'<DebitNote><ID>ND 1</ID><DocumentCurrencyCode>EUR</DocumentCurrencyCode>' +
				'<AccountingSupplierParty><Party><PartyTaxScheme><CompanyID>GOV-1</CompanyID><TaxScheme><ID>FISCAL</ID></TaxScheme></PartyTaxScheme>' +
				'<PartyTaxScheme><CompanyID>PT509999990</CompanyID><TaxScheme><ID>VAT</ID></TaxScheme></PartyTaxScheme><PartyName><Name>Trading name</Name></PartyName></Party></AccountingSupplierParty>' +
				'<PaymentMeans><PaymentMeansCode>58</PaymentMeansCode><PaymentDueDate>2026-01-31</PaymentDueDate></PaymentMeans>' +
				'<RequestedMonetaryTotal><PayableAmount>12.30</PayableAmount></RequestedMonetaryTotal>' +
				'<DebitNoteLine><DebitedQuantity unitCode="HUR">3</DebitedQuantity><LineExtensionAmount>10.00</LineExtensionAmount>' +
				'<TaxTotal><TaxAmount>2.30</TaxAmount></TaxTotal><Item><Name>Hours</Name><BuyersItemIdentification><ID>B-9</ID></BuyersItemIdentification>' +
				'<StandardItemIdentification><ID>GTIN-1</ID></StandardItemIdentification></Item><Price><PriceAmount>10</PriceAmount><BaseQuantity>3</BaseQuantity></Price></DebitNoteLine></DebitNote>',
		);
		expect(result.lines[0]).toEqual({
			lineNumber: 1,
			description: 'Hours',
			itemCode: 'GTIN-1',
			quantity: 3,
			unitCode: 'HUR',
			unitPrice: 3.333333,
			netAmount: 10,
			taxCategory: null,
			taxPercent: null,
			taxAmount: 2.3,
		});
		expect(result.issuer).toEqual(party('PT509999990', 'Trading name', null, NO_ADDRESS));
		expect(result.payment).toEqual({ dueDate: '2026-01-31', means: '58', iban: null });
		expect(result.totals.payable).toBe(12.3);
	});
});

describe('NFS-e details, case by case', () => {
	it('an ISO-8859-1 NFS-e, two NFS-e in one answer (the first, with a warning)', () => {
		const nfse = (numero: string, discriminacao: string) =>
			`<CompNfse><Nfse><InfNfse><Numero>${numero}</Numero><Servico><Valores><ValorServicos>100.00</ValorServicos></Valores>` +
			`<Discriminacao>${discriminacao}</Discriminacao></Servico></InfNfse></Nfse></CompNfse>`;
		const xml =
			'<?xml version="1.0" encoding="ISO-8859-1"?><ConsultarNfseResposta xmlns="http://www.abrasf.org.br/nfse.xsd"><ListaNfse>' +
			nfse('1', 'Manutenção') +
			nfse('2', 'Outro serviço') +
			'</ListaNfse></ConsultarNfseResposta>';
		const result = readDocumentDetails(Buffer.from(xml, 'latin1'));
		expect(result.details?.lines[0].description).toBe('Manutenção');
		expect(result.details?.lines[0].netAmount).toBe(100);
		expect(result.warnings).toEqual([
			{
				path: 'details',
				message: 'the XML holds 2 NFS-e; details are those of the first (InfNfse)',
			},
		]);
	});

	it('a national DPS on its own: the declaration, provider from prest, a foreign taker', () => {
		const result = details(
			'<DPS xmlns="http://www.sped.fazenda.gov.br/nfse" versao="1.01"><infDPS Id="DPS1"><cLocEmi>3550308</cLocEmi>' +
				'<subst><chSubstda>35503082200000000000000000000000000000000000000001</chSubstda></subst>' +
				'<prest><CPF>12345678909</CPF><xNome>Maria   Prestadora</xNome></prest>' +
				'<toma><NIF>PT509999990</NIF><xNome>Cliente PT</xNome><end><endExt><cPais>PT</cPais><cEndPost>1000-001</cEndPost><xCidade>Lisboa</xCidade><xEstProvReg>Lisboa</xEstProvReg></endExt>' +
				'<xLgr>Rua Augusta</xLgr><nro>1</nro></end></toma>' +
				'<serv><locPrest><cLocPrestacao>3550308</cLocPrestacao></locPrest><cServ><cTribNac>010101</cTribNac><xDescServ>Análise</xDescServ></cServ></serv>' +
				'<valores><vServPrest><vServ>200.00</vServ></vServPrest><trib><tribMun><tribISSQN>3</tribISSQN><tpRetISSQN>1</tpRetISSQN></tribMun></trib></valores>' +
				'</infDPS></DPS>',
		);
		expect(result.format).toBe('nfse-nacional');
		expect(result.issuer).toEqual(party('12345678909', 'Maria Prestadora', null, NO_ADDRESS));
		expect(result.recipient).toEqual(
			party(
				'PT509999990',
				'Cliente PT',
				null,
				address('Rua Augusta, 1', 'Lisboa', '1000-001', 'Lisboa', 'PT'),
			),
		);
		expect(result.lines).toEqual([
			{
				lineNumber: 1,
				description: 'Análise',
				itemCode: '010101',
				quantity: null,
				unitCode: null,
				unitPrice: null,
				netAmount: 200,
				taxCategory: '3',
				taxPercent: null,
				taxAmount: null,
			},
		]);
		// Export (tribISSQN 3), not withheld, no rate or amount: no ISS entry to show.
		expect(result.taxes).toEqual([]);
		expect(result.references.precedingInvoice).toBe(
			'35503082200000000000000000000000000000000000000001',
		);
		expect(result.service?.municipality).toBe('3550308');
		expect(result.ibsCbs).toBeNull();
	});
});

describe('the shape', () => {
	const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.xml'));
	const files = names.map((name) => join(FIXTURES, name));

	it.each(names)(
		'%s: lines are flat (ten fields, numbers, strings or null) and JSON as is',
		(name) => {
			const file = join(FIXTURES, name);
			const { details: read } = readDocumentDetails(readFileSync(file));
			if (!read) throw new Error('no details');
			expect(read.lines.length).toBeGreaterThan(0);
			for (const line of read.lines) {
				expect(Object.keys(line)).toEqual([
					'lineNumber',
					'description',
					'itemCode',
					'quantity',
					'unitCode',
					'unitPrice',
					'netAmount',
					'taxCategory',
					'taxPercent',
					'taxAmount',
				]);
				for (const value of Object.values(line))
					expect(value === null || ['number', 'string'].includes(typeof value)).toBe(true);
			}
			expect(JSON.parse(JSON.stringify(read))).toEqual(read);
			// The same from text as from bytes.
			expect(readDocumentDetails(readFileSync(file, 'utf8')).details).toEqual(read);
		},
	);

	it('never throws: random text, and fixtures cut or damaged anywhere', () => {
		const sources = files.map((file) => readFileSync(file, 'utf8'));
		const damaged = fc
			.tuple(fc.constantFrom(...sources), fc.nat(), fc.nat(), fc.string({ maxLength: 3 }))
			.map(([xml, at, length, insert]) => {
				const k = at % xml.length;
				return xml.slice(0, k) + insert + xml.slice(k + (length % 8));
			});
		fc.assert(
			fc.property(fc.oneof(fc.string(), damaged), (xml) => {
				const result = readDocumentDetails(xml);
				expect(result.details === null || typeof result.details === 'object').toBe(true);
				if (result.details === null) expect(result.warnings.length).toBeGreaterThan(0);
				for (const warning of result.warnings) {
					expect(typeof warning.path).toBe('string');
					expect(typeof warning.message).toBe('string');
				}
			}),
			{ numRuns: 500 },
		);
	});
});
