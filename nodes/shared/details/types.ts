/**
 * `details`: what is inside a document's XML, one shape for both senders (iLink's UBL 2.1 /
 * CIUS-PT invoices and credit notes, InvoiCy's NFS-e in the national layout or the ABRASF family).
 *
 * Every field is always present: a value the document does not give is `null` (a list is empty),
 * never missing, so that columns stay put in a sheet. Amounts, quantities and rates are numbers;
 * codes and identifiers are strings, as written. Each field's comment names its source: the
 * EN 16931 business term (BT-n) and UBL element for iLink, the element for the NFS-e Nacional
 * layout (`infNFSe`, `DPS/infDPS`) and for ABRASF (`InfNfse`, `InfDeclaracaoPrestacaoServico`).
 */
import type { IDataObject } from 'n8n-workflow';

/** Which layout the details were read from. */
export type DetailsFormat = 'ubl' | 'nfse-nacional' | 'nfse-abrasf';

/**
 * One invoice line, flat: no nested objects, so that n8n's Split Out on `details.lines` gives
 * items a Google Sheets "Append Row" takes as they are. Exactly these ten fields.
 */
export interface DetailLine extends IDataObject {
	/** Position of the line in the document, from 1. (The line's own id, UBL BT-126, is not used.) */
	lineNumber: number;
	/** UBL: item name `cac:Item/cbc:Name` (BT-153), else `cbc:Description` (BT-154). NFS-e: the service description (`xDescServ`; ABRASF `Discriminacao`). */
	description: string | null;
	/** UBL: seller's item id (BT-155), else standard id (BT-157), else buyer's id (BT-156). NFS-e: the national service code (`cTribNac`; ABRASF `ItemListaServico`). */
	itemCode: string | null;
	/** UBL: `cbc:InvoicedQuantity` / `cbc:CreditedQuantity` (BT-129). NFS-e: null (a service has no quantity). */
	quantity: number | null;
	/** UBL: the quantity's `unitCode` (BT-130, UN/ECE Rec 20, e.g. `C62`). NFS-e: null. */
	unitCode: string | null;
	/** UBL: net price (BT-146) per one unit: divided by the base quantity (BT-149) when one is given. NFS-e: null. */
	unitPrice: number | null;
	/** UBL: line net amount `cbc:LineExtensionAmount` (BT-131). NFS-e: the service value (`vServ`; ABRASF `ValorServicos`). */
	netAmount: number | null;
	/** UBL: VAT category code of the item (BT-151: `S`, `E`, `Z`...; CIUS-PT `NOR`, `INT`, `RED`, `ISE`). NFS-e: ISS taxation code (`tribISSQN`; ABRASF `ExigibilidadeISS`, else `NaturezaOperacao`). */
	taxCategory: string | null;
	/** UBL: VAT rate of the item (BT-152). NFS-e: ISS rate in percent (`pAliqAplic` / `pAliq`; ABRASF `Aliquota`, a fraction such as 0.02 read as 2). */
	taxPercent: number | null;
	/** UBL: the line's own `cac:TaxTotal/cbc:TaxAmount` when the sender gives one (not an EN 16931 term; never computed). NFS-e: the ISS amount (`vISSQN`; ABRASF `ValorIss`). */
	taxAmount: number | null;
}

/** One tax of the document: a VAT breakdown (BG-23), ISS, IBS, CBS, or a withholding. */
export interface DetailTax extends IDataObject {
	/** `VAT` (UBL `cac:TaxScheme/cbc:ID`), `ISS`, `IBS`, `CBS`, `PIS`, `COFINS`, `INSS`, `IR`, `CSLL`; a CIUS-PT withholding's own type (e.g. `IRS`). */
	type: string;
	/** UBL: VAT category code (BT-118). NFS-e: ISS taxation code for ISS, the IBS/CBS situation code (CST) for IBS and CBS. */
	category: string | null;
	/** Rate in percent. UBL: BT-119. IBS: state plus municipal effective rate (`pAliqEfetUF` + `pAliqEfetMun`); CBS: `pAliqEfetCBS`. */
	percent: number | null;
	/** UBL: BT-116. NFS-e: ISS base (`vBC`; ABRASF `BaseCalculo`), IBS/CBS base (`IBSCBS/valores/vBC`). */
	taxableAmount: number | null;
	/** UBL: BT-117. NFS-e: `vISSQN`, `vIBSTot`, `vCBS`, the retained values. */
	amount: number | null;
	/** Withheld by the buyer or taker: UBL VAT false, CIUS-PT withholding true; ISS from `tpRetISSQN` / `IssRetido`; federal retentions true. Null when the document does not say. */
	withheld: boolean | null;
}

