/**
 * DescribeAlarms for the CloudWatch-compatible endpoint: alarms set by the demo feed or a
 * test, filtered by names, prefix and state, paged.
 */
import {pageOf} from './cloudwatch-paging.js';
import {validation} from './cloudwatch-wire-errors.js';

export type DemoAlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export type DemoAlarm = {
	name: string;
	state: DemoAlarmState;
	reason: string;
	description?: string;
	namespace?: string;
	metricName?: string;
};

export type StoredAlarm = DemoAlarm & {updatedAt: number};

export const maxAlarmPage = 100;

export function describeAlarms(alarms: Map<string, StoredAlarm>, body: Record<string, unknown>, alarmPage: number): unknown {
	const names = Array.isArray(body.AlarmNames) ? (body.AlarmNames as unknown[]).map(String) : undefined;
	const prefix = typeof body.AlarmNamePrefix === 'string' ? body.AlarmNamePrefix : undefined;
	if (names && prefix !== undefined) throw validation('AlarmNames and AlarmNamePrefix cannot be used together', 'InvalidParameterCombination');
	if (names && names.length > 100) throw validation('The collection AlarmNames must not have a size greater than 100.');
	const maxRecords = typeof body.MaxRecords === 'number' ? body.MaxRecords : 50;
	if (!(maxRecords >= 1 && maxRecords <= 100)) throw validation('MaxRecords must be between 1 and 100', 'InvalidParameterValue');
	const stateValue = typeof body.StateValue === 'string' ? body.StateValue : undefined;
	const matching = [...alarms.values()]
		.filter((a) => (names ? names.includes(a.name) : true))
		.filter((a) => (prefix !== undefined ? a.name.startsWith(prefix) : true))
		.filter((a) => (stateValue ? a.state === stateValue : true))
		.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const {page, nextToken} = pageOf(matching, body, Math.min(maxRecords, alarmPage));
	return {
		MetricAlarms: page.map((a) => ({
			AlarmName: a.name,
			AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${a.name}`,
			...(a.description !== undefined ? {AlarmDescription: a.description} : {}),
			ActionsEnabled: true,
			StateValue: a.state,
			StateReason: a.reason,
			StateUpdatedTimestamp: a.updatedAt / 1000,
			StateTransitionedTimestamp: a.updatedAt / 1000,
			...(a.namespace !== undefined ? {Namespace: a.namespace} : {}),
			...(a.metricName !== undefined ? {MetricName: a.metricName} : {}),
		})),
		CompositeAlarms: [],
		...(nextToken ? {NextToken: nextToken} : {}),
	};
}
