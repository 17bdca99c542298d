// InvoiCy's sample deliveries for the send-sample command line and npm run dev: the code behind
// sender.json's cli section. Plain ES module (never loaded by n8n); the command line hands it its
// tools (this folder's samples/ as templates, the shared sample documents, localDateTime).
import { createHash } from 'node:crypto';

const DAY = 24 * 60 * 60 * 1000;

/**
 * The Authorization InvoiCy sends (TipoAutenticacao 2 Bearer, 1 Basic, 0 none), from the command
 * line's flags. `others` are the other senders' auth flags; `fail` ends the command with a usage
 * error.
 */
export function readAuth(flags, others, fail) {
	const foreign = others.filter(({ flag }) => flags[flag] !== undefined);
	if (foreign.length) {
		const owners = [...new Set(foreign.map(({ sender }) => sender))].join(', ');
		fail(
			`${foreign.map(({ flag }) => `--${flag}`).join(', ')} ${foreign.length > 1 ? 'are' : 'is'} for ${owners}; for InvoiCy use --token (Bearer), --user/--password or --basic-token (Basic)`,
		);
	}
	const { token, user, password } = flags;
	const basicToken = flags['basic-token'];
	if ((user === undefined) !== (password === undefined)) fail('--user and --password go together');
	if (user?.includes(':'))
		fail('--user must not contain ":" (Basic auth separates user and password with it)');
	const modes = [token, user, basicToken].filter((value) => value !== undefined).length;
	if (modes > 1)
		fail('choose one InvoiCy authentication: --token, --user/--password or --basic-token');
	if (token) return { type: 'bearer', secret: token };
	if (user)
		return {
			type: 'basic',
			secret: Buffer.from(`${user}:${password}`, 'utf8').toString('base64'),
			parts: [user, password],
		};
	if (basicToken) {
		if (/\s/.test(basicToken)) fail('--basic-token must be the base64 text itself, without spaces');
		return { type: 'basic', secret: basicToken };
	}
	return { type: 'none' };
}

/** The Authorization header InvoiCy sends for a dev credential (npm run dev's curl lines). */
export function authorizationFor(credential) {
	const { type, data } = credential;
	if (type === 'invoiCyBearerTokenApi') return `Bearer ${data.token}`;
	if (type === 'invoiCyBasicAuthApi')
		return `Basic ${Buffer.from(`${data.user}:${data.password}`).toString('base64')}`;
	return undefined;
}

/** DocStatus / DocSitCodigo / DocSitDescricao per status (spec 2.5). */
const INVOICY_STATUSES = {
	authorized: {
		template: 'invoicy-nfse-authorized',
		DocStatus: 2,
		DocSitCodigo: 100,
		DocSitDescricao: 'Autorizado o uso da NFS-e',
		TipoNotificacaoWebHook: 2,
		files: true,
	},
	rejected: {
		template: 'invoicy-nfse-rejected',
		DocStatus: 3,
		DocSitCodigo: 999,
		DocSitDescricao: null,
		TipoNotificacaoWebHook: 2,
		files: false,
	},
	cancelled: {
		template: 'invoicy-nfse-cancelled',
		DocStatus: 5,
		DocSitCodigo: 101,
		DocSitDescricao: 'Cancelado',
		TipoNotificacaoWebHook: 3,
		files: true,
	},
	// 105 (the first answer of the asynchronous flow) never fires the webhook; a document that
	// stays pending afterwards is reported with the generic "status pendente".
	pending: {
		template: 'invoicy-nfse-rejected',
		DocStatus: 1,
		DocSitCodigo: 113,
		DocSitDescricao: 'Documento com status pendente, aguardando o retorno da prefeitura',
		TipoNotificacaoWebHook: 2,
		files: false,
	},
};

function verificationCode(identity) {
	const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
	const seed = createHash('sha256').update(`code:${identity.id}`).digest();
	return [...seed.subarray(0, 8)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** An InvoiCy webhook body `{ documento: { ... } }` with the PDF and XML inline as base64. */
export function build({ status, identity, now = new Date() }, tools) {
	const { template, readSample, localDateTime } = tools;
	/** São Paulo has kept UTC-3 all year since 2019. */
	const brasilia = (date) => `${localDateTime(date, 'America/Sao_Paulo').replace(' ', 'T')}`;
	const spec = INVOICY_STATUSES[status];
	const body = template(spec.template);
	const doc = body.documento;
	const issued =
		status === 'cancelled' ? new Date(now.getTime() - DAY) : new Date(now.getTime() - 60 * 1000);
	const withFiles = spec.files;
	const authorized = status === 'authorized' || status === 'cancelled';
	const nfseNumber = authorized ? identity.secondary : 0;
	const token = createHash('sha256')
		.update(`link:${identity.id}`)
		.digest('hex')
		.slice(0, 32)
		.toUpperCase();

	doc.DocNumero = identity.sequence;
	doc.DocIDUnico = identity.id;
	doc.DocStatus = spec.DocStatus;
	doc.DocSitCodigo = spec.DocSitCodigo;
	if (spec.DocSitDescricao) doc.DocSitDescricao = spec.DocSitDescricao;
	doc.TipoNotificacaoWebHook = spec.TipoNotificacaoWebHook;
	doc.DocProtocolo = authorized
		? `PROTO-${issued.getUTCFullYear()}-${String(nfseNumber).padStart(6, '0')}`
		: '';
	doc.DocPDF = withFiles ? readSample('sample-invoice.pdf').toString('base64') : '';
	doc.DocXML = withFiles ? readSample('sample-nfse.xml').toString('base64') : '';
	doc.DocPDFLink = withFiles
		? `https://homolog.invoicy.com.br/DownloadPDF.aspx?ParmCript=SAMPLE${token}`
		: '';
	doc.DocXMLLink = withFiles
		? `https://homolog.invoicy.com.br/HNUC002.aspx?ParmCript=SAMPLE${token}`
		: '';
	doc.Resumo.DocDataEmissao = brasilia(issued);
	doc.Resumo.DocFusoHorario = '-03:00';
	doc.Resumo.DocDhAut = authorized ? `${brasilia(new Date(issued.getTime() + 7000))}-03:00` : '';
	doc.NFSe = {
		NFSeNumero: nfseNumber,
		NFSeCodVerificacao: authorized ? verificationCode(identity) : '',
	};
	if (status === 'cancelled') {
		for (const event of doc.Eventos) event.DocEveDhReg = `${brasilia(now)}-03:00`;
	} else {
		doc.Eventos = [];
	}
	return {
		payload: body,
		summary: {
			id: identity.id,
			number: String(identity.sequence),
			status,
			nfseNumber: authorized ? String(nfseNumber) : null,
		},
	};
}
