/**
 * `details` from an NFS-e: the national layout (NFS-e Nacional, `NFSe/infNFSe` with the
 * declaration `DPS/infDPS` inside, or a bare `DPS`), and the ABRASF family (1.0x: `InfNfse` with
 * `Servico` and `TomadorServico`; 2.0x: `InfNfse` with `ValoresNfse` and
 * `DeclaracaoPrestacaoServico/InfDeclaracaoPrestacaoServico`), whatever wraps it
 * (`CompNfse`, `GerarNfseResposta`, `ConsultarLoteRpsResposta`, a SOAP envelope...).
 *
 * An NFS-e is one service: `lines` has one line. ISS, the federal retentions and, in the national
 * layout, IBS and CBS are `taxes`.
 */
import type { XmlElement } from '../xml';
import { child, text } from '../xml';
import type {
	DetailAddress,
	DetailIbsCbs,
	DetailLine,
	DetailParty,
	DetailTax,
	DocumentDetails,
} from './types';
import { DetailsReader, emptyAddress, joinParts, sumPresent, tidy, token } from './read';

/** States (UF) by the first two digits of an IBGE municipality code. */
const UF_BY_CODE: Record<string, string> = {
	'11': 'RO',
	'12': 'AC',
	'13': 'AM',
	'14': 'RR',
	'15': 'PA',
	'16': 'AP',
	'17': 'TO',
	'21': 'MA',
	'22': 'PI',
	'23': 'CE',
	'24': 'RN',
	'25': 'PB',
	'26': 'PE',
	'27': 'AL',
	'28': 'SE',
	'29': 'BA',
	'31': 'MG',
	'32': 'ES',
	'33': 'RJ',
	'35': 'SP',
	'41': 'PR',
	'42': 'SC',
	'43': 'RS',
	'50': 'MS',
	'51': 'MT',
	'52': 'GO',
	'53': 'DF',
};

const ufOf = (code: string | null) =>
	code && /^\d{7}$/.test(code) ? (UF_BY_CODE[code.slice(0, 2)] ?? null) : null;

/** Municipality names the document states next to their codes. */
type Names = Map<string, string>;

function remember(names: Names, code: string | null, name: string | null): void {
	if (code && name && !names.has(code)) names.set(code, name);
}

const place = (names: Names, code: string | null) => (code ? (names.get(code) ?? code) : null);

/** A tax entry, or nothing when the document gives neither a rate nor an amount for it. */
function tax(entry: DetailTax): DetailTax[] {
	return entry.percent === null && entry.amount === null && entry.taxableAmount === null
		? []
		: [entry];
}

/** A federal retention: listed when its amount is present and not zero. */
function retention(
	type: string,
	amount: number | null,
	percent: number | null = null,
): DetailTax[] {
	return amount === null || amount === 0
		? []
		: [{ type, category: null, percent, taxableAmount: null, amount, withheld: true }];
}

/** `details.taxes.N.field` for the entry about to be added after `taxes`. */
/** What differs between the two NFS-e layouts; the rest of their details is the same. */
interface NfseParts {
	format: DocumentDetails['format'];
	/** The one line's own fields. */
	service: Pick<DetailLine, 'description' | 'itemCode' | 'netAmount'>;
	/** The ISS as the line shows it. */
	iss: Iss;
	taxes: DetailTax[];
	totals: Pick<DocumentDetails['totals'], 'taxInclusive' | 'allowances' | 'payable'>;
	issuer: DetailParty;
	recipient: DetailParty;
	precedingInvoice: string | null;
	serviceDetails: NonNullable<DocumentDetails['service']>;
	ibsCbs: DocumentDetails['ibsCbs'];
}

