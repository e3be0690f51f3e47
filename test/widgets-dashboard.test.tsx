import React from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import {Dashboard} from '../widgets/dashboard.js';
import {ColorProvider} from '../widgets/theme.js';
import {helpItems} from '../source/keymap.js';
import * as fx from './helpers/snapshot-fixtures.js';
import {renderAtSize, type Rendered} from './helpers/render-at-size.js';

let r: Rendered | null = null;
afterEach(() => {
	r?.instance.unmount();
	r = null;
});

describe('dashboard', () => {
	test('print', () => {
		for (const [w, h] of [[80, 24], [160, 48]] as const) {
			r = renderAtSize(
				<ColorProvider enabled={false}>
					<Dashboard snapshot={fx.breachWithNoData()} width={w} height={h - 1} help={helpItems(false)} />
				</ColorProvider>,
				w,
				h,
			);
			console.log(r.lastFrame());
			r.instance.unmount();
		}
		expect(1).toBe(1);
	});
});
