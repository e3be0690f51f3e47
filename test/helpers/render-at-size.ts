/**
 * ink-testing-library's stdout is always 100 columns and has no rows; the
 * console's layout depends on both. This renders through Ink itself with a
 * fake terminal of a given size (same debug mode: every frame written whole).
 */
import {EventEmitter} from 'node:events';
import {render, type Instance} from 'ink';
import type {ReactNode} from 'react';

export class FakeStdout extends EventEmitter {
	readonly frames: string[] = [];
	isTTY = false;
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}
	write = (frame: string): boolean => {
		this.frames.push(frame);
		return true;
	};
	lastFrame = (): string => this.frames.at(-1) ?? '';
	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

export class FakeStdin extends EventEmitter {
	isTTY = true;
	data: string | null = null;
	write = (data: string): void => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};
	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};
}

export type Rendered = {instance: Instance; stdout: FakeStdout; stdin: FakeStdin; lastFrame: () => string};

export function renderAtSize(tree: ReactNode, columns: number, rows: number): Rendered {
	const stdout = new FakeStdout(columns, rows);
	const stdin = new FakeStdin();
	const stderr = new FakeStdout(columns, rows);
	const instance = render(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stderr: stderr as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	return {instance, stdout, stdin, lastFrame: stdout.lastFrame};
}

/** Display width of a line (wide glyphs count 2), escape sequences excluded. */
export {default as stringWidth} from 'string-width';
