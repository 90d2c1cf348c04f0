"""Benchmarks and quality runs: each module runs from the checkout's root as
``python -m bench.<name>`` (so they import each other as ``bench.<name>``)."""
