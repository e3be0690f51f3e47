/**
 * The demo's UAT sign-offs (Gate A needs two approvals from the item's roles). Apart from
 * the demo plan: `golive demo` loads that plan on its backend thread, and these on the main one.
 */
export const demoSignOffs = [
	{itemId: 'a_uat', role: 'qa_lead', name: 'Jane Smith (demo)'},
	{itemId: 'a_uat', role: 'product_owner', name: 'Sam Lee (demo)'},
] as const;
