/**
 * The top self-time frames of a V8 `.cpuprofile` (what `node --cpu-prof` writes), as the
 * bench's profile findings are reported: `node dist/bench/profile-top.js FILE [N] [frame|file]`.
 * Self time is a frame's own samples; frames are merged by function, file and line, or
 * (`file` as the third argument) by module, to see how much each package costs.
 */
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';

type CpuProfileNode = {id: number; callFrame: {functionName: string; url: string; lineNumber: number}; hitCount?: number};
type CpuProfile = {nodes: CpuProfileNode[]; samples: number[]; timeDeltas: number[]};

export type FrameShare = {frame: string; selfMs: number; share: number};

/** `by`: 'frame' merges by function, file and line; 'file' by file (a module's whole share). */
export function topSelfFrames(profile: CpuProfile, limit = 15, by: 'frame' | 'file' = 'frame'): FrameShare[] {
	const nodeById = new Map(profile.nodes.map((n) => [n.id, n]));
	const selfUs = new Map<string, number>();
	let total = 0;
	// A sample's time is the delta to the next sample (V8 records the delta before each one).
	for (let i = 0; i < profile.samples.length; i++) {
		const node = nodeById.get(profile.samples[i]!);
		const dt = profile.timeDeltas[i + 1] ?? 0;
		if (!node) continue;
		const {functionName, url, lineNumber} = node.callFrame;
		const key =
			by === 'file'
				? url
					? url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, '')
					: functionName
				: `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
		selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
		total += dt;
	}
	return [...selfUs]
		.sort((a, b) => b[1] - a[1])
		.slice(0, limit)
		.map(([frame, us]) => ({frame, selfMs: us / 1000, share: total > 0 ? us / total : 0}));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	const file = process.argv[2];
	if (!file) {
		process.stderr.write('usage: node dist/bench/profile-top.js FILE.cpuprofile [N] [frame|file]\n');
		process.exit(2);
	}
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	for (const f of topSelfFrames(profile, Number(process.argv[3] ?? 15), process.argv[4] === 'file' ? 'file' : 'frame')) {
		process.stdout.write(`${(f.share * 100).toFixed(1).padStart(5)} %  ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.frame}\n`);
	}
}