/** An NFS-e has one line (the service), no payment terms and no order or contract references. */
function nfseDetails(parts: NfseParts): DocumentDetails {
	const { service, iss } = parts;
	const line: DetailLine = {
		lineNumber: 1,
		description: service.description,
		itemCode: service.itemCode,
		quantity: null,
		unitCode: null,
		unitPrice: null,
		netAmount: service.netAmount,
		taxCategory: iss.category,
		taxPercent: iss.percent,
		taxAmount: iss.amount,
	};
	return {
		format: parts.format,
		currency: 'BRL',
		lines: line.netAmount === null && line.description === null ? [] : [line],
		taxes: parts.taxes,
		totals: {
			lineTotal: line.netAmount as number | null,
			taxExclusive: null,
			taxInclusive: parts.totals.taxInclusive,
			allowances: parts.totals.allowances,
			charges: null,
			prepaid: null,
			payable: parts.totals.payable,
		},
		issuer: parts.issuer,
		recipient: parts.recipient,
		payment: { dueDate: null, means: null, iban: null },
		references: {
			order: null,
			contract: null,
			precedingInvoice: parts.precedingInvoice,
			buyerReference: null,
		},
		service: parts.serviceDetails,
		ibsCbs: parts.ibsCbs,
	};
}

/** The ISS, first of an NFS-e's taxes, as both layouts give it. */
interface Iss {
	category: string | null;
	percent: number | null;
	amount: number | null;
}

const ISS_TAXABLE_PATH = 'details.taxes.0.taxableAmount';

function issTaxes(iss: Iss, taxableAmount: number | null, withheld: boolean | null): DetailTax[] {
	const { category, percent, amount } = iss;
	return tax({ type: 'ISS', category, percent, taxableAmount, amount, withheld });
}

const taxPath = (taxes: DetailTax[], field: string) => `details.taxes.${taxes.length}.${field}`;

// ---------------------------------------------------------------------------------------------
// NFS-e Nacional (leiaute DPS / NFS-e, Sefin Nacional; IBSCBS from NT 004/2025)

