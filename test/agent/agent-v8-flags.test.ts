/** Which process gets the agent's V8 flags (src/agent/agent-v8-flags.ts), and which flags. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGENT_V8_FLAGS, agentV8Flags, isAgentCommand } from '../../src/agent/agent-v8-flags.ts';

describe('agent V8 flags', () => {
  it('are for the `agent` command of the CLI only', () => {
    assert.equal(
      isAgentCommand(['/usr/bin/node', '/opt/longshore/src/cli/main.ts', 'agent', '--endpoint', 'x']),
      true,
    );
    assert.equal(isAgentCommand(['/usr/bin/node', '/opt/longshore/src/cli/main.ts', 'up']), false);
    assert.equal(isAgentCommand(['/usr/bin/node', '/opt/longshore/src/cli/main.ts', 'server']), false);
    // A test runner, a bench or `longshore up` importing the agent's code.
    assert.equal(
      isAgentCommand(['/usr/bin/node', '/opt/longshore/test/e2e/run-task.test.ts', 'agent']),
      false,
    );
    assert.equal(isAgentCommand(['/usr/bin/node']), false);
    assert.equal(isAgentCommand(process.argv), false);
  });

  it('default to no optimizing compilers and a young generation that does not grow; the environment replaces them', () => {
    assert.deepEqual(agentV8Flags({}), AGENT_V8_FLAGS.split(' '));
    assert.deepEqual(AGENT_V8_FLAGS.split(' '), ['--no-opt', '--no-maglev', '--semi-space-growth-factor=1']);
    assert.deepEqual(agentV8Flags({ LONGSHORE_AGENT_V8_FLAGS: '' }), []);
    assert.deepEqual(agentV8Flags({ LONGSHORE_AGENT_V8_FLAGS: ' --no-opt  --max-lazy ' }), [
      '--no-opt',
      '--max-lazy',
    ]);
  });
});