/** A postal address. */
export interface DetailAddress extends IDataObject {
	/** UBL: street (BT-35) and additional street (BT-36), joined by ", ". NFS-e: street, number and complement (`xLgr`, `nro`, `xCpl`; ABRASF `Endereco`, `Numero`, `Complemento`). */
	street: string | null;
	/** UBL: BT-37. NFS-e: the municipality's name where the document states it (`xLocEmi`, `xLocPrestacao`, `xLocIncid` for the same code), else its IBGE code (`cMun`; ABRASF `CodigoMunicipio`). */
	city: string | null;
	/** UBL: BT-38. NFS-e: CEP. */
	postalCode: string | null;
	/** UBL: country subdivision (BT-39). NFS-e: the state (UF), as written or from the IBGE code's first two digits. */
	region: string | null;
	/** UBL: ISO 3166 code (BT-40). NFS-e: `BR` for a national address, else the document's country code. */
	country: string | null;
}

/** The issuer (UBL seller, BG-4; NFS-e provider) or the recipient (UBL buyer, BG-7; NFS-e taker). */
export interface DetailParty extends IDataObject {
	/** UBL: VAT identifier (BT-31 / BT-48), else legal registration id (BT-30 / BT-47). NFS-e: CNPJ, CPF or foreign NIF. */
	taxId: string | null;
	/** UBL: legal name (BT-27 / BT-44), else trading name (BT-28 / BT-45). NFS-e: `xNome`; ABRASF `RazaoSocial`. */
	name: string | null;
	/** UBL: contact e-mail (BT-43 / BT-58). NFS-e: `email`; ABRASF `Contato/Email`. */
	email: string | null;
	address: DetailAddress;
}

/** Document totals. */
export interface DetailTotals extends IDataObject {
	/** UBL: sum of line net amounts (BT-106). NFS-e: the service value (`vServ`; ABRASF `ValorServicos`). */
	lineTotal: number | null;
	/** UBL: total without VAT (BT-109). NFS-e: null (the service value includes ISS). */
	taxExclusive: number | null;
	/** UBL: total with VAT (BT-112). NFS-e national layout: total with IBS and CBS (`totCIBS/vTotNF`); otherwise null. */
	taxInclusive: number | null;
	/** UBL: document-level allowances (BT-107). NFS-e: unconditional plus conditional discounts (`vDescIncond` + `vDescCond`; ABRASF `DescontoIncondicionado` + `DescontoCondicionado`). */
	allowances: number | null;
	/** UBL: document-level charges (BT-108). NFS-e: null. */
	charges: number | null;
	/** UBL: paid amount (BT-113). NFS-e: null. */
	prepaid: number | null;
	/** UBL: amount due (BT-115). NFS-e: net value after withholdings and discounts (`vLiq`; ABRASF `ValorLiquidoNfse`). */
	payable: number | null;
}

/** Payment instructions (UBL; all null for an NFS-e). */
export interface DetailPayment extends IDataObject {
	/** Due date, `YYYY-MM-DD`: BT-9 (`cbc:DueDate`; a CreditNote's `cac:PaymentMeans/cbc:PaymentDueDate`). */
	dueDate: string | null;
	/** Payment means code (BT-81, UNCL 4461: `30` credit transfer, `58` SEPA credit transfer...). */
	means: string | null;
	/** Payment account identifier (BT-84): an IBAN for a credit transfer. */
	iban: string | null;
}

