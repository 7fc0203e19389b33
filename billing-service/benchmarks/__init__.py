"""`make bench`: both services measured against the bare-framework ceiling of this machine.

The suite lives with billing-service because billing is the downstream service: its whole-story
benchmark runs against both services. Each row is measured by the same load generator
(`loadgen`, its own process, raw HTTP/1.1 keep-alive connections on uvloop) so the ratios to
the ceiling are fair; `run` starts every server it measures, warms it up, prints the table and
writes it to docs/benchmarks.md.
"""
