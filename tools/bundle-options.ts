/**
 * How golive's CLI is bundled (`tools/bundle.ts`). The bench bundles its Ink hello-world
 * with the same options, to show golive's own first-frame cost beside the bundle's gain.
 */
import type {BuildOptions} from 'esbuild';

export function bundleOptions(entryPoints: Record<string, string>, outdir: string): BuildOptions {
	return {
		entryPoints,
		outdir,
		bundle: true,
		// Commands and the console stay chunks of their own, loaded when used.
		splitting: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		sourcemap: true,
		legalComments: 'none',
		logLevel: 'warning',
		// Loaded after the first frame, and large: kept as packages, loaded from node_modules.
		// react-devtools-core is Ink's optional peer, imported only with DEV=true.
		external: ['@aws-sdk/*', 'undici', 'hdr-histogram-js', 'react-devtools-core'],
		// The CommonJS parts (React) call require(); in an ES module it has to be made.
		banner: {js: "import {createRequire as createRequireForBundle} from 'node:module'; const require = createRequireForBundle(import.meta.url);"},
	};
}