/** Reads the national layout; `element` is `infNFSe` (an issued NFS-e) or `infDPS` (a declaration). */
export function readNationalNfse(element: XmlElement, reader: DetailsReader): DocumentDetails {
	const inf = element.name === 'infNFSe' ? element : null;
	const dps = inf ? child(inf, 'DPS', 'infDPS') : element;
	const serv = child(dps, 'serv');
	const dpsValues = child(dps, 'valores');
	const tribMun = child(dpsValues, 'trib', 'tribMun');
	const tribFed = child(dpsValues, 'trib', 'tribFed');
	const nfseValues = child(inf, 'valores');
	const computed = child(inf, 'IBSCBS');
	const declared = child(dps, 'IBSCBS');

	const names: Names = new Map();
	remember(names, text(dps, 'cLocEmi'), text(inf, 'xLocEmi'));
	remember(names, text(serv, 'locPrest', 'cLocPrestacao'), text(inf, 'xLocPrestacao'));
	remember(names, text(inf, 'cLocIncid'), text(inf, 'xLocIncid'));
	remember(names, text(computed, 'cLocalidadeIncid'), text(computed, 'xLocalidadeIncid'));

	const serviceValue = reader.decimal(
		dpsValues,
		'details.lines.0.netAmount',
		'vServPrest',
		'vServ',
	);
	const issRate =
		reader.decimal(nfseValues, 'details.lines.0.taxPercent', 'pAliqAplic') ??
		reader.decimal(tribMun, 'details.lines.0.taxPercent', 'pAliq');
	const issAmount = reader.decimal(nfseValues, 'details.lines.0.taxAmount', 'vISSQN');
	const iss = { category: text(tribMun, 'tribISSQN'), percent: issRate, amount: issAmount };
	const retained = text(tribMun, 'tpRetISSQN');
	const taxes = issTaxes(
		iss,
		reader.decimal(nfseValues, ISS_TAXABLE_PATH, 'vBC'),
		retained === null ? null : retained !== '1',
	);
	const ibsCbs = computed || declared ? readIbsCbs(computed, declared, reader) : null;
	if (ibsCbs) {
		const ibsRate =
			ibsCbs.stateEffectiveRate !== null && ibsCbs.municipalEffectiveRate !== null
				? tidy(ibsCbs.stateEffectiveRate + ibsCbs.municipalEffectiveRate)
				: null;
		taxes.push(
			...tax({
				type: 'IBS',
				category: ibsCbs.cst,
				percent: ibsRate,
				taxableAmount: ibsCbs.taxableAmount,
				amount: ibsCbs.ibsAmount ?? sumPresent(ibsCbs.stateAmount, ibsCbs.municipalAmount),
				withheld: null,
			}),
		);
		taxes.push(
			...tax({
				type: 'CBS',
				category: ibsCbs.cst,
				percent: ibsCbs.cbsEffectiveRate,
				taxableAmount: ibsCbs.taxableAmount,
				amount: ibsCbs.cbsAmount,
				withheld: null,
			}),
		);
	}
	const pisCofins = child(tribFed, 'piscofins');
	const pisCofinsWithheld = ((code) => (code === '1' ? true : code === '2' ? false : null))(
		text(pisCofins, 'tpRetPisCofins'),
	);
	for (const [type, amountName, rateName] of [
		['PIS', 'vPis', 'pAliqPis'],
		['COFINS', 'vCofins', 'pAliqCofins'],
	] as const) {
		const amount = reader.decimal(pisCofins, taxPath(taxes, 'amount'), amountName);
		const percent = reader.decimal(pisCofins, taxPath(taxes, 'percent'), rateName);
		if (amount === null || amount === 0) continue;
		taxes.push({
			type,
			category: text(pisCofins, 'CST'),
			percent,
			taxableAmount: reader.decimal(pisCofins, taxPath(taxes, 'taxableAmount'), 'vBCPisCofins'),
			amount,
			withheld: pisCofinsWithheld,
		});
	}
	taxes.push(...retention('INSS', reader.decimal(tribFed, taxPath(taxes, 'amount'), 'vRetCP')));
	taxes.push(...retention('IR', reader.decimal(tribFed, taxPath(taxes, 'amount'), 'vRetIRRF')));
	taxes.push(...retention('CSLL', reader.decimal(tribFed, taxPath(taxes, 'amount'), 'vRetCSLL')));

	const description = text(serv, 'cServ', 'xDescServ');
	const nationalCode = text(serv, 'cServ', 'cTribNac');
	const discounts = child(dpsValues, 'vDescCondIncond');
	return nfseDetails({
		format: 'nfse-nacional',
		service: { description, itemCode: nationalCode, netAmount: serviceValue },
		iss,
		taxes,
		totals: {
			taxInclusive: reader.decimal(computed, 'details.totals.taxInclusive', 'totCIBS', 'vTotNF'),
			allowances: sumPresent(
				reader.decimal(discounts, 'details.totals.allowances', 'vDescIncond'),
				reader.decimal(discounts, 'details.totals.allowances', 'vDescCond'),
			),
			payable: reader.decimal(nfseValues, 'details.totals.payable', 'vLiq'),
		},
		issuer: nationalParty(child(inf, 'emit') ?? child(dps, 'prest'), names),
		recipient: nationalParty(child(dps, 'toma'), names),
		precedingInvoice: text(dps, 'subst', 'chSubstda'),
		serviceDetails: {
			code: text(serv, 'cServ', 'cTribMun'),
			nationalCode,
			description,
			municipality:
				place(names, text(serv, 'locPrest', 'cLocPrestacao')) ??
				text(serv, 'locPrest', 'cPaisPrestacao'),
		},
		ibsCbs,
	});
}

