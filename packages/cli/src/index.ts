export { main, cliVersion, toolingFor, CLI_NAME, type CliIO, type CliOptions } from "./cli.js";
export { findConfig, loadConfig, ConfigError, DEFAULT_CONFIG_NAMES, type LoadedConfig } from "./config.js";
export { htpasswdLine, type SecretsIO } from "./secrets.js";
export { exitWhenFlushed, processIO } from "./process.js";
