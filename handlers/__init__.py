"""Platform adapters: translate Slack, Teams and terminal I/O to and from the core in `bot/`."""
