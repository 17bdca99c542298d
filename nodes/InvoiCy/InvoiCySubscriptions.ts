import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { INVOICY_NOTICES, INVOICY_STATUS_UPDATES } from './InvoiCyFacts';

/**
 * What the InvoiCy trigger subscribes to when it registers itself (the `authentication` mode
 * "automatic"): NFS-e status updates, and the account notices that name their module.
 */
export const AUTOMATIC = 'automatic';

/** What can be subscribed to through the API: status updates and the notices that name their module. */
export const SUBSCRIBABLE = [
	{
		name: 'Status Updates',
		type: INVOICY_STATUS_UPDATES.notificationType,
		module: INVOICY_STATUS_UPDATES.module,
		description: 'an NFS-e changed status',
	},
	...INVOICY_NOTICES.flatMap(({ name, description, notificationTypes, module, event }) =>
		module === undefined
			? []
			: notificationTypes.map((type) => ({
					name,
					type,
					module,
					description: `${description}; emitted with event "${event}"`,
				})),
	),
];
export const STATUS_UPDATES = String(INVOICY_STATUS_UPDATES.notificationType);

/** The `Uso` list for the chosen notification types. */
export function webhookUses(notificationTypes: string[]): IDataObject[] {
	const chosen = new Set(notificationTypes.length ? notificationTypes : [STATUS_UPDATES]);
	const byModule = new Map<number, number[]>();
	for (const { type, module } of SUBSCRIBABLE) {
		if (chosen.has(String(type))) byModule.set(module, [...(byModule.get(module) ?? []), type]);
	}
	return [...byModule].map(([Modulo, TipoNotificacao]) => ({ Modulo, TipoNotificacao }));
}

/** Whether the user subscribed to this notice through the API (Automatic mode). */
export function subscribedTo(
	ctx: IWebhookFunctions,
	notificationTypes: readonly number[],
): boolean {
	if (ctx.getNodeParameter('authentication', '') !== AUTOMATIC) return false;
	const chosen = ctx.getNodeParameter('notificationTypes', [STATUS_UPDATES]) as string[];
	return notificationTypes.some((type) => chosen.includes(String(type)));
}