function readIbsCbs(
	computed: XmlElement | null,
	declared: XmlElement | null,
	reader: DetailsReader,
): DetailIbsCbs {
	const values = child(computed, 'valores');
	const totals = child(computed, 'totCIBS');
	const at = 'details.ibsCbs.';
	return {
		cst: text(declared, 'valores', 'trib', 'gIBSCBS', 'CST'),
		classCode: text(declared, 'valores', 'trib', 'gIBSCBS', 'cClassTrib'),
		operationCode: text(declared, 'cIndOp'),
		taxableAmount: reader.decimal(values, `${at}taxableAmount`, 'vBC'),
		stateRate: reader.decimal(values, `${at}stateRate`, 'uf', 'pIBSUF'),
		stateEffectiveRate: reader.decimal(values, `${at}stateEffectiveRate`, 'uf', 'pAliqEfetUF'),
		municipalRate: reader.decimal(values, `${at}municipalRate`, 'mun', 'pIBSMun'),
		municipalEffectiveRate: reader.decimal(
			values,
			`${at}municipalEffectiveRate`,
			'mun',
			'pAliqEfetMun',
		),
		cbsRate: reader.decimal(values, `${at}cbsRate`, 'fed', 'pCBS'),
		cbsEffectiveRate: reader.decimal(values, `${at}cbsEffectiveRate`, 'fed', 'pAliqEfetCBS'),
		stateAmount: reader.decimal(totals, `${at}stateAmount`, 'gIBS', 'gIBSUFTot', 'vIBSUF'),
		municipalAmount: reader.decimal(
			totals,
			`${at}municipalAmount`,
			'gIBS',
			'gIBSMunTot',
			'vIBSMun',
		),
		ibsAmount: reader.decimal(totals, `${at}ibsAmount`, 'gIBS', 'vIBSTot'),
		cbsAmount: reader.decimal(totals, `${at}cbsAmount`, 'gCBS', 'vCBS'),
		totalWithIbsCbs: reader.decimal(totals, `${at}totalWithIbsCbs`, 'vTotNF'),
	};
}

/** `emit`, `prest` or `toma`: a national (`enderNac`, `end/endNac`) or foreign (`end/endExt`) address. */
function nationalParty(party: XmlElement | null, names: Names): DetailParty {
	const issuerAddress = child(party, 'enderNac');
	const takerAddress = child(party, 'end');
	const national = issuerAddress ?? child(takerAddress, 'endNac');
	const foreign = child(takerAddress, 'endExt');
	const streetOf = issuerAddress ?? takerAddress;
	let address: DetailAddress = emptyAddress();
	if (national) {
		const code = text(national, 'cMun');
		address = {
			street: joinParts(token(streetOf, 'xLgr'), token(streetOf, 'nro'), token(streetOf, 'xCpl')),
			city: place(names, code),
			postalCode: text(national, 'CEP'),
			region: text(national, 'UF') ?? ufOf(code),
			country: 'BR',
		};
	} else if (foreign) {
		address = {
			street: joinParts(token(streetOf, 'xLgr'), token(streetOf, 'nro'), token(streetOf, 'xCpl')),
			city: token(foreign, 'xCidade'),
			postalCode: text(foreign, 'cEndPost'),
			region: token(foreign, 'xEstProvReg'),
			country: text(foreign, 'cPais'),
		};
	}
	return {
		taxId: text(party, 'CNPJ') ?? text(party, 'CPF') ?? text(party, 'NIF'),
		name: token(party, 'xNome'),
		email: text(party, 'email'),
		address,
	};
}

// ---------------------------------------------------------------------------------------------
// ABRASF 1.0x and 2.0x

/**
 * An ABRASF rate in percent. ABRASF 1.0 writes a fraction (`0.02` for 2 %), 2.0x a percentage
 * (`2.00`), and cities mix them; ISS is at least 2 % by law (LC 116, art. 8-A), so a rate
 * below 1 is a fraction.
 */
const issPercent = (rate: number | null) =>
	rate !== null && rate > 0 && rate < 1 ? tidy(rate * 100) : rate;

