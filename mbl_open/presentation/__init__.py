"""How numbers reach the reader in words and tables (the figures are in :mod:`mbl_open.plotting`).

report
    Round-off bounds and short renderings of diagnostics in printed output.
measured
    The benchmark and experiment records that the chapters and the README cite.
tables
    Result tables: HTML in the book, aligned text in a terminal.
"""
