/**
 * The bare Ink hello-world the TUI bench times golive's first frame against:
 * the least an Ink app can do before its first frame, so the ratio is golive's own cost.
 */
import React from 'react';
import {render, Text} from 'ink';

const app = render(<Text>hello from ink</Text>);
// Stay up until the bench kills the pane, like a console would.
const keepAlive = setInterval(() => undefined, 60_000);
process.once('SIGTERM', () => {
	clearInterval(keepAlive);
	app.unmount();
});
