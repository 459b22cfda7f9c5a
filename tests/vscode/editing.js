// deet dap driven by VS Code's own test client (@vscode/debugadapter-testsupport) through
// what session.js leaves out: stepIn into a call, setVariable on an argument as the
// Variables view does (by its scope's reference), the program's output after it, and the
// stop button (terminate) on a program that never stops. Prints what it saw as JSON for
// tests/test_dap_vscode.py to hold to gdb's answers; any failed assertion or request makes
// it exit non-zero.
//
// usage: node editing.js PYTHON ADAPTER PROGRAM SOURCE LINE FOREVER
'use strict';
const assert = require('node:assert');
const { DebugClient } = require('@vscode/debugadapter-testsupport');

function client(python, adapter) {
    const dc = new DebugClient(python, adapter, 'deet', {}, true);
    dc.defaultTimeout = 60000;
    return dc;
}

async function main() {
    const [python, adapter, program, source, line, forever] = process.argv.slice(2);
    const seen = {};
    let dc = client(python, adapter);
    await dc.start();
    try {
        await dc.hitBreakpoint({ program }, { path: source, line: Number(line) });
        await Promise.all([dc.stepInRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
        const stack = await dc.stackTraceRequest({ threadId: 1 });
        seen.frames = stack.body.stackFrames.map(f => ({ name: f.name, line: f.line }));
        const scopes = await dc.scopesRequest({ frameId: stack.body.stackFrames[0].id });
        const args = scopes.body.scopes.find(s => s.name === 'Arguments');
        const set = await dc.setVariableRequest({ variablesReference: args.variablesReference, name: 'a', value: '20' });
        seen.set = set.body.value;
        const after = await dc.variablesRequest({ variablesReference: args.variablesReference });
        seen.args = after.body.variables.map(v => `${v.name} = ${v.value}`);
        const output = [];
        dc.on('output', event => { if (event.body.category === 'stdout') output.push(event.body.output); });
        await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('terminated')]);
        seen.output = output.join('');
    } finally {
        await dc.stop();
    }
    dc = client(python, adapter);
    await dc.start();
    try {
        await Promise.all([dc.launch({ program: forever }), dc.configurationSequence()]);
        await new Promise(resolve => setTimeout(resolve, 500));
        await Promise.all([dc.terminateRequest({}), dc.waitForEvent('terminated')]);
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
