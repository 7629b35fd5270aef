"""Git stage, the only package that imports `git`: history, lateness, the pull-request check, ownership."""
