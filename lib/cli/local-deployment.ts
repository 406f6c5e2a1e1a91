/**
 * Opens the local deployment of a client for one CLI command: the local runtime on the data
 * dir, with connectors to the URLs the config names (tokens from the environment) or to the
 * bundled fakes when the config asks for simulation.
 */
import type { ClientConfig } from '../config/schema.ts';
import { credentialsFromEnv, credentialsSaver, localConnectorFactory, storedCredentials } from '../local/connectors.ts';
import { type LocalRuntime, startLocalRuntime } from '../local/runtime.ts';
import { startSimulation } from '../local/simulation.ts';
import type { Clock } from '../runtime/clock.ts';

export interface LocalDeployment {
  readonly runtime: LocalRuntime;
  /** Saves the simulation's state (when there is one) and stops everything. */
  close(options?: { save?: boolean }): Promise<void>;
}

export async function openLocalDeployment(config: ClientConfig, clock: Clock, dataDir: string): Promise<LocalDeployment> {
  const simulation = config.simulation ? await startSimulation(config, clock, dataDir) : undefined;
  const effective = simulation?.config ?? config;
  try {
    const runtime = await startLocalRuntime({
      config: effective,
      clock,
      dataDir,
      connector: localConnectorFactory(
        effective,
        (platform) =>
          simulation?.credentials(platform) ?? storedCredentials(dataDir, platform) ?? credentialsFromEnv(platform, process.env),
        { clock, saveCredentials: credentialsSaver(dataDir) },
      ),
    });
    return {
      runtime,
      async close({ save = true } = {}) {
        try {
          if (save) await simulation?.save();
        } finally {
          await runtime.close();
          await simulation?.close();
        }
      },
    };
  } catch (error) {
    await simulation?.close();
    throw error;
  }
}
