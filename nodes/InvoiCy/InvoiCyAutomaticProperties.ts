import type { INodeProperties } from 'n8n-workflow';

import { WEBHOOK_LAYOUT } from './InvoiCyFacts';
import { AUTOMATIC, STATUS_UPDATES, SUBSCRIBABLE } from './InvoiCySubscriptions';

// The node description's parts for the Automatic mode. The `authentication` option and the
// credential entry are literals in the node file: the n8n lint rules read the description's source.

export const automaticRegistrationProperties: INodeProperties[] = [
	{
		displayName:
			'Publishing this workflow registers its Production URL with InvoiCy (with a token the node generates); unpublishing deactivates it. The Test URL is not registered.',
		name: 'automaticNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: [AUTOMATIC] } },
	},
	{
		displayName: 'Notifications',
		name: 'notificationTypes',
		type: 'multiOptions',
		options: SUBSCRIBABLE.map(({ name, type, description }) => ({
			name,
			value: String(type),
			description: `TipoNotificacao ${type}: ${description}`,
		})).sort((a, b) => a.name.localeCompare(b.name)),
		default: [STATUS_UPDATES],
		description:
			'What InvoiCy sends to this workflow. Account notifications subscribed here are emitted as items.',
		displayOptions: { show: { authentication: [AUTOMATIC] } },
	},
	{
		displayName: 'Resend Interval',
		name: 'resendInterval',
		type: 'options',
		options: WEBHOOK_LAYOUT.resendIntervalsMinutes.map((minutes) => ({
			name: `${minutes} Minutes`,
			value: minutes,
		})),
		default: 60,
		description: `How long InvoiCy waits before delivering again a notification n8n did not accept (it tries ${WEBHOOK_LAYOUT.maxResends} more times, the most it allows). Longer intervals ride out a longer n8n outage.`,
		displayOptions: { show: { authentication: [AUTOMATIC] } },
	},
];
