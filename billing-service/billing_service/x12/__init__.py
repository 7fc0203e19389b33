"""X12 5010: the 837P billing writes, the 277CA and 835 it reads (and the mock payer the
other way round). Pure: text in, text out, no I/O."""
