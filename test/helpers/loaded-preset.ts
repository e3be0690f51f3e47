import type {Plan} from '../../source/core/plan-types.js';
import {loadPlanDocument} from '../../source/plan/plan-document.js';
import {presetPlan, type PresetName} from '../../source/plan/presets.js';

/** The variables the presets read outside headers (URLs, the TEEI rollback's previous version). */
export const presetEnv: Record<string, string> = {
	STAGING_URL: 'https://staging.edgarsautoshop.com',
	PROD_URL: 'https://edgarsautoshop.com',
	PREVIOUS_VERSION: 'v2.4.9',
};

/** A preset as `golive run` would see it after `golive init`: loaded, defaults filled. */
export function loadedPreset(name: PresetName): Plan {
	return loadPlanDocument(presetPlan(name), presetEnv, name);
}
