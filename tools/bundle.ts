/**
 * Bundles the compiled CLI (`dist/source/cli.js`, what `tsc` emitted) into `dist/bin/`,
 * the `golive` that `npm start` and the package's bin run.
 *
 * Why: Node's ESM loader pays per file. Ink alone loads ~520 files before its first frame
 * (415 of them `es-toolkit/compat`, for `throttle`), which is most of the time an Ink app
 * takes to draw; golive adds ~180 of its own. Bundled, the console's first frame comes in
 * about half the time. Commands stay split into chunks loaded when used, so `golive probe`
 * still does not load the console.
 *
 * The worker threads' entries are entries here too, written beside the chunks: the code that
 * starts them finds them next to itself (`resolveWorkerEntry` in probes/probe-worker.ts).
 */
import {rm} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {bundleOptions} from './bundle-options.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const outdir = path.join(dist, 'bin');

await rm(outdir, {recursive: true, force: true});
await build(
	bundleOptions(
		{
			golive: path.join(dist, 'source/cli.js'),
			'probe-worker-entry': path.join(dist, 'probes/probe-worker-entry.js'),
			'probe-thread-entry': path.join(dist, 'probes/probe-thread-entry.js'),
			'backend-worker': path.join(dist, 'source/demo/backend-worker.js'),
		},
		outdir,
	),
);
