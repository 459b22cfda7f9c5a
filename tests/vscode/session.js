// deet dap driven by VS Code's own test client (@vscode/debugadapter-testsupport), as the
// editor drives an adapter: hitBreakpoint's launch/initialized/setBreakpoints/
// configurationDone dance, then the requests of a debugging session. Prints what it saw
// as JSON for tests/test_dap_vscode.py to hold to gdb's answers; any failed assertion or
// request makes it exit non-zero.
//
// usage: node session.js PYTHON ADAPTER PROGRAM SOURCE LINE
'use strict';
const assert = require('node:assert');
const { DebugClient } = require('@vscode/debugadapter-testsupport');

async function main() {
    const [python, adapter, program, source, line] = process.argv.slice(2);
    const dc = new DebugClient(python, adapter, 'deet', {}, true);
    dc.defaultTimeout = 60000;
    await dc.start();
    const seen = {};
    try {
        const stop = { path: source, line: Number(line) };
        const [, , stack] = await dc.hitBreakpoint({ program }, stop);
        seen.frames = stack.body.stackFrames.map(f => ({ name: f.name, line: f.line, path: f.source && f.source.path }));
        const frameId = stack.body.stackFrames[0].id;
        const threads = await dc.threadsRequest();
        seen.threads = threads.body.threads.length;
        const scopes = await dc.scopesRequest({ frameId });
        seen.scopes = scopes.body.scopes.map(s => s.name);
        const args = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
        seen.args = args.body.variables.map(v => `${v.name} = ${v.value}`);
        const hover = await dc.evaluateRequest({ expression: 'a + b', frameId, context: 'hover' });
        seen.hover = hover.body.result;
        const repl = await dc.evaluateRequest({ expression: 'info args', frameId, context: 'repl' });
        seen.repl = repl.body.result;
        await Promise.all([dc.nextRequest({ threadId: 1 }), dc.assertStoppedLocation('step', { line: stop.line + 1 })]);
        await Promise.all([dc.stepOutRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
        const after = await dc.stackTraceRequest({ threadId: 1 });
        seen.finished = after.body.stackFrames[0].name;
        await Promise.all([
            dc.continueRequest({ threadId: 1 }),
            dc.assertOutput('stdout', 'compute(10) = 15\n'),
            dc.waitForEvent('terminated'),
        ]);
        seen.terminated = true;
    } finally {
        await dc.stop();
    }
    assert.ok(seen.terminated);
    console.log(JSON.stringify(seen));
}

main().catch(error => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
});
