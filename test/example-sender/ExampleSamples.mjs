// The example sender's sample deliveries for the send-sample command line (see sender.json): the
// smallest module a sender needs. The command line hands `build` its tools (this folder's samples/
// as templates, the shared sample documents, localDateTime).

/** The Authorization the example sender sends: `Bearer <secret>`, from --secret. */
export function readAuth(flags, others, fail) {
	if (others.some(({ flag }) => flags[flag] !== undefined))
		fail('the example sender sends only "Authorization: Bearer <secret>": use --secret');
	if (!flags.secret) fail("missing --secret: the secret of the node's credential");
	return { type: 'bearer', secret: flags.secret };
}

/** The Authorization header for a dev credential (npm run dev's curl lines). */
export function authorizationFor(credential) {
	return credential.type === 'exampleSecretApi' ? `Bearer ${credential.data.secret}` : undefined;
}

/** The sample event with this run's id, number and status. */
export function build({ status, identity }, { template }) {
	const body = template('example-event');
	const number = `EX ${identity.sequence}`;
	Object.assign(body.event, { id: identity.id, status, number });
	return { payload: body, summary: { id: identity.id, number, status } };
}
