"""Loads a service's config.yaml, expanding ${VAR:default} from the environment (nameko's syntax)."""
from __future__ import annotations

from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

_parser_ready = False


def load_config(path: str | Path) -> dict:
    global _parser_ready
    if not _parser_ready:
        setup_yaml_parser()
        _parser_ready = True
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def service_config(service: str) -> dict:
    """The config of services/<service>/config.yaml, read now (never at import time)."""
    root = Path(__file__).resolve().parent.parent
    return load_config(root / "services" / service / "config.yaml")
