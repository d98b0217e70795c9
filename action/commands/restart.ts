import { runRecovery } from '../../shared/recovery/sequence.js';
import type { RestartInputs } from '../inputs.js';
import { createProgressLog } from '../render/progress-log.js';
import { restartReport } from '../render/restart-report.js';
import type { CommandReport, CommandTools } from '../report.js';

/** `restart`: the core's recovery sequence for one target, rendered live in the log and summed up at the end. */
export async function restart(inputs: RestartInputs, tools: CommandTools): Promise<CommandReport> {
  const { target } = inputs;
  const result = await runRecovery(
    {
      target,
      trigger: inputs.context.trigger,
      dryRun: inputs.dryRun,
      owner: inputs.context.owner,
      parameterPrefix: inputs.parameterPrefix,
      signal: tools.signal,
    },
    tools.aws.ports(target.region),
    createProgressLog(tools.log),
  );
  return restartReport(result, inputs.context, target.region);
}
