"""Validate stage: one small module per family of checks, registered in `registry`, run by `validate`."""
