import { describe, expect, it } from 'vitest';
import { type ActionManifest, readerOf, runnerInputVariables } from './runner-inputs.js';

const MANIFEST: ActionManifest = {
  inputs: {
    command: { required: true, description: 'what to do' },
    'dry-run': { default: 'false', description: 'rehearse' },
    'log level': { default: 'info', description: 'a name with a space' },
    'instance-id': { description: 'no default' },
  },
  outputs: {},
  runs: { using: 'node24', main: 'dist/index.js' },
};

describe('runnerInputVariables', () => {
  it("sets every default the step leaves out, under the runner's variable names (hyphens kept)", () => {
    expect(runnerInputVariables({ command: 'status' }, MANIFEST)).toEqual({
      INPUT_COMMAND: 'status',
      'INPUT_DRY-RUN': 'false',
      INPUT_LOG_LEVEL: 'info',
    });
  });

  it("lets the step's values win over the defaults, as strings, and reads them back trimmed", () => {
    const variables = runnerInputVariables(
      { command: 'restart', 'dry-run': true, 'instance-id': ' i-1 ' },
      MANIFEST,
    );
    expect(variables).toMatchObject({ 'INPUT_DRY-RUN': 'true', 'INPUT_INSTANCE-ID': ' i-1 ' });
    const read = readerOf(variables);
    expect([read('dry-run'), read('instance-id'), read('log level'), read('target')]).toEqual([
      'true',
      'i-1',
      'info',
      '',
    ]);
  });
});
