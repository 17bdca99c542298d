/**
 * `details` from a UBL 2.1 Invoice, CreditNote or DebitNote: the EN 16931 business terms as
 * CIUS-PT (iLink) and Peppol BIS 3 carry them. Elements are found by local name, so any prefix
 * (or none) works.
 */
import type { XmlElement } from '../xml';
import { attribute, child, children, text } from '../xml';
import type { DetailLine, DetailParty, DetailTax, DocumentDetails } from './types';
import { DetailsReader, emptyAddress, joinParts, tidy, token } from './read';

/** The UBL document kinds read here, by root element: line element and quantity element. */
export const UBL_ROOTS: Record<string, { line: string; quantity: string; totals: string }> = {
	Invoice: { line: 'InvoiceLine', quantity: 'InvoicedQuantity', totals: 'LegalMonetaryTotal' },
	CreditNote: {
		line: 'CreditNoteLine',
		quantity: 'CreditedQuantity',
		totals: 'LegalMonetaryTotal',
	},
	DebitNote: {
		line: 'DebitNoteLine',
		quantity: 'DebitedQuantity',
		totals: 'RequestedMonetaryTotal',
	},
};

export function isUbl(root: XmlElement): boolean {
	return Object.prototype.hasOwnProperty.call(UBL_ROOTS, root.name);
}

export function readUbl(root: XmlElement, reader: DetailsReader): DocumentDetails {
	const kind = UBL_ROOTS[root.name];
	const totals = child(root, kind.totals) ?? child(root, 'LegalMonetaryTotal');
	const means = child(root, 'PaymentMeans');
	return {
		format: 'ubl',
		currency: text(root, 'DocumentCurrencyCode'),
		lines: children(root, kind.line).map((line, index) =>
			readLine(line, index, kind.quantity, reader),
		),
		taxes: [...readVatBreakdown(root, reader), ...readWithholdings(root, reader)],
		totals: {
			lineTotal: reader.decimal(totals, 'details.totals.lineTotal', 'LineExtensionAmount'),
			taxExclusive: reader.decimal(totals, 'details.totals.taxExclusive', 'TaxExclusiveAmount'),
			taxInclusive: reader.decimal(totals, 'details.totals.taxInclusive', 'TaxInclusiveAmount'),
			allowances: reader.decimal(totals, 'details.totals.allowances', 'AllowanceTotalAmount'),
			charges: reader.decimal(totals, 'details.totals.charges', 'ChargeTotalAmount'),
			prepaid: reader.decimal(totals, 'details.totals.prepaid', 'PrepaidAmount'),
			payable: reader.decimal(totals, 'details.totals.payable', 'PayableAmount'),
		},
		issuer: readParty(child(root, 'AccountingSupplierParty', 'Party')),
		recipient: readParty(child(root, 'AccountingCustomerParty', 'Party')),
		payment: {
			dueDate: text(root, 'DueDate') ?? text(means, 'PaymentDueDate'),
			means: text(means, 'PaymentMeansCode'),
			iban: text(means, 'PayeeFinancialAccount', 'ID'),
		},
		references: {
			order: text(root, 'OrderReference', 'ID'),
			contract: text(root, 'ContractDocumentReference', 'ID'),
			precedingInvoice: text(root, 'BillingReference', 'InvoiceDocumentReference', 'ID'),
			buyerReference: text(root, 'BuyerReference'),
		},
		service: null,
		ibsCbs: null,
	};
}

function readLine(
	line: XmlElement,
	index: number,
	quantityName: string,
	reader: DetailsReader,
): DetailLine {
	const at = `details.lines.${index}`;
	const item = child(line, 'Item');
	const price = reader.decimal(line, `${at}.unitPrice`, 'Price', 'PriceAmount');
	const baseQuantity = reader.decimal(line, `${at}.unitPrice`, 'Price', 'BaseQuantity');
	return {
		lineNumber: index + 1,
		description: text(item, 'Name') ?? text(item, 'Description'),
		itemCode:
			text(item, 'SellersItemIdentification', 'ID') ??
			text(item, 'StandardItemIdentification', 'ID') ??
			text(item, 'BuyersItemIdentification', 'ID'),
		quantity: reader.decimal(line, `${at}.quantity`, quantityName),
		unitCode: attribute(line, 'unitCode', quantityName),
		unitPrice:
			price !== null && baseQuantity !== null && baseQuantity !== 0 && baseQuantity !== 1
				? tidy(price / baseQuantity)
				: price,
		netAmount: reader.decimal(line, `${at}.netAmount`, 'LineExtensionAmount'),
		taxCategory: text(item, 'ClassifiedTaxCategory', 'ID'),
		taxPercent: reader.decimal(item, `${at}.taxPercent`, 'ClassifiedTaxCategory', 'Percent'),
		taxAmount: reader.decimal(line, `${at}.taxAmount`, 'TaxTotal', 'TaxAmount'),
	};
}

