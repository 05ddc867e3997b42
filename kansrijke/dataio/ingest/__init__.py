"""Reading users' files: indicator figures (long form and CBS StatLine) and coalition plans.

``common`` reads untrusted files safely into sheets of text and parses Dutch numbers, codes,
periods and dates; ``indicators`` and ``plan`` turn sheets into the store's tables and report
every problem with file, sheet, row (as Excel shows it), column, value and what was expected.
Nothing here writes: ``kansrijke.dataio.importer`` does that, whole or not at all.
"""
