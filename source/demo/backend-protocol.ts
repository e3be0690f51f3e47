/** Messages between `golive demo` and its backend worker (`backend-worker.ts`). */
import type {Plan} from '../core/plan-types.js';
import type {DemoScenario} from './scenarios.js';

export type DemoBackendInit = {
	scenario: DemoScenario;
	/** Background 5xx share of the simulated service (`DemoServiceOptions.faultRate`). */
	faultRate: number;
	/** The demo plan judges V2 against V1 (`DemoPlanOptions.judge`). */
	judge: boolean;
};

/** The worker stops its servers when told to, then exits. */
export type DemoBackendCommand = {type: 'close'};

export type DemoBackendMessage = {type: 'ready'; serviceUrl: string; cloudwatchUrl: string; plan: Plan} | {type: 'failed'; message: string};