/** References to other documents. */
export interface DetailReferences extends IDataObject {
	/** UBL: purchase order (BT-13, `cac:OrderReference/cbc:ID`). NFS-e: null. */
	order: string | null;
	/** UBL: contract (BT-12, `cac:ContractDocumentReference/cbc:ID`). NFS-e: null. */
	contract: string | null;
	/** UBL: preceding invoice (BT-25, first `cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID`). NFS-e: the replaced NFS-e (`subst/chSubstda`; ABRASF `NfseSubstituida`). */
	precedingInvoice: string | null;
	/** UBL: buyer reference (BT-10; in Portugal the public buyer's commitment number). NFS-e: null. */
	buyerReference: string | null;
}

/** The service of an NFS-e (null for UBL). */
export interface DetailService extends IDataObject {
	/** Municipal taxation code (`cTribMun`; ABRASF `CodigoTributacaoMunicipio`). */
	code: string | null;
	/** National code: LC 116 list item (`cTribNac`, six digits; ABRASF `ItemListaServico`). */
	nationalCode: string | null;
	/** What was provided (`xDescServ`; ABRASF `Discriminacao`). */
	description: string | null;
	/** Where the service was provided: name where the document states it, else the IBGE code (`cLocPrestacao`; ABRASF `MunicipioIncidencia`, else `Servico/CodigoMunicipio`). */
	municipality: string | null;
}

/** The NFS-e national layout's IBS/CBS group (tax reform, LC 214/2025); null elsewhere. */
export interface DetailIbsCbs extends IDataObject {
	/** Situation code (`DPS/infDPS/IBSCBS/valores/trib/gIBSCBS/CST`). */
	cst: string | null;
	/** Tax classification (`cClassTrib`). */
	classCode: string | null;
	/** Operation indicator (`cIndOp`). */
	operationCode: string | null;
	/** Base (`infNFSe/IBSCBS/valores/vBC`). */
	taxableAmount: number | null;
	/** State IBS rate and effective rate (`pIBSUF`, `pAliqEfetUF`). */
	stateRate: number | null;
	stateEffectiveRate: number | null;
	/** Municipal IBS rate and effective rate (`pIBSMun`, `pAliqEfetMun`). */
	municipalRate: number | null;
	municipalEffectiveRate: number | null;
	/** CBS rate and effective rate (`pCBS`, `pAliqEfetCBS`). */
	cbsRate: number | null;
	cbsEffectiveRate: number | null;
	/** IBS amounts: state, municipal, total (`vIBSUF`, `vIBSMun`, `vIBSTot`). */
	stateAmount: number | null;
	municipalAmount: number | null;
	ibsAmount: number | null;
	/** CBS amount (`vCBS`). */
	cbsAmount: number | null;
	/** Document total with IBS and CBS (`vTotNF`). */
	totalWithIbsCbs: number | null;
}

/** Everything read from the document's XML. */
export interface DocumentDetails extends IDataObject {
	format: DetailsFormat;
	/** UBL: BT-5 document currency. NFS-e: `BRL`. */
	currency: string | null;
	lines: DetailLine[];
	taxes: DetailTax[];
	totals: DetailTotals;
	issuer: DetailParty;
	recipient: DetailParty;
	payment: DetailPayment;
	references: DetailReferences;
	/** NFS-e only; null for UBL. */
	service: DetailService | null;
	/** NFS-e national layout with the IBS/CBS group only; null otherwise. */
	ibsCbs: DetailIbsCbs | null;
}

/** A value that could not be read, and was set to null (or a document that could not be read at all). */
export interface DetailsWarning extends IDataObject {
	/** Where, in the item: `details.lines.0.quantity`, or `details` for the whole document. */
	path: string;
	message: string;
}

/** What {@link readDocumentDetails} answers: never throws. */
export interface DetailsResult {
	details: DocumentDetails | null;
	warnings: DetailsWarning[];
}
