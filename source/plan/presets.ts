/**
 * Starter plans for the runbooks' launches, written by `golive init --preset …`.
 * Numbers come from the runbooks themselves (the README's preset table says
 * which line each setting comes from); URLs are `${VAR}` references the
 * operators export in their shell (STAGING_URL, PROD_URL, …), and secrets sit
 * only in `headers` (resolved at request time, never stored).
 */
import type {PlanDocument} from '../core/plan-types.js';
import {fleetManagerPreset} from './presets/fleet-manager.js';
import {commanderPreset, statusboardPreset} from './presets/statusboard.js';
import {teeiPreset} from './presets/teei.js';

export {fleetManagerPreset, statusboardPreset, teeiPreset};

export const presetNames = ['statusboard', 'commander', 'fleet-manager', 'teei'] as const;
export type PresetName = (typeof presetNames)[number];

/** The preset's plan document by name: what `golive init` writes; the loader fills the defaults. */
export function presetPlan(name: PresetName): PlanDocument {
	switch (name) {
		case 'statusboard': {
			return statusboardPreset();
		}
		case 'commander': {
			return commanderPreset();
		}
		case 'fleet-manager': {
			return fleetManagerPreset();
		}
		case 'teei': {
			return teeiPreset();
		}
		default: {
			const _never: never = name;
			return _never;
		}
	}
}
