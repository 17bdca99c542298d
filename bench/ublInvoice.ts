/**
 * The benchmarks' UBL invoice (bench/details.ts, bench/inprocess.ts): CIUS-PT style, with `count`
 * lines, three VAT rates, line discounts, base quantities.
 */
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
