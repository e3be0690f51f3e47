/**
 * Color is decoration only: every status also has a symbol and a word. With
 * NO_COLOR (or a monochrome terminal) the provider turns colors off and the
 * screen says the same thing.
 */
import React, {createContext, useContext} from 'react';
import {Text} from 'ink';
import type {Tone} from './badges.js';

const ColorContext = createContext(true);

export function ColorProvider({enabled, children}: {enabled: boolean; children: React.ReactNode}) {
	return <ColorContext.Provider value={enabled}>{children}</ColorContext.Provider>;
}

export type ColoredProps = {
	tone?: Tone;
	bold?: boolean;
	inverse?: boolean;
	dim?: boolean;
	children: React.ReactNode;
};

/** A tone for a border (Box `borderColor`), or none when colors are off: NO_COLOR covers borders too. */
export function useBorderTone(tone: Tone): Tone {
	return useContext(ColorContext) ? tone : undefined;
}

/** Text in a tone when colors are on; bold and inverse survive monochrome. */
export function Colored({tone, bold, inverse, dim, children}: ColoredProps) {
	const color = useContext(ColorContext);
	return (
		<Text color={color ? tone : undefined} bold={bold} inverse={inverse} dimColor={color ? dim : false} wrap="truncate-end">
			{children}
		</Text>
	);
}

/** True unless NO_COLOR is set (https://no-color.org: any value, even empty). */
export function colorEnabled(env: Record<string, string | undefined>): boolean {
	return !('NO_COLOR' in env) && env['TERM'] !== 'dumb';
}