/** Reads an ABRASF `InfNfse`. */
export function readAbrasfNfse(inf: XmlElement, reader: DetailsReader): DocumentDetails {
	const declaration = child(inf, 'DeclaracaoPrestacaoServico', 'InfDeclaracaoPrestacaoServico');
	const service = child(declaration, 'Servico') ?? child(inf, 'Servico');
	const values = child(service, 'Valores');
	// 2.0x moves the ISS values and the net value to `InfNfse/ValoresNfse`; 1.0 keeps them in
	// `Servico/Valores`. Each is read where it is.
	const valoresNfse = child(inf, 'ValoresNfse');
	const nfseValue = (name: string) => (child(valoresNfse, name) ? valoresNfse : values);
	const names: Names = new Map();

	const serviceValue = reader.decimal(values, 'details.lines.0.netAmount', 'ValorServicos');
	const issRate = issPercent(
		reader.decimal(nfseValue('Aliquota'), 'details.lines.0.taxPercent', 'Aliquota'),
	);
	const issAmount = reader.decimal(nfseValue('ValorIss'), 'details.lines.0.taxAmount', 'ValorIss');
	const iss = {
		category: text(service, 'ExigibilidadeISS') ?? text(inf, 'NaturezaOperacao'),
		percent: issRate,
		amount: issAmount,
	};
	const retained = text(service, 'IssRetido') ?? text(values, 'IssRetido');
	const taxes = issTaxes(
		iss,
		reader.decimal(nfseValue('BaseCalculo'), ISS_TAXABLE_PATH, 'BaseCalculo'),
		retained === '1' ? true : retained === '2' ? false : null,
	);
	for (const [type, name] of [
		['PIS', 'ValorPis'],
		['COFINS', 'ValorCofins'],
		['INSS', 'ValorInss'],
		['IR', 'ValorIr'],
		['CSLL', 'ValorCsll'],
		['OTHER', 'OutrasRetencoes'],
	] as const)
		taxes.push(...retention(type, reader.decimal(values, taxPath(taxes, 'amount'), name)));

	const description = text(service, 'Discriminacao');
	const nationalCode = text(service, 'ItemListaServico');
	const taker =
		child(declaration, 'TomadorServico') ??
		child(declaration, 'Tomador') ??
		child(inf, 'TomadorServico');
	return nfseDetails({
		format: 'nfse-abrasf',
		service: { description, itemCode: nationalCode, netAmount: serviceValue },
		iss,
		taxes,
		totals: {
			taxInclusive: null,
			allowances: sumPresent(
				reader.decimal(values, 'details.totals.allowances', 'DescontoIncondicionado'),
				reader.decimal(values, 'details.totals.allowances', 'DescontoCondicionado'),
			),
			payable: reader.decimal(
				nfseValue('ValorLiquidoNfse'),
				'details.totals.payable',
				'ValorLiquidoNfse',
			),
		},
		issuer: abrasfParty(
			child(inf, 'PrestadorServico'),
			'IdentificacaoPrestador',
			child(declaration, 'Prestador'),
			names,
		),
		recipient: abrasfParty(taker, 'IdentificacaoTomador', null, names),
		precedingInvoice: text(inf, 'NfseSubstituida'),
		serviceDetails: {
			code: text(service, 'CodigoTributacaoMunicipio'),
			nationalCode,
			description,
			municipality: place(
				names,
				text(service, 'MunicipioIncidencia') ?? text(service, 'CodigoMunicipio'),
			),
		},
		ibsCbs: null,
	});
}

/** `PrestadorServico` / `TomadorServico` / `Tomador`, ids in `CpfCnpj` (2.0x) or directly (1.0). */
function abrasfParty(
	party: XmlElement | null,
	identification: string,
	fallbackIds: XmlElement | null,
	names: Names,
): DetailParty {
	const ids = child(party, identification) ?? fallbackIds;
	const address = child(party, 'Endereco');
	const code = text(address, 'CodigoMunicipio');
	const hasAddress = !!address && address.children.some((field) => field.text.trim() !== '');
	return {
		taxId:
			text(ids, 'CpfCnpj', 'Cnpj') ??
			text(ids, 'CpfCnpj', 'Cpf') ??
			text(ids, 'Cnpj') ??
			text(ids, 'Cpf') ??
			text(fallbackIds, 'CpfCnpj', 'Cnpj') ??
			text(fallbackIds, 'CpfCnpj', 'Cpf'),
		name: token(party, 'RazaoSocial'),
		email: text(party, 'Contato', 'Email'),
		address: hasAddress
			? {
					street: joinParts(
						token(address, 'Endereco'),
						token(address, 'Numero'),
						token(address, 'Complemento'),
					),
					city: place(names, code),
					postalCode: text(address, 'Cep'),
					region: text(address, 'Uf') ?? ufOf(code),
					country: 'BR',
				}
			: emptyAddress(),
	};
}
