"""Small scripts that the benchmark runs as whole processes, one per measured command.

Each is run by path (``python benchmarks/workers/NAME.py ...``) so that its process pays only
for the imports it needs, and each prints one JSON object on stdout for the harness to check.
"""
