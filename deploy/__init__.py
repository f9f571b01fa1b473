"""Deployment: the HAProxy configuration, systemd units and a local cluster (`make cluster`)."""
