"""Production settings: the same variables, with the secret key required."""

from steward.config.env import ConfigError, Env
from steward.config.settings.base import *  # noqa: F403

if Env().optional("STEWARD_SECRET_KEY") is None:
    raise ConfigError("STEWARD_SECRET_KEY", "is required in production (at least 32 characters)")