/** The VAT breakdown (BG-23): every `TaxSubtotal` of the `TaxTotal`s that have them. */
function readVatBreakdown(root: XmlElement, reader: DetailsReader): DetailTax[] {
	const taxes: DetailTax[] = [];
	for (const total of children(root, 'TaxTotal')) {
		for (const subtotal of children(total, 'TaxSubtotal')) {
			const at = `details.taxes.${taxes.length}`;
			const category = child(subtotal, 'TaxCategory');
			taxes.push({
				type: text(category, 'TaxScheme', 'ID') ?? 'VAT',
				category: text(category, 'ID'),
				percent: reader.decimal(category, `${at}.percent`, 'Percent'),
				taxableAmount: reader.decimal(subtotal, `${at}.taxableAmount`, 'TaxableAmount'),
				amount: reader.decimal(subtotal, `${at}.amount`, 'TaxAmount'),
				withheld: false,
			});
		}
	}
	return taxes;
}

/**
 * CIUS-PT carries withholding taxes (retenções na fonte) in document notes, one value a note:
 * `#WITHHOLDINGTAXAMOUNT@WITHHOLDINGTAX-001#10.00#`, with `...TYPE@...`, `...PERCENTAGE@...`.
 */
const WITHHOLDING_NOTE = /^#WITHHOLDINGTAX([A-Z]+)@(WITHHOLDINGTAX-[0-9A-Za-z]+)#([^#]*)#$/;

function readWithholdings(root: XmlElement, reader: DetailsReader): DetailTax[] {
	const groups = new Map<string, Map<string, string>>();
	for (const note of children(root, 'Note')) {
		const match = WITHHOLDING_NOTE.exec(note.text.trim());
		if (!match) continue;
		const [, key, group, value] = match;
		const values = groups.get(group) ?? new Map<string, string>();
		values.set(key, value.trim());
		groups.set(group, values);
	}
	// Numbered after the VAT breakdown in the warnings' paths.
	const first = children(root, 'TaxTotal').reduce(
		(count, total) => count + children(total, 'TaxSubtotal').length,
		0,
	);
	return [...groups.values()].map((values, index) => {
		const at = `details.taxes.${first + index}`;
		return {
			type: values.get('TYPE') || 'WITHHOLDING',
			category: null,
			percent: reader.number(
				values.get('PERCENTAGE') || null,
				`${at}.percent`,
				'WITHHOLDINGTAXPERCENTAGE note',
			),
			taxableAmount: null,
			amount: reader.number(
				values.get('AMOUNT') || null,
				`${at}.amount`,
				'WITHHOLDINGTAXAMOUNT note',
			),
			withheld: true,
		};
	});
}

function readParty(party: XmlElement | null): DetailParty {
	const address = child(party, 'PostalAddress');
	const schemes = children(party, 'PartyTaxScheme');
	const vat = schemes.find((scheme) => text(scheme, 'TaxScheme', 'ID') === 'VAT') ?? schemes[0];
	return {
		taxId: text(vat, 'CompanyID') ?? text(party, 'PartyLegalEntity', 'CompanyID'),
		name: token(party, 'PartyLegalEntity', 'RegistrationName') ?? token(party, 'PartyName', 'Name'),
		email: text(party, 'Contact', 'ElectronicMail'),
		address: address
			? {
					street: joinParts(token(address, 'StreetName'), token(address, 'AdditionalStreetName')),
					city: token(address, 'CityName'),
					postalCode: text(address, 'PostalZone'),
					region: token(address, 'CountrySubentity'),
					country: text(address, 'Country', 'IdentificationCode'),
				}
			: emptyAddress(),
	};
}
